"""Views of resources: the library (list and search) and the resource page."""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from common.pagination import paginate
from resources.filters import ResourceFilterSet
from resources.forms.community import CommentForm
from resources.perms import can_publish_resource
from resources.queries.detail import notice, page_context, viewable_resource
from resources.queries.library import library_resources
from resources.queries.search import ranks_by_relevance


@require_GET
def index(request):
    """The published resources the viewer may see, filtered and searched (best match first when searching)."""
    filterset = ResourceFilterSet(request.GET, queryset=library_resources(request.user), request=request)
    page = paginate(request, filterset.qs)
    context = {
        "filter": filterset,
        "page": page,
        "territory": filterset.territory,
        "searching": bool(filterset.form.cleaned_data.get("q")),
        "ranked": ranks_by_relevance(filterset.qs),
        "can_publish": can_publish_resource(request.user),
    }
    if request.GET.get("partial"):
        return render(request, "resources/index.html#results", context)
    return render(request, "resources/index.html", context)


# The page embeds its PDF files (<object>), served by the site itself (resources:file).
DETAIL_CSP = {**settings.SECURE_CSP, "object-src": [CSP.SELF], "frame-src": [CSP.SELF]}


@require_GET
@csp_override(DETAIL_CSP)
def detail(request, pk):
    """The resource page. A resource the viewer may not see (a draft, a réseau resource for a visitor, a
    hidden one) is a 404, like an event: its existence is not revealed."""
    resource = viewable_resource(request.user, pk)
    if resource is None:
        raise Http404
    context = page_context(resource, request.user)
    context["comment_form"] = CommentForm()
    return render(request, "resources/detail.html", context)


@require_GET
def export(request, pk):
    """The metadata record of the resource in JSON, for the national resource base; same visibility as the page."""
    resource = viewable_resource(request.user, pk)
    if resource is None:
        raise Http404
    response = JsonResponse(notice(resource, request), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'inline; filename="ressource-{resource.pk}.json"'
    return response
