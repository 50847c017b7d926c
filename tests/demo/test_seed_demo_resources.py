"""seed_demo's resource library: forty resources of every kind and licence, by the demo's advisors, with
small real files generated at seed time, retours d'expérience tied to the past events, a few réseau-only,
drafts and reported ones — and a second run creates nothing."""

import io
import zipfile
from collections import Counter
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import F
from PIL import Image

from demo.resources import odt_bytes, pdf_bytes
from events.models import Event
from resources.enums import Licence, ReportStatus, ResourceKind, ResourceStatus, ResourceVisibility
from resources.models import Resource, ResourceComment, ResourceFile, ResourceReport, ResourceUseful
from territories.text import normalize


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    run("import_territories", "--departements", "42", "974")
    return run("seed_demo")


def test_about_forty_resources_of_every_kind_and_licence(seeded):
    resources = Resource.objects.filter(departement="42")
    assert 35 <= resources.count() <= 45
    assert set(resources.values_list("kind", flat=True)) == set(ResourceKind.values)
    assert set(resources.values_list("licence", flat=True)) == set(Licence.values)
    assert "Ressources : 40 ressources créées (9 fichiers joints" in seeded


def test_authors_skills_publics_and_search_text(seeded):
    resources = list(Resource.objects.prefetch_related("authors", "skills", "publics"))
    assert all(resource.authors.all() for resource in resources)
    assert sum(len(resource.authors.all()) >= 2 for resource in resources) >= 5  # co-authored
    assert all(resource.skills.all() for resource in resources)
    assert sum(bool(resource.publics.all()) for resource in resources) >= 15
    assert all(resource.structure_id for resource in resources)
    ameli = Resource.objects.select_related("structure").get(title="Créer son compte ameli pas à pas")
    assert ameli.structure_id == ameli.authors.get().structure_id  # the author's own structure
    assert ameli.files.get().original_name == "creer-son-compte-ameli-pas-a-pas.pdf"
    assert all(resource.versions.count() == 1 for resource in resources[:3])
    ameli = Resource.objects.get(title="Créer son compte ameli pas à pas")
    assert ameli.search_text == normalize(f"{ameli.title} {ameli.summary} {ameli.body}")
    assert "demarches" in Resource.objects.get(title__contains="jeu de cartes des démarches").search_text


def test_the_full_text_search_finds_the_demo_resources(seeded):
    found = list(Resource.objects.published().search("demarche").values_list("title", flat=True))
    assert "Kit d’animation : le jeu de cartes des démarches en ligne" in found
    assert list(Resource.objects.search("securite")) and list(Resource.objects.search("AMELI"))


def test_drafts_reseau_and_published(seeded):
    statuses = Counter(Resource.objects.values_list("status", flat=True))
    assert 2 <= statuses[ResourceStatus.DRAFT] <= 5
    assert Resource.objects.filter(status=ResourceStatus.DRAFT, published_at__isnull=False).count() == 0
    assert 3 <= Resource.objects.filter(visibility=ResourceVisibility.NETWORK).count() <= 8


def test_each_past_event_has_its_retour_d_experience(seeded):
    past = Event.objects.past().filter(departement="42")
    assert past.count() == 2
    for event in past:
        retour = Resource.objects.get(event=event)
        assert retour.kind == ResourceKind.RETOUR
        assert retour.status == ResourceStatus.PUBLISHED


def test_reports_useful_and_comments(seeded):
    reports = ResourceReport.objects.filter(status=ReportStatus.OPEN)
    assert reports.count() == 3
    assert all(report.user_id and report.message for report in reports)
    assert ResourceUseful.objects.count() >= 60
    assert ResourceComment.objects.count() >= 4
    # Nobody marks their own resource useful.
    assert not ResourceUseful.objects.filter(resource__authors__user=F("user")).exists()


def test_generated_files_are_real_pdf_odt_and_png(seeded):
    files = {file.content_type: file for file in ResourceFile.objects.all()}
    assert set(files) == {"application/pdf", "application/vnd.oasis.opendocument.text", "image/png"}
    for file in ResourceFile.objects.all():
        assert file.file.name.startswith("resources/") and len(file.file.name.split("/")[1].split(".")[0]) == 32
        assert default_storage.size(file.file.name) == file.size > 100
        assert file.original_name.rsplit(".", 1)[1] in {"pdf", "odt", "png"}
    with default_storage.open(files["application/pdf"].file.name) as pdf:
        content = pdf.read()
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
    with default_storage.open(files["image/png"].file.name) as png:
        assert Image.open(png).format == "PNG"


def test_generated_files_pass_the_upload_check_of_members_files(seeded):
    """The demo's files are what a member could upload: recognised from their content, same type."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from resources.uploads import recognise

    for file in ResourceFile.objects.all():
        with default_storage.open(file.file.name) as stored:
            uploaded = SimpleUploadedFile(file.original_name, stored.read())
        assert recognise(uploaded).content_type == file.content_type


def test_pdf_has_a_correct_xref_table():
    content = pdf_bytes("Créer son compte (ameli)")
    startxref = int(content.rsplit(b"startxref", 1)[1].split()[0])
    assert content[startxref:].startswith(b"xref")
    offsets = [int(line.split()[0]) for line in content[startxref:].split(b"\n")[3:8]]
    for number, offset in enumerate(offsets, start=1):
        assert content[offset:].startswith(b"%d 0 obj" % number)
    assert len(content) < 1500


def test_odt_has_mimetype_first_and_stored():
    archive = zipfile.ZipFile(io.BytesIO(odt_bytes("Titre", ["Un paragraphe & <b>"])))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    assert {"META-INF/manifest.xml", "content.xml"} <= set(archive.namelist())
    assert b"Un paragraphe &amp; &lt;b&gt;" in archive.read("content.xml")


def test_resources_seeded_once(seeded):
    before = (Resource.objects.count(), ResourceFile.objects.count(), ResourceUseful.objects.count())
    output = run("seed_demo")
    assert (Resource.objects.count(), ResourceFile.objects.count(), ResourceUseful.objects.count()) == before
    assert "déjà en place" in output
