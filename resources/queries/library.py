"""Reads of the library: the resources a viewer may see, with what their cards show."""

from django.db.models import Prefetch

from advisors.models import Advisor
from resources.models import Resource


def library_resources(user):
    """The resources ``user`` may see, latest first; one query for the page of rows, one for their
    authors, however many rows."""
    return (
        Resource.objects.visible_to(user)
        .select_related("departement")
        .defer("body", "search_text", "search_vector")
        .prefetch_related(Prefetch("authors", queryset=Advisor.objects.select_related("user").order_by("pk")))
        .order_by("-published_at", "-pk")
    )
