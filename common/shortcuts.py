"""The permission guards of the views: one for a check on an object they fetch, one for a check on
anything else (a département, the viewer alone). Views raise ``PermissionDenied`` nowhere else."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def get_object_or_403(queryset, predicate, request, **lookup):
    """The object of ``queryset`` matching ``lookup`` (404 when there is none), if
    ``predicate(request.user, obj)`` holds; 403 otherwise.

    Every view that acts on one object goes through it, so that "who may" is read from the
    ``perms`` predicate named at the call, never from a condition written inline.
    """
    obj = get_object_or_404(queryset, **lookup)
    if not predicate(request.user, obj):
        raise PermissionDenied
    return obj


def check_or_403(predicate, request, *args):
    """403 unless ``predicate(request.user, *args)`` holds: for checks on no single fetched object
    (may this viewer propose a skill, post a card in this département, create a structure)."""
    if not predicate(request.user, *args):
        raise PermissionDenied
