"""What an uploaded file is, read from its content, never from its name or the browser's word.

Allowed: PDF, OpenDocument (odt/ods/odp), Office (docx/xlsx/pptx and the legacy OLE doc/xls/ppt),
PNG/JPEG/GIF/WebP images, plain UTF-8 text, and ZIP archives of those. Everything else — HTML, SVG
(with or without script: a browser runs an SVG's script), executables whatever their name — is
refused with a French message, shown next to the file field.
"""

import io
import math
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

# How much of a file is read to recognise it: the signatures are at the start.
HEAD_SIZE = 8192
# A ZIP whose members would unpack to more than this is a zip bomb, or not a resource.
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_MAX_MEMBERS = 1000
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"#!")
EXECUTABLE_SUFFIXES = {
    ".exe", ".dll", ".com", ".bat", ".cmd", ".msi", ".scr", ".ps1", ".vbs", ".js", ".jar", ".sh", ".app",
    ".apk", ".html", ".htm", ".svg", ".xhtml", ".hta", ".lnk",
}  # fmt: skip
PROGRAM_SUFFIXES = EXECUTABLE_SUFFIXES - {".html", ".htm", ".svg", ".xhtml"}
# What reading a damaged, encrypted or exotic ZIP member can raise.
UNREADABLE_ZIP = (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, OSError, EOFError, ValueError)
MARKUP_MARKERS = (
    b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<iframe", b"<body", b"<head", b"<meta", b"<object",
    b"<embed", b"<img", b"<style", b"<link", b"<form", b"javascript:",
)  # fmt: skip

OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": ("odt", "document OpenDocument"),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods", "tableur OpenDocument"),
    "application/vnd.oasis.opendocument.presentation": ("odp", "présentation OpenDocument"),
}
OFFICE = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
IMAGES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}
# Shown in the page (``inline``); everything else is downloaded (``attachment``).
INLINE_TYPES = {"application/pdf", *IMAGES}

ALLOWED_HELP = (
    "PDF, OpenDocument (odt, ods, odp), Office (docx, xlsx, pptx, doc, xls, ppt), images (PNG, JPEG, GIF, "
    "WebP), texte brut ou archive ZIP de ces fichiers"
)
REFUSED = f"Ce type de fichier n’est pas accepté : déposez un fichier {ALLOWED_HELP}."


@dataclass(frozen=True)
class Recognised:
    content_type: str
    extension: str


def max_upload_bytes():
    return int(getattr(settings, "RESOURCES_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def _read(uploaded):
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    return data


def _looks_like_markup(head):
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return any(marker in lowered for marker in MARKUP_MARKERS)


def _plain_text(data):
    if b"\x00" in data or _looks_like_markup(data[:HEAD_SIZE]):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _zip_kind(data, name):
    """An OpenDocument, an Office document or a plain ZIP archive (whose members are checked)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError("Cette archive ZIP est illisible ou abîmée.", code="bad_zip") from None
    if len(members) > ZIP_MAX_MEMBERS:
        raise ValidationError(f"Cette archive contient trop de fichiers ({ZIP_MAX_MEMBERS} au plus).", code="zip")
    if sum(member.file_size for member in members) > ZIP_MAX_UNCOMPRESSED:
        raise ValidationError("Cette archive est trop volumineuse une fois décompressée.", code="zip_bomb")
    names = {member.filename for member in members}
    for member in members:
        # Even inside a document: an OpenDocument or Office file holds XML and images, never a program.
        if PurePosixPath(member.filename).suffix.lower() in PROGRAM_SUFFIXES:
            raise ValidationError(
                f"Ce fichier contient « {PurePosixPath(member.filename).name} », un programme : refusé.",
                code="zip_member",
            )
    try:
        if "mimetype" in names:
            mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
            if mimetype in OPENDOCUMENT:
                _check_document_members(archive, members)
                return Recognised(mimetype, OPENDOCUMENT[mimetype][0])
        if "[Content_Types].xml" in names:
            for prefix, (extension, content_type) in OFFICE.items():
                if any(member.startswith(prefix) for member in names):
                    _check_document_members(archive, members)
                    return Recognised(content_type, extension)
        for member in members:
            _check_member(archive, member)
    except UNREADABLE_ZIP:
        # Encrypted members, unknown compression, a corrupted entry: not a file we can vouch for.
        raise ValidationError("Cette archive ZIP est illisible ou abîmée.", code="bad_zip") from None
    return Recognised("application/zip", "zip")


def _check_document_members(archive, members):
    """An OpenDocument or Office file holds XML, images and thumbnails: no page, SVG or program inside."""
    for member in members:
        path = PurePosixPath(member.filename)
        if member.is_dir():
            continue
        if path.suffix.lower() in EXECUTABLE_SUFFIXES:
            raise ValidationError(
                f"Ce document contient « {path.name} », un type de fichier refusé (programme, page web ou SVG).",
                code="zip_member",
            )
        with archive.open(member) as handle:
            head = handle.read(HEAD_SIZE)
        if head.startswith(EXECUTABLE_SIGNATURES):
            raise ValidationError(f"Ce document contient « {path.name} », un programme : refusé.", code="zip_member")


def _check_member(archive, member):
    """A ZIP's member: by its name and the start of its content (cheap: a few bytes each)."""
    path = PurePosixPath(member.filename)
    if member.is_dir():
        return
    if path.suffix.lower() in EXECUTABLE_SUFFIXES:
        raise ValidationError(
            f"L’archive contient « {path.name} », un type de fichier refusé (programme, page web ou SVG).",
            code="zip_member",
        )
    with archive.open(member) as handle:
        head = handle.read(HEAD_SIZE)
    if head.startswith(EXECUTABLE_SIGNATURES) or _looks_like_markup(head):
        raise ValidationError(
            f"L’archive contient « {path.name} », un programme ou une page web : refusé.", code="zip_member"
        )


def recognise(uploaded):
    """The type of ``uploaded`` from its content, or a ``ValidationError`` in French."""
    limit = max_upload_bytes()
    if uploaded.size > limit:
        weight = f"{math.ceil(uploaded.size * 10 / (1024 * 1024)) / 10:.1f}".replace(".", ",")
        raise ValidationError(
            f"Ce fichier pèse {weight}\u00a0Mo : {limit // (1024 * 1024)}\u00a0Mo au plus.", code="too_large"
        )
    if uploaded.size == 0:
        raise ValidationError("Ce fichier est vide.", code="empty")
    if PurePosixPath(uploaded.name or "").suffix.lower() in PROGRAM_SUFFIXES:
        # A script is plain text: refused by its name too, as a double click would run it.
        raise ValidationError(
            "Ce fichier porte le nom d’un programme ou d’un script : il n’est pas accepté.", code="program_name"
        )
    data = _read(uploaded)
    head = data[:HEAD_SIZE]
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise ValidationError(
            "Ce fichier est un programme, quel que soit son nom : il n’est pas accepté.", code="executable"
        )
    if head.startswith(b"%PDF-"):
        return Recognised("application/pdf", "pdf")
    if head.startswith(OLE_SIGNATURE):
        suffix = PurePosixPath(uploaded.name or "").suffix.lower().lstrip(".")
        legacy = {
            "doc": "application/msword",
            "xls": "application/vnd.ms-excel",
            "ppt": "application/vnd.ms-powerpoint",
        }
        if suffix not in legacy:  # the same container holds Windows installers (.msi)
            raise ValidationError(REFUSED, code="refused")
        return Recognised(legacy[suffix], suffix)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data, uploaded.name)
    kind = filetype.guess(head)
    if kind is not None and kind.mime in IMAGES:
        return Recognised(kind.mime, IMAGES[kind.mime])
    if kind is None and _plain_text(data):
        return Recognised("text/plain; charset=utf-8", "txt")
    if _looks_like_markup(head):
        raise ValidationError(
            "Les pages web et les images SVG ne sont pas acceptées (elles peuvent contenir du code) : "
            "déposez un PDF ou une image PNG ou JPEG.",
            code="markup",
        )
    raise ValidationError(REFUSED, code="refused")


def validate_upload(uploaded):
    """For a form field: the recognised type is kept on the file for the service."""
    uploaded.recognised = recognise(uploaded)
    return uploaded
