"""Safe uploads: the type is read from the content; refused files are said next to the file field and
the rest of the form is kept; files are served by the app with safe headers, to those who may see them."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from resources.models import Resource, ResourceFile
from resources.services import publish as services
from resources.uploads import OLE_SIGNATURE, recognise, validate_upload
from tests.advisors.factories import AdvisorFactory
from tests.resources.factories import ResourceFactory
from tests.resources.files import PDF, docx, jpeg, odt, png, upload, zipped


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.RESOURCES_MAX_UPLOAD_MB = 20


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("fiche.pdf", PDF, "application/pdf"),
        ("compte-rendu.odt", odt(), "application/vnd.oasis.opendocument.text"),
        ("guide.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("ancien.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "application/msword"),
        ("affiche.png", png(), "image/png"),
        ("photo.jpg", jpeg(), "image/jpeg"),
        ("notes.txt", "Étapes de l’atelier : 1. créer le compte".encode(), "text/plain; charset=utf-8"),
        ("kit.zip", zipped({"fiche.pdf": PDF, "lisez-moi.txt": b"Bonjour"}), "application/zip"),
    ],
)
def test_accepted_formats_are_recognised_from_their_content(name, content, content_type):
    assert recognise(upload(name, content)).content_type == content_type


def test_a_pdf_named_txt_is_still_a_pdf():
    assert recognise(upload("fiche.txt", PDF, "text/plain")).content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<!DOCTYPE html><html><body>Bonjour</body></html>", "pages web"),
        ("page.txt", b"<script>alert(1)</script>", "pages web"),
        ("notes.txt", b"Bonjour\n<img src=x onerror=alert(1)>", "pages web"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
        ("logo.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "SVG"),
        ("fiche.pdf", b"MZ\x90\x00" + b"\x00" * 100, "programme"),
        ("fiche.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "programme"),
        ("kit.zip", zipped({"fiche.pdf": PDF, "setup.exe": b"MZ\x90\x00"}), "setup.exe"),
        ("kit.zip", zipped({"outil.dat": b"MZ\x90\x00rest"}), "programme"),
        (
            "guide.docx",
            zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>", "word/run.exe": b"MZ"}),
            "run.exe",
        ),
        ("kit.zip", b"PK\x03\x04 not really a zip", "illisible"),
        ("binaire.bin", bytes(range(256)) * 4, "n’est pas accepté"),
        ("vide.pdf", b"", "vide"),
    ],
)
def test_refused_files_say_why_in_french(name, content, message):
    with pytest.raises(ValidationError) as refused:
        recognise(upload(name, content))
    assert message in refused.value.messages[0]


def test_a_zip_bomb_is_refused(monkeypatch):
    monkeypatch.setattr("resources.uploads.ZIP_MAX_UNCOMPRESSED", 1000)
    with pytest.raises(ValidationError, match="décompressée"):
        recognise(upload("kit.zip", zipped({"zeros.txt": b"0" * 5000})))


def test_a_file_over_the_limit_is_refused(settings):
    settings.RESOURCES_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError) as refused:
        recognise(upload("gros.pdf", PDF + b" " * (1024 * 1024 + 1)))
    assert refused.value.messages == ["Ce fichier pèse 1,1\u00a0Mo : 1\u00a0Mo au plus."]


# Through the form: the refusal next to the file field, the rest kept


def _publisher(loire):
    return AdvisorFactory(departement=loire)


def _data(**overrides):
    data = {
        "departement": "42",
        "kind": "fiche",
        "title": "Créer son adresse e-mail",
        "summary": "Les étapes pour créer une adresse électronique.",
        "link": "",
        "licence": "etalab-2.0",
        "body": "## Étapes",
        "authors_emails": "",
        "scope": "departement",
        "visibility": "public",
        "action": "publish",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("dessin.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("dessin.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>'),
        ("fiche.pdf", b"MZ\x90\x00" + b"\x00" * 64),
        ("fiche.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64),
        ("kit.zip", zipped({"setup.exe": b"MZ\x90\x00"})),
    ],
)
def test_a_refused_upload_keeps_the_rest_of_the_form(client, loire, name, content):
    client.force_login(_publisher(loire).user)
    response = client.post(reverse("resources:create"), _data(files=upload(name, content)))
    assert response.status_code == 200
    errors = response.context["form"].errors["files"]
    assert errors and errors[0].startswith(f"« {name} » :")
    html = response.content.decode()
    assert 'value="Créer son adresse e-mail"' in html
    assert "Les étapes pour créer une adresse électronique." in html
    assert not Resource.objects.exists() and not ResourceFile.objects.exists()


def test_a_file_too_large_is_refused_in_the_form(client, loire, settings):
    settings.RESOURCES_MAX_UPLOAD_MB = 1
    client.force_login(_publisher(loire).user)
    response = client.post(
        reverse("resources:create"), _data(files=upload("gros.pdf", PDF + b" " * (1024 * 1024 + 10)))
    )
    assert "1\u00a0Mo au plus" in response.context["form"].errors["files"][0]
    assert not Resource.objects.exists()


def test_accepted_files_are_stored_under_names_the_user_does_not_choose(client, loire, tmp_path):
    client.force_login(_publisher(loire).user)
    response = client.post(
        reverse("resources:create"),
        _data(files=[upload("../../etc/passwd.pdf", PDF), upload("compte-rendu.odt", odt())]),
    )
    assert response.status_code == 302
    stored = list(ResourceFile.objects.order_by("pk"))
    assert [file.content_type for file in stored] == ["application/pdf", "application/vnd.oasis.opendocument.text"]
    assert stored[0].file.name.startswith("resources/") and "passwd" not in stored[0].file.name
    assert stored[0].file.name.endswith(".pdf") and (tmp_path / stored[0].file.name).exists()
    assert stored[0].original_name == "passwd.pdf"


# Serving


def _resource_with(content, name, **traits):
    resource = ResourceFactory(**traits)
    uploaded = validate_upload(upload(name, content))
    file = services.resource_file_add(resource=resource, uploaded=uploaded)
    return resource, file


@pytest.mark.django_db
def test_a_pdf_is_shown_inline_with_safe_headers(client):
    resource, file = _resource_with(PDF, "fiche.pdf")
    response = client.get(reverse("resources:file", args=[resource.pk, file.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    # Previewed in the resource page's <object>: framed by our pages only, no sandbox (Chromium would
    # show a blank frame); the file is a PDF by its content, never HTML.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    resource.refresh_from_db()
    assert resource.download_count == 1

    client.get(reverse("resources:file", args=[resource.pk, file.pk]) + "?apercu=1")  # the page's preview
    resource.refresh_from_db()
    assert resource.download_count == 1


@pytest.mark.django_db
def test_a_downloaded_file_is_sandboxed(client):
    resource, file = _resource_with(docx(), "guide.docx")
    response = client.get(reverse("resources:file", args=[resource.pk, file.pk]))
    assert response["Content-Security-Policy"].startswith("sandbox")


@pytest.mark.django_db
def test_other_files_are_downloaded_as_attachments(client):
    resource, file = _resource_with(docx(), "guide.docx")
    response = client.get(reverse("resources:file", args=[resource.pk, file.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="guide.docx"' in response["Content-Disposition"]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_text_file_is_an_attachment_too(client):
    resource, file = _resource_with(b"Bonjour", "notes.txt")
    response = client.get(reverse("resources:file", args=[resource.pk, file.pk]))
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
def test_files_of_a_draft_or_a_network_resource_are_for_those_who_may_see_it(client, member, outsider):
    draft, draft_file = _resource_with(PDF, "fiche.pdf", draft=True)
    network, network_file = _resource_with(PDF, "fiche.pdf", network=True)
    url_draft = reverse("resources:file", args=[draft.pk, draft_file.pk])
    url_network = reverse("resources:file", args=[network.pk, network_file.pk])
    assert client.get(url_network).status_code in (403, 404)
    client.force_login(member)
    assert client.get(url_network).status_code == 200
    assert client.get(url_draft).status_code == 403
    client.force_login(draft.authors.get().user)
    assert client.get(url_draft).status_code == 200
    # A file of another resource is not found through this one.
    assert client.get(reverse("resources:file", args=[draft.pk, network_file.pk])).status_code == 404


def test_the_s3_store_is_switched_on_by_a_bucket_name_only():
    import json
    import os
    import subprocess
    import sys

    code = "import config.settings as s, json; print(json.dumps(s.STORAGES['default']))"
    env = {**os.environ, "DJANGO_SECRET_KEY": "x" * 50}
    env.pop("MAILLAGE_S3_BUCKET", None)
    local = json.loads(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True).stdout)
    assert local["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    env.update(MAILLAGE_S3_BUCKET="maillage-fichiers", MAILLAGE_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud")
    s3 = json.loads(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True).stdout)
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "maillage-fichiers"
    assert s3["OPTIONS"]["default_acl"] == "private" and s3["OPTIONS"]["querystring_auth"] is True


@pytest.mark.django_db
def test_the_service_checks_a_file_given_without_a_form():
    from django.core.files.base import ContentFile

    resource = ResourceFactory()
    stored = services.resource_file_add(resource=resource, uploaded=ContentFile(PDF, name="bilan.pdf"))
    assert stored.content_type == "application/pdf" and stored.original_name == "bilan.pdf"
    with pytest.raises(ValidationError):
        services.resource_file_add(resource=resource, uploaded=ContentFile(b"MZ\x90", name="bilan.pdf"))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("facture.js", b'new ActiveXObject("WScript.Shell").Run("calc");'),
        ("lancer.bat", b"@echo off\r\nstart calc\r\n"),
        ("script.ps1", b"Start-Process calc"),
        ("setup.msi", OLE_SIGNATURE + b"\x00" * 600),
    ],
)
def test_scripts_and_installers_are_refused_whatever_they_look_like(name, content):
    with pytest.raises(ValidationError):
        recognise(upload(name, content))


def _zip(entries, **kwargs):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", **kwargs) as archive:
        for entry, data in entries:
            archive.writestr(entry, data)
    return buffer.getvalue()


def test_a_document_carrying_a_page_or_an_svg_is_refused():
    odt = _zip(
        [
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", "<?xml version='1.0'?><office:document-content/>"),
            ("evil.html", "<script>alert(1)</script>"),
        ]
    )
    with pytest.raises(ValidationError):
        recognise(upload("archive.odt", odt))


def test_a_damaged_zip_member_is_a_french_error_not_a_crash():
    data = bytearray(_zip([("notes.txt", "Bonjour " * 200)], compression=zipfile.ZIP_DEFLATED))
    # Damage the compressed bytes of the member: reading it fails its CRC or its inflation.
    start = data.index(b"notes.txt") + len("notes.txt")
    for offset in range(start + 5, start + 25):
        data[offset] ^= 0xFF
    with pytest.raises(ValidationError, match="illisible ou abîmée"):
        recognise(upload("archive.zip", bytes(data)))


@pytest.mark.django_db
def test_a_text_file_leaves_with_the_extension_of_what_it_is():
    resource = ResourceFactory()
    file = services.resource_file_add(resource=resource, uploaded=validate_upload(upload("notes.md", b"# Notes")))
    assert file.original_name == "notes.txt"
    assert file.file.name.endswith(".txt")
