"""Keeping the search columns of a resource up to date.

``Resource.save()`` writes ``search_text`` (the SQLite search) and, on PostgreSQL, a trigger writes
``search_vector`` on every insert and update (migration 0002). Code that changes the title, summary or
body with ``QuerySet.update()`` or ``bulk_create`` (which skip ``save()``) calls ``resource_search_refresh``.
"""

from resources.models import Resource, resource_search_text


def resource_search_refresh(resource):
    """Rewrite ``resource``'s search columns from its stored title, summary and body."""
    stored = Resource.objects.filter(pk=resource.pk).values("title", "summary", "body").first()
    if stored is None:
        return
    resource.search_text = resource_search_text(Resource(**stored))
    # The update fires the PostgreSQL trigger, which rewrites search_vector from the same row.
    Resource.objects.filter(pk=resource.pk).update(search_text=resource.search_text)
