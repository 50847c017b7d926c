"""Views of resources: publishing, editing, history, files.

Each view fetches its resource through ``get_object_or_403`` with a predicate of ``resources.perms``;
the writes are ``resources.services.publish``; a refused write comes back in the form.
"""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from advisors.models import memberships_of
from advisors.perms import advisor_of
from common.shortcuts import check_or_403, get_object_or_403
from common.views import write_into_form, write_with_messages
from resources import perms
from resources.enums import ResourceStatus
from resources.forms.publish import ResourceForm, max_upload_mb
from resources.models import Resource, ResourceFile, ResourceVersion
from resources.services import publish as services
from resources.uploads import INLINE_TYPES
from territories.models import Departement


def _resource(request, pk, predicate):
    queryset = Resource.objects.select_related("departement").prefetch_related("authors__user")
    return get_object_or_403(queryset, predicate, request, pk=pk)


def _after_save(resource):
    """The resource page once the library has one; the history page until then."""
    try:
        return resource.get_absolute_url()
    except NoReverseMatch:
        return reverse("resources:history", args=[resource.pk])


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    """``/ressources/nouvelle/``: the essentials first, then the details; a draft or published at once."""
    check_or_403(perms.can_publish_resource, request)
    codes = [code for code, membership in memberships_of(request.user).items() if membership.is_active]
    departements = Departement.objects.filter(code__in=codes).order_by("code")
    profile = advisor_of(request.user)
    departement = departements.filter(code=profile.departement_id).first() or departements.first()
    form = ResourceForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=request.user,
        departements=departements,
        departement=departement,
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_data
        coauthors = [author for author in form.cleaned_data["authors_emails"] if author.pk != profile.pk]
        resource = write_into_form(
            form,
            lambda: services.resource_create(
                by=request.user,
                departement=form.cleaned_data["departement"],
                authors=[profile, *coauthors],
                files=form.cleaned_data["files"],
                publish=request.POST.get("action") == "publish",
                **data,
            ),
        )
        if resource is not None:
            published = resource.status == ResourceStatus.PUBLISHED
            messages.success(
                request,
                f"La ressource « {resource.title} » est "
                + ("publiée. Merci du partage !" if published else "enregistrée comme brouillon."),
            )
            return redirect(_after_save(resource))
    return render(
        request, "resources/publish/form.html", {"form": form, "resource": None, "max_upload_mb": max_upload_mb()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    resource = _resource(request, pk, perms.can_edit_resource)
    conflict = None
    form = ResourceForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=copy.copy(resource),
        user=request.user,
        departement=resource.departement,
    )
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        saved = write_into_form(
            form,
            lambda: services.resource_update(
                resource=resource,
                by=request.user,
                version=resource.version if version is None else version,
                change_summary=form.cleaned_data["change_summary"],
                authors=form.cleaned_data["authors_emails"],
                files=form.cleaned_data["files"],
                publish=request.POST.get("action") == "publish",
                **form.service_data,
            ),
        )
        if saved is not None:
            messages.success(request, "Les modifications de la ressource sont enregistrées.")
            return redirect(_after_save(saved))
        if saved is None and any(error.code == "conflict" for error in form.errors.as_data().get("__all__", [])):
            # The person's text stays in the form, now based on the saved version: once they have
            # copied their changes into it, « Enregistrer » saves.
            conflict = Resource.objects.values_list("version", flat=True).get(pk=resource.pk)
            form.data = form.data.copy()
            form.data["version"] = str(conflict)
    files = list(resource.files.all())
    return render(
        request,
        "resources/publish/form.html",
        {"form": form, "resource": resource, "files": files, "conflict": conflict, "max_upload_mb": max_upload_mb()},
    )


@login_required
@require_POST
def publish(request, pk):
    resource = _resource(request, pk, perms.can_edit_resource)
    write_with_messages(
        request, lambda: services.resource_publish(resource=resource, by=request.user), "La ressource est publiée."
    )
    return redirect(_after_save(resource))


@login_required
@require_POST
def file_remove(request, pk, file_pk):
    resource = _resource(request, pk, perms.can_edit_resource)
    file = get_object_or_404(ResourceFile, resource=resource, pk=file_pk)
    write_with_messages(
        request,
        lambda: services.resource_file_remove(file=file, by=request.user),
        f"Le fichier « {file.original_name} » est retiré.",
    )
    return redirect("resources:edit", resource.pk)


# History


@login_required
@require_GET
def history(request, pk):
    resource = _resource(request, pk, perms.can_edit_resource)
    versions = resource.versions.select_related("edited_by").order_by("-number")
    return render(request, "resources/publish/history.html", {"resource": resource, "versions": versions})


@login_required
@require_GET
def version(request, pk, number):
    resource = _resource(request, pk, perms.can_edit_resource)
    shown = get_object_or_404(ResourceVersion.objects.select_related("edited_by"), resource=resource, number=number)
    return render(request, "resources/publish/version.html", {"resource": resource, "version": shown})


@login_required
@require_POST
def restore(request, pk, number):
    resource = _resource(request, pk, perms.can_edit_resource)
    shown = get_object_or_404(ResourceVersion, resource=resource, number=number)
    write_with_messages(
        request,
        lambda: services.resource_restore(version=shown, by=request.user),
        f"La version {shown.number} est restaurée : elle devient la version actuelle.",
    )
    return redirect("resources:history", resource.pk)


# Files


@require_GET
@xframe_options_sameorigin
def file(request, pk, file_pk):
    """A file of a resource, to those who may see the resource; never run by the browser: PDF and images
    shown inline (and previewed in the resource page, same origin only), everything else downloaded, the
    type as recognised on upload, sniffing off. ``?apercu=1`` (the page's preview) is not a download."""
    resource = _resource(request, pk, perms.can_view_resource)
    stored = get_object_or_404(ResourceFile, resource=resource, pk=file_pk)
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("Ce fichier n’est plus disponible.") from None
    inline = stored.content_type in INLINE_TYPES
    if request.GET.get("apercu") != "1":
        Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
    response = FileResponse(
        handle, as_attachment=not inline, filename=stored.original_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Chromium shows no PDF under ``sandbox``: a PDF (recognised as one on upload) is previewed in its
    # own viewer, framed by our pages only; anything else is sandboxed.
    sandbox = "" if stored.content_type == "application/pdf" else "sandbox; "
    response["Content-Security-Policy"] = (
        f"{sandbox}default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'self'"
    )
    response["Cache-Control"] = "private, no-store" if resource.visibility != "public" else "private, max-age=300"
    return response
