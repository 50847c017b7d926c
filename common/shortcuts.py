"""The one permission guard of the views that fetch an object and check a predicate."""

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
