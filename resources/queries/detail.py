"""Reads of the resource page: the resource with everything it shows, in a bounded number of queries."""

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.urls import reverse

from advisors.models import Advisor
from advisors.perms import can_view_advisor
from resources.enums import LICENCE_URLS
from resources.models import Resource, ResourceComment, ResourceUseful
from resources.perms import can_edit_resource, can_moderate_resources, can_react_to_resource, can_view_resource


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


def page_context(resource, user):
    """What the resource page shows besides the resource: who may do what, the authors whose profile
    ``user`` may see (the others are counted), the comments ``user`` sees, the files with their preview."""
    can_edit = can_edit_resource(user, resource)
    authors = [(author, can_view_advisor(user, author)) for author in resource.authors.all()]
    comments = [comment for comment in resource.comments.all() if can_edit or not comment.hidden]
    files = [
        {
            "file": stored,
            "preview": "pdf"
            if stored.content_type == "application/pdf"
            else "image"
            if stored.content_type.startswith("image/") and stored.content_type != "image/svg+xml"
            else "",
        }
        for stored in resource.files.all()
    ]
    return {
        "resource": resource,
        "licence_url": LICENCE_URLS.get(resource.licence, ""),
        "authors": authors,
        "comments": comments,
        "files": files,
        "can_edit": can_edit,
        "can_react": can_react_to_resource(user, resource),
        "can_moderate": can_moderate_resources(user, resource.departement_id),
    }


def notice(resource, request):
    """The metadata record of ``resource`` for the national resource base (``resources:export``)."""
    return {
        "id": resource.pk,
        "url": request.build_absolute_uri(resource.get_absolute_url()),
        "title": resource.title,
        "summary": resource.summary,
        "kind": {"code": resource.kind, "label": resource.get_kind_display()},
        "licence": {
            "code": resource.licence,
            "label": resource.get_licence_display(),
            "url": LICENCE_URLS.get(resource.licence) or None,
        },
        "authors": [author.user.display_name for author in resource.authors.all()],
        "structure": resource.structure.name if resource.structure else None,
        "departement": {"code": resource.departement_id, "name": resource.departement.name},
        "skills": [skill.name for skill in resource.skills.all()],
        "publics": [public.name for public in resource.publics.all()],
        "link": resource.link or None,
        "files": [
            {
                "name": stored.original_name,
                "type": stored.content_type,
                "size": stored.size,
                "url": request.build_absolute_uri(reverse("resources:file", args=[resource.pk, stored.pk])),
            }
            for stored in resource.files.all()
        ],
        "event": request.build_absolute_uri(resource.event.get_absolute_url()) if resource.event_id else None,
        "created_at": resource.created_at.isoformat(),
        "published_at": resource.published_at.isoformat() if resource.published_at else None,
        "updated_at": resource.updated_at.isoformat(),
    }
