"""Profile photos: only real JPEG, PNG or WebP images of at most 5 MB, stored resized to 512 px
and re-encoded, so that no EXIF data (camera, date, GPS position) leaves the advisor's phone."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from advisors.models import Advisor
from tests.advisors.factories import AdvisorFactory
from tests.pages import field_errors, page_text

URL = reverse("advisors:my_profile_section", args=["presentation"])


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def advisor(member, loire):
    return AdvisorFactory(user=member, departement=loire, bio="J’anime des ateliers.")


def image_file(name="photo.jpg", *, size=(1200, 800), fmt="JPEG", mode="RGB", exif=None):
    image = Image.new(mode, size, (200, 120, 40) if mode == "RGB" else (200, 120, 40, 128))
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def camera_exif(orientation=1):
    exif = Image.Exif()
    exif[0x010F] = "FabricantTest"  # Make
    exif[0x0110] = "Telephone X"  # Model
    exif[0x0132] = "2026:11:28 10:00:00"  # DateTime
    exif[0x0112] = orientation
    exif.get_ifd(0x8825)[2] = (45.0, 26.0, 2.0)  # GPSLatitude: Saint-Étienne
    return exif


def stored(advisor):
    advisor = Advisor.objects.get(pk=advisor.pk)
    assert advisor.photo, "no photo was stored"
    with advisor.photo.open("rb") as file:
        data = file.read()
    return advisor, data, Image.open(io.BytesIO(data))


def test_a_camera_photo_is_resized_and_loses_its_exif(client, advisor, media_root):
    upload = image_file(exif=camera_exif())
    original = Image.open(io.BytesIO(upload.read())).getexif()
    assert original[0x010F] == "FabricantTest"
    assert original.get_ifd(0x8825)[2] == (45.0, 26.0, 2.0)
    upload.seek(0)
    client.force_login(advisor.user)

    response = client.post(URL, {"bio": "J’anime des ateliers.", "photo": upload})

    assert response.status_code == 302
    advisor, data, image = stored(advisor)
    assert image.format == "JPEG"
    assert image.size == (512, 341)
    assert not image.getexif()
    assert "exif" not in image.info
    assert b"Exif" not in data and b"FabricantTest" not in data
    assert advisor.photo.name.startswith("advisors/photos/")
    assert (media_root / advisor.photo.name).exists()
    # The profile page shows it.
    page = client.get(advisor.get_absolute_url()).content.decode()
    assert f'src="{advisor.photo.url}"' in page


def test_the_camera_orientation_is_applied_before_it_is_dropped(client, advisor):
    # Orientation 6: the camera was turned, the picture must be shown rotated by 90°.
    client.force_login(advisor.user)
    client.post(URL, {"bio": "", "photo": image_file(size=(800, 600), exif=camera_exif(orientation=6))})
    _, _, image = stored(advisor)
    assert image.size == (384, 512)


def test_a_small_png_with_transparency_stays_a_png(client, advisor):
    client.force_login(advisor.user)
    client.post(URL, {"bio": "", "photo": image_file("logo.png", size=(200, 100), fmt="PNG", mode="RGBA")})
    _, _, image = stored(advisor)
    assert (image.format, image.size, image.mode) == ("PNG", (200, 100), "RGBA")


def test_webp_is_accepted(client, advisor):
    client.force_login(advisor.user)
    response = client.post(URL, {"bio": "", "photo": image_file("photo.webp", size=(600, 900), fmt="WEBP")})
    assert response.status_code == 302
    _, _, image = stored(advisor)
    assert max(image.size) == 512


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("photo.jpg", "Ceci n’est pas une photo.".encode(), content_type="image/jpeg"),
            "Ce fichier n’est pas une image lisible : choisissez une photo au format JPEG, PNG ou WebP.",
        ),
        (
            image_file("anim.gif", size=(50, 50), fmt="GIF", mode="RGB"),
            "Ce format d’image n’est pas accepté : choisissez une photo au format JPEG, PNG ou WebP.",
        ),
        (
            # A JPEG cut in the middle: it opens, but its pixels cannot be read.
            SimpleUploadedFile("coupee.jpg", image_file().read()[:400], content_type="image/jpeg"),
            "Ce fichier n’est pas une image lisible : choisissez une photo au format JPEG, PNG ou WebP.",
        ),
        (SimpleUploadedFile("vide.jpg", b"", content_type="image/jpeg"), "Le fichier envoyé est vide."),
    ],
    ids=["text-renamed-jpg", "gif", "truncated", "empty"],
)
def test_what_is_not_a_photo_is_refused_in_french(client, advisor, upload, message, media_root):
    client.force_login(advisor.user)
    response = client.post(URL, {"bio": "Une nouvelle présentation.", "photo": upload})

    assert response.status_code == 200
    assert field_errors(response, "photo") == [message]
    advisor.refresh_from_db()
    # The section failed as a whole: the presentation typed is not half-saved…
    assert advisor.bio == "J’anime des ateliers."
    assert not advisor.photo
    # …but stays in the form, to send again with another photo.
    assert "Une nouvelle présentation.</textarea>" in response.content.decode()
    assert not any(media_root.rglob("*.*"))


def test_more_than_five_megabytes_is_refused(client, advisor):
    # Random pixels do not compress: a real PNG just over 5 MB.
    side = 1400
    noise = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG", compress_level=0)
    assert buffer.tell() > 5 * 1024 * 1024
    client.force_login(advisor.user)

    response = client.post(
        URL, {"bio": "", "photo": SimpleUploadedFile("grande.png", buffer.getvalue(), content_type="image/png")}
    )

    assert field_errors(response, "photo") == ["Cette photo pèse plus de 5 Mo : choisissez une image plus légère."]
    assert not Advisor.objects.get(pk=advisor.pk).photo


def test_a_new_photo_replaces_the_old_file_and_removing_deletes_it(
    client, advisor, media_root, django_capture_on_commit_callbacks
):
    client.force_login(advisor.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"bio": "", "photo": image_file()})
    first = Advisor.objects.get(pk=advisor.pk).photo.name
    assert (media_root / first).exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"bio": "", "photo": image_file(size=(300, 300))})
    second = Advisor.objects.get(pk=advisor.pk).photo.name
    assert second != first
    assert (media_root / second).exists()
    assert not (media_root / first).exists()

    page = client.get(reverse("advisors:my_profile"))
    assert "Retirer ma photo actuelle" in page_text(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"bio": "", "remove_photo": "on"})
    assert response.status_code == 302
    assert not Advisor.objects.get(pk=advisor.pk).photo
    assert not (media_root / second).exists()
    assert "Retirer ma photo actuelle" not in page_text(client.get(reverse("advisors:my_profile")))
