"""Profile photos: check what was uploaded really is a photo, then shrink and re-encode it.

Re-encoding from the pixels alone drops everything else the file carried: EXIF (camera,
date, GPS position), XMP, comments. An upload is refused when Pillow cannot read it as a
JPEG, PNG or WebP image, whatever its name or its declared content type says.
"""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_SIDE = 512
# A 5 MB file can still decode to a huge bitmap ("decompression bomb"): refuse it before decoding.
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
JPEG_QUALITY = 85

MESSAGES = {
    "too_big": "Cette photo pèse plus de 5 Mo : choisissez une image plus légère.",
    "not_image": "Ce fichier n’est pas une image lisible : choisissez une photo au format JPEG, PNG ou WebP.",
    "format": "Ce format d’image n’est pas accepté : choisissez une photo au format JPEG, PNG ou WebP.",
    "dimensions": "Cette image est trop grande pour être traitée (plus de 40 millions de pixels).",
}


def _refuse(code):
    return ValidationError(MESSAGES[code], code=code)


def _open(upload):
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise _refuse("too_big")
    upload.seek(0)
    try:
        image = Image.open(upload)
    except Image.DecompressionBombError as error:
        raise _refuse("dimensions") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _refuse("not_image") from error
    if image.format not in ACCEPTED_FORMATS:
        raise _refuse("format")
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _refuse("dimensions")
    return image


def photo_check(upload):
    """The cheap checks (weight, real format, dimensions), without decoding the pixels.

    Raises ``ValidationError`` with a French message when the upload is refused.
    """
    _open(upload)
    upload.seek(0)


def photo_process(upload):
    """Validate an uploaded photo and return it as a clean ``ContentFile`` (JPEG, or PNG when
    it has transparency), at most ``MAX_SIDE`` pixels on its longest side, without metadata.

    Raises ``ValidationError`` with a French message when the upload is refused, including
    a file that looks right but whose pixels cannot be decoded (truncated, corrupted).
    """
    image = _open(upload)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _refuse("dimensions") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise _refuse("not_image") from error

    try:
        clean = _without_metadata(image)
    except (OSError, SyntaxError, ValueError) as error:
        raise _refuse("not_image") from error
    output = io.BytesIO()
    if clean.mode == "RGBA":
        clean.save(output, format="PNG", optimize=True)
        extension = "png"
    else:
        clean.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        extension = "jpg"
    return ContentFile(output.getvalue(), name=f"photo.{extension}")


def _without_metadata(image):
    # Turn the pixels the way the camera meant before the orientation tag is dropped.
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    # A new image from the pixels alone: an empty info dictionary, so nothing else is written back.
    clean = Image.new("RGBA" if has_alpha else "RGB", image.size)
    clean.paste(image.convert(clean.mode))
    return clean
