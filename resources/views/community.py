"""Views of resources: « utile », comments, reports and their moderation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from advisors.perms import coordinated_departement_codes
from common.pagination import paginate
from common.shortcuts import check_or_403, get_object_or_403
from resources.forms.community import CommentForm, ReportForm
from resources.models import ResourceComment, ResourceReport
from resources.perms import can_edit_resource, can_moderate_report, can_moderate_resources, can_react_to_resource
from resources.queries.detail import viewable_resource
from resources.queries.moderation import open_reports
from resources.services.community import (
    resource_comment_create,
    resource_comment_hide,
    resource_report_create,
    resource_report_resolve,
    resource_useful_set,
)
from territories.scope import departement_or_current


def _reactable(request, pk):
    """The resource ``pk`` if the viewer sees it (404 otherwise) and may react to it (403 otherwise)."""
    resource = viewable_resource(request.user, pk)
    if resource is None:
        raise Http404
    check_or_403(can_react_to_resource, request, resource)
    return resource


@login_required
@require_POST
def useful(request, pk):
    """« Utile » (``useful=1``) or its undoing (``useful=0``): one per member."""
    resource = _reactable(request, pk)
    marked = resource_useful_set(resource=resource, user=request.user, useful=request.POST.get("useful") != "0")
    messages.success(request, "Merci, c’est noté." if marked else "Votre mention « utile » est retirée.")
    return redirect(f"{resource.get_absolute_url()}#utile")


@login_required
@require_POST
def comment(request, pk):
    resource = _reactable(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render(request, "resources/comment_form.html", {"resource": resource, "form": form}, status=400)
    resource_comment_create(resource=resource, user=request.user, body=form.cleaned_data["body"])
    messages.success(request, "Votre commentaire est publié.")
    return redirect(f"{resource.get_absolute_url()}#commentaires")


@login_required
@require_POST
def comment_hide(request, pk):
    """Its authors and the coordination hide (``hidden=1``) or show again a comment (``comment`` in the body)."""
    resource = viewable_resource(request.user, pk)
    if resource is None:
        raise Http404
    check_or_403(can_edit_resource, request, resource)
    comment_id = request.POST.get("comment", "")
    if not (comment_id.isascii() and comment_id.isdigit() and len(comment_id) < 10):
        return render(
            request, "resources/comment_form.html", {"resource": resource, "form": CommentForm()}, status=400
        )
    target = get_object_or_404(ResourceComment, pk=int(comment_id), resource=resource)
    hidden = request.POST.get("hidden", "1") != "0"
    if not hidden and target.hidden:
        # Showing a hidden comment again is the coordination's call: an author may not undo its moderation.
        check_or_403(can_moderate_resources, request, resource.departement_id)
    resource_comment_hide(comment=target, hidden=hidden)
    messages.success(request, "Le commentaire est masqué." if hidden else "Le commentaire est de nouveau visible.")
    return redirect(f"{resource.get_absolute_url()}#commentaires")


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    """« Signaler » : obsolète, erreur, contenu inapproprié, doublon, with optional details."""
    resource = _reactable(request, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            resource_report_create(
                resource=resource,
                user=request.user,
                reason=form.cleaned_data["reason"],
                message=form.cleaned_data["message"],
            )
            messages.success(request, "Merci, la coordination du réseau est prévenue.")
            return redirect(resource)
        return render(request, "resources/report_form.html", {"resource": resource, "form": form}, status=400)
    return render(request, "resources/report_form.html", {"resource": resource, "form": form})


def _moderated_departement(request):
    code = request.GET.get("departement", "")
    departement = departement_or_current(request, code)
    if code and departement is None:
        raise Http404("Ce département n’existe pas.")
    if departement is None and (codes := coordinated_departement_codes(request.user)):
        departement = departement_or_current(request, codes[0])
    return departement


@login_required
@require_GET
def reports(request):
    """The open reports of a département, for its coordination: hide the resource, edit it, resolve."""
    departement = _moderated_departement(request)
    check_or_403(can_moderate_resources, request, departement)
    page = paginate(request, open_reports(departement))
    return render(request, "resources/reports.html", {"departement": departement, "page": page})


@login_required
@require_POST
def report_resolve(request, pk):
    """``action=hide``: the resource is « masquée » and the report resolved; otherwise the report is resolved."""
    target = get_object_or_403(
        ResourceReport.objects.select_related("resource"),
        can_moderate_report,
        request,
        pk=pk,
    )
    hide = request.POST.get("action") == "hide"
    done = resource_report_resolve(report=target, user=request.user, hide_resource=hide)
    if hide:
        messages.success(request, f"« {target.resource.title} » est masquée et le signalement traité.")
    elif done:
        messages.success(request, "Le signalement est traité.")
    else:
        messages.info(request, "Ce signalement était déjà traité.")
    return redirect(f"{reverse('resources:reports')}?departement={target.resource.departement_id}")
