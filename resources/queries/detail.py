"""Reads of the resource page: the resource with everything it shows, in a bounded number of queries."""

from django.db.models import Count, Exists, OuterRef, Prefetch

from advisors.models import Advisor
from resources.models import Resource, ResourceComment, ResourceUseful
from resources.perms import can_view_resource


def resource_page(user=None):
    """One query for the resource, its territory, structure and event; one per list it shows (authors,
    skills, publics, files, comments), however long those are."""
    queryset = (
        Resource.objects.select_related("departement", "structure", "event", "epci", "commune")
        .annotate(useful_count=Count("useful", distinct=True))
        .prefetch_related(
            Prefetch("authors", queryset=Advisor.objects.select_related("user").order_by("pk")),
            "skills",
            "publics",
            "files",
            Prefetch("comments", queryset=ResourceComment.objects.select_related("user").order_by("created_at", "pk")),
        )
    )
    if user is not None and user.is_authenticated:
        queryset = queryset.annotate(
            useful_mine=Exists(ResourceUseful.objects.filter(resource=OuterRef("pk"), user=user))
        )
    return queryset


def viewable_resource(user, pk):
    """The resource ``pk`` as ``user`` may see it, ``None`` when it does not exist or is hidden from them
    (``can_view_resource``): like a hidden profile or event, it answers « page introuvable »."""
    resource = resource_page(user).filter(pk=pk).first()
    if resource is None or not can_view_resource(user, resource):
        return None
    return resource
