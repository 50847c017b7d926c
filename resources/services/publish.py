"""Publishing and editing resources, their history and their files.

Every saved edit raises ``Resource.version`` and stores a ``ResourceVersion``: a save that started from
an older version is refused (``ResourceConflict``), the row being locked to decide, so that nothing a
co-author wrote at the same time is lost.
"""

import zoneinfo
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from resources.enums import ResourceStatus
from resources.models import Resource, ResourceFile, ResourceVersion
from resources.uploads import recognise
from territories.text import normalize

# The fields a version keeps, and how the change summary names them.
VERSIONED = {"title": "titre", "summary": "résumé", "body": "contenu", "link": "lien", "licence": "licence"}
# The other fields the forms edit, named in the change summary too.
DETAILS = {
    "kind": "type",
    "structure": "structure",
    "scope": "échelon",
    "epci": "intercommunalité",
    "commune": "commune",
    "visibility": "visibilité",
    "event": "événement",
}
RELATIONS = {"skills": "thématiques", "publics": "publics", "authors": "auteurs"}


class ResourceConflict(ValidationError):
    """The resource was saved by someone else since the form was opened."""

    def __init__(self, resource, version):
        """``version``: the latest saved (``None`` for a resource imported without history)."""
        self.version = version
        who = version.edited_by.display_name if version is not None and version.edited_by else "quelqu’un"
        moment = version.edited_at if version is not None else resource.updated_at
        when = timezone.localtime(moment, zoneinfo.ZoneInfo(resource.departement.timezone))
        super().__init__(
            f"Cette ressource a été modifiée pendant que vous l’éditiez (par {who} à {when:%H} h {when:%M}) : "
            "voici votre texte, recopiez vos changements dans la version actuelle.",
            code="conflict",
        )


def _search_text(resource):
    return normalize(" ".join((resource.title, resource.summary, resource.body)))


def _snapshot(resource, *, by, change_summary):
    return ResourceVersion.objects.create(
        resource=resource,
        number=resource.version,
        title=resource.title,
        summary=resource.summary,
        body=resource.body,
        link=resource.link,
        licence=resource.licence,
        change_summary=change_summary[:300],
        edited_by=by,
        edited_at=timezone.now(),
    )


def _set_relations(resource, relations):
    for name, values in relations.items():
        if values is not None:
            getattr(resource, name).set(values)


def _add_files(resource, files):
    for uploaded in files or ():
        resource_file_add(resource=resource, uploaded=uploaded)


@transaction.atomic
def resource_create(*, by, departement, authors, files=(), publish=False, skills=(), publics=(), **fields):
    """A new resource (a draft, or published at once), its first version and its files. ``authors``:
    the profiles credited (the publisher's first)."""
    resource = Resource(departement=departement, created_by=by, **fields)
    if publish:
        resource.status = ResourceStatus.PUBLISHED
        resource.published_at = timezone.now()
    resource.search_text = _search_text(resource)
    resource.full_clean(exclude=["authors", "skills", "publics", "created_by"])
    resource.save()
    _set_relations(resource, {"authors": authors, "skills": skills, "publics": publics})
    _add_files(resource, files)
    _snapshot(resource, by=by, change_summary="création")
    return resource


def _changed(resource, fields, relations):
    changed = [
        label
        for name, label in {**VERSIONED, **DETAILS}.items()
        if name in fields
        and getattr(resource, f"{name}_id" if name in ("structure", "epci", "commune", "event") else name)
        != (getattr(fields[name], "pk", fields[name]))
    ]
    for name, label in RELATIONS.items():
        if relations.get(name) is not None:
            before = set(getattr(resource, name).values_list("pk", flat=True))
            if before != {value.pk for value in relations[name]}:
                changed.append(label)
    return changed


@transaction.atomic
def resource_update(
    *, resource, by, version, change_summary="", files=(), publish=False, skills=None, publics=None, authors=None,
    **fields,
):  # fmt: skip
    """Save an edit made from ``version``: refused (``ResourceConflict``, nothing written) when the
    resource was saved since. Stores the new version with who, when and what changed (typed by the
    editor, or « titre, contenu modifiés »)."""
    locked = Resource.objects.select_for_update().select_related("departement").get(pk=resource.pk)
    if locked.version != version:
        raise ResourceConflict(locked, locked.versions.select_related("edited_by").first())
    relations = {"skills": skills, "publics": publics, "authors": authors}
    changed = _changed(locked, fields, relations)
    if files:
        changed.append("fichiers")
    if publish and locked.status == ResourceStatus.DRAFT:
        changed.append("publication")
    for name, value in fields.items():
        setattr(locked, name, value)
    if publish and locked.status == ResourceStatus.DRAFT:
        locked.status = ResourceStatus.PUBLISHED
        locked.published_at = timezone.now()
    locked.version += 1
    locked.search_text = _search_text(locked)
    locked.full_clean(exclude=["authors", "skills", "publics", "created_by"])
    locked.save()
    _set_relations(locked, relations)
    _add_files(locked, files)
    summary = change_summary.strip() or (", ".join(changed) + (" modifiés" if len(changed) > 1 else " modifié"))
    _snapshot(locked, by=by, change_summary=summary if changed or change_summary.strip() else "aucun changement")
    return locked


@transaction.atomic
def resource_publish(*, resource, by):
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    if locked.status == ResourceStatus.HIDDEN:
        raise ValidationError("Cette ressource est masquée par la coordination : elle ne peut pas être publiée.")
    if locked.status == ResourceStatus.DRAFT:
        locked.status = ResourceStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
    return locked


@transaction.atomic
def resource_restore(*, version, by):
    """A new version equal to ``version`` (the versions in between are kept)."""
    locked = Resource.objects.select_for_update().get(pk=version.resource_id)
    for name in VERSIONED:
        setattr(locked, name, getattr(version, name))
    locked.version += 1
    locked.search_text = _search_text(locked)
    locked.save()
    _snapshot(locked, by=by, change_summary=f"version {version.number} restaurée")
    return locked


def download_name(name, recognised):
    """The name a file is downloaded under: the person's, with the extension of what it really is
    (a text file named ``facture.js`` leaves as ``facture.txt``)."""
    stem = PurePath(name or "fichier").stem[:150] or "fichier"
    return f"{stem}.{recognised.extension}"


def resource_file_add(*, resource, uploaded):
    """``uploaded`` (an ``UploadedFile`` or a named ``ContentFile``): its type is the one read from its
    content (``resources.uploads``; a refused file raises its ``ValidationError``); its stored name is
    chosen by ``models.resource_file_path``."""
    recognised = getattr(uploaded, "recognised", None) or recognise(uploaded)
    return ResourceFile.objects.create(
        resource=resource,
        file=uploaded,
        original_name=download_name(uploaded.name, recognised),
        content_type=recognised.content_type,
        size=uploaded.size,
    )


@transaction.atomic
def resource_file_remove(*, file, by):
    locked = Resource.objects.select_for_update().get(pk=file.resource_id)
    if not locked.link and locked.files.count() <= 1:
        raise ValidationError("Une ressource garde au moins un fichier ou un lien : ajoutez-en un avant.")
    name, storage = file.file.name, file.file.storage
    file.delete()
    # The stored file goes once the row is gone for good (not if the transaction rolls back).
    transaction.on_commit(lambda: storage.delete(name))
