"""The resources of the Loire demo (``demo/data/loire/resources.json``): forty fiches pratiques, supports
d'atelier, kits d'animation, retours d'expérience (one for each past demo event, tied to it), guides, outils,
veille and vidéos, of every licence, written by the demo's advisors (some together), a few réseau-only, a few
drafts, a few reported; « utile » marks and comments.

Some carry a small real file generated here at seed time (no binary file in the repository): a PDF, an
OpenDocument text and a PNG image, stored like an upload (``resources/<uuid>.<ext>``). Each resource is
found by its département and title before it is created, so a second run creates nothing; the rows are
written in bulk: a dozen queries whatever the content.
"""

import io
import zipfile
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from advisors.models import Structure
from demo.content import LOIRE, read
from demo.events import _People
from events.models import Event
from resources.enums import ReportReason, ResourceStatus, ResourceVisibility
from resources.models import (
    Resource,
    ResourceComment,
    ResourceFile,
    ResourceReport,
    ResourceUseful,
    ResourceVersion,
    resource_file_path,
    resource_search_text,
)
from skills.models import Public, Skill
from territories.text import normalize

RESOURCES = read("loire", "resources")["resources"]
STRUCTURE_NAMES = {spec.key: spec.name for spec in LOIRE.structures}


def _pdf_escape(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(title):
    """A minimal valid one-page PDF (PDF 1.4, Helvetica) showing ``title``, with a correct xref table."""
    line = _pdf_escape(title.encode("latin-1", "replace").decode("latin-1"))
    stream = f"BT /F1 16 Tf 56 780 Td ({line}) Tj 0 -28 Td /F1 11 Tf (Maillage - ressource de demonstration) Tj ET"
    stream_bytes = stream.encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream_bytes) + stream_bytes + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def odt_bytes(title, paragraphs):
    """A minimal OpenDocument text: ``mimetype`` first and stored, a manifest, the content."""
    from xml.sax.saxutils import escape

    body = "".join(f"<text:p>{escape(paragraph)}</text:p>" for paragraph in paragraphs)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        f'<office:body><office:text><text:h text:outline-level="1">{escape(title)}</text:h>{body}'
        "</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def png_bytes(seed):
    """A small PNG illustration (a coloured card with a few bars), different for each resource."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), (245, 245, 255))
    draw = ImageDraw.Draw(image)
    hue = sum(map(ord, seed))
    colour = (40 + hue % 120, 60 + hue * 7 % 120, 120 + hue * 13 % 120)
    draw.rectangle((16, 16, 304, 184), outline=colour, width=4)
    for index in range(5):
        height = 20 + (hue >> index) % 110
        draw.rectangle((40 + index * 50, 170 - height, 70 + index * 50, 170), fill=colour)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _slug(title):
    """« Créer son compte ameli pas à pas » → ``creer-son-compte-ameli-pas-a-pas`` (50 characters at most, whole
    words)."""
    words, length = [], 0
    for word in normalize(title).split():
        if length + len(word) > 50:
            break
        words.append(word)
        length += len(word) + 1
    return "-".join(words) or "ressource"


def demo_file(kind, spec):
    """``(original name, content type, bytes)`` of the file ``kind`` (pdf, odt, png) for a resource spec."""
    name = _slug(spec["title"])
    if kind == "pdf":
        return f"{name}.pdf", "application/pdf", pdf_bytes(spec["title"])
    if kind == "odt":
        paragraphs = [spec["summary"], *[line for line in spec.get("body", "").splitlines() if line.strip()]]
        return f"{name}.odt", "application/vnd.oasis.opendocument.text", odt_bytes(spec["title"], paragraphs)
    return f"{name}.png", "image/png", png_bytes(spec["title"])


def resources_ensure(*, departement, report):
    """Create the demo's resources that do not exist yet; sets ``report.resources`` to how many were created
    and ``report.resource_files`` to the files stored with them."""
    existing = set(Resource.objects.filter(departement=departement).values_list("title", flat=True))
    specs = [spec for spec in RESOURCES if spec["title"] not in existing]
    if not specs:
        return []
    now = timezone.now()
    people = _People(departement)
    skills = {skill.slug: skill for skill in Skill.objects.filter(slug__in={s for r in specs for s in r["skills"]})}
    publics = {
        public.slug: public for public in Public.objects.filter(slug__in={p for r in specs for p in r["publics"]})
    }
    names = {STRUCTURE_NAMES[spec["structure"]] for spec in specs if spec.get("structure") in STRUCTURE_NAMES}
    structures = {s.name: s for s in Structure.objects.filter(name__in=names)}
    events = {
        event.title: event
        for event in Event.objects.filter(
            departement=departement, title__in={spec["event"] for spec in specs if spec.get("event")}
        )
    }
    resources = []
    for spec in specs:
        authors = [advisor for advisor in map(people.get, spec["authors"]) if advisor is not None]
        draft = spec.get("status") == ResourceStatus.DRAFT
        when = now - timedelta(days=spec.get("days", 0))
        resource = Resource(
            departement=departement,
            kind=spec["kind"],
            title=spec["title"],
            summary=spec["summary"],
            body=spec.get("body", ""),
            link=spec.get("link", ""),
            licence=spec["licence"],
            # The first author's structure; the spec's for a coordinator without one.
            structure_id=(authors[0].structure_id if authors else None)
            or getattr(structures.get(STRUCTURE_NAMES.get(spec.get("structure"))), "pk", None),
            visibility=spec.get("visibility", ResourceVisibility.PUBLIC),
            status=ResourceStatus.DRAFT if draft else ResourceStatus.PUBLISHED,
            event=events.get(spec.get("event")),
            # PostgreSQL's search_vector is written by the trigger of resources' migration 0002 on insert.
            search_text=resource_search_text(
                Resource(title=spec["title"], summary=spec["summary"], body=spec.get("body", ""))
            ),
            created_by=authors[0].user if authors else None,
            created_at=when,
            published_at=None if draft else when,
            download_count=spec.get("useful", 0) * 3,
        )
        resources.append((resource, spec, authors))
    Resource.objects.bulk_create([resource for resource, _, _ in resources])

    through_authors, through_skills, through_publics = [], [], []
    versions, files, useful, comments, reports = [], [], [], [], []
    for resource, spec, authors in resources:
        through_authors += [Resource.authors.through(resource=resource, advisor=advisor) for advisor in authors]
        through_skills += [
            Resource.skills.through(resource=resource, skill=skills[slug]) for slug in spec["skills"] if slug in skills
        ]
        through_publics += [
            Resource.publics.through(resource=resource, public=publics[slug])
            for slug in spec["publics"]
            if slug in publics
        ]
        versions.append(
            ResourceVersion(
                resource=resource,
                number=1,
                title=resource.title,
                summary=resource.summary,
                body=resource.body,
                link=resource.link,
                licence=resource.licence,
                change_summary="Première version",
                edited_by=resource.created_by,
                edited_at=resource.created_at,
            )
        )
        if spec.get("file"):
            original_name, content_type, content = demo_file(spec["file"], spec)
            stored = default_storage.save(resource_file_path(None, original_name), ContentFile(content))
            files.append(
                ResourceFile(
                    resource=resource,
                    file=stored,
                    original_name=original_name,
                    content_type=content_type,
                    size=len(content),
                    created_at=resource.created_at,
                )
            )
        skip = sum(map(ord, spec["title"])) % 20
        readers = [advisor for advisor in people.crowd(spec.get("useful", 0), skip=skip) if advisor not in authors]
        useful += [ResourceUseful(resource=resource, user=advisor.user) for advisor in readers]
        for rank, comment in enumerate(spec.get("comments", [])):
            advisor = people.get(comment["by"])
            if advisor is not None:
                comments.append(
                    ResourceComment(
                        resource=resource,
                        user=advisor.user,
                        body=comment["body"],
                        created_at=resource.created_at + timedelta(days=1 + rank),
                    )
                )
        if spec.get("report"):
            advisor = people.get(spec["report"]["by"])
            reports.append(
                ResourceReport(
                    resource=resource,
                    user=advisor.user if advisor else None,
                    reason=ReportReason(spec["report"]["reason"]),
                    message=spec["report"].get("message", ""),
                    created_at=now - timedelta(days=1),
                )
            )
    Resource.authors.through.objects.bulk_create(through_authors)
    Resource.skills.through.objects.bulk_create(through_skills)
    Resource.publics.through.objects.bulk_create(through_publics)
    ResourceVersion.objects.bulk_create(versions)
    ResourceFile.objects.bulk_create(files)
    ResourceUseful.objects.bulk_create(useful)
    ResourceComment.objects.bulk_create(comments)
    ResourceReport.objects.bulk_create(reports)
    report.resources = len(resources)
    report.resource_files = len(files)
    return [resource for resource, _, _ in resources]
