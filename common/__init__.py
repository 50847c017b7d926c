"""Shared helpers of the domain apps: the base FilterSet, the permission guard, the pager.

It sits between the domain apps and ``territories``: it may import ``territories`` and Django,
never a domain app nor ``config``.
"""
