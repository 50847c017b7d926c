"""Tiny real files for the upload tests, made in memory."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def zipped(members, *, first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(first[0], first[1], compress_type=zipfile.ZIP_STORED)
        for name, content in members.items():
            archive.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def odt():
    return zipped(
        {"content.xml": "<office:document-content/>", "META-INF/manifest.xml": "<manifest/>"},
        first=("mimetype", "application/vnd.oasis.opendocument.text"),
    )


def docx():
    return zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>", "_rels/.rels": "<R/>"})


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
