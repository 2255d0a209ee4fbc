"""Members' photos read safely: checked, decoded within limits, and redrawn without metadata.

Nothing here touches the database or storage: bytes in, JPEG bytes out, or ``ImageRefused``
with a reason a person can act on. Defences, in order:

- the file's size is checked before anything reads it (``MAX_FILE_BYTES``);
- its type comes from its content, never its name: only JPEG, PNG and WebP are taken;
- its dimensions are read from the header and refused past ``MAX_PIXELS`` before a pixel is
  decoded, so a decompression bomb (a small file declaring a vast image) costs nothing;
  Pillow's own bomb warning is an error here too;
- decoding errors (a truncated or corrupt file) are refusals, never partial images:
  Pillow's ``LOAD_TRUNCATED_IMAGES`` stays off;
- the output is drawn afresh from the pixels alone, so no EXIF (camera, GPS position), ICC,
  XMP or comment survives; EXIF orientation is applied first so the face is upright.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 8,000 × 5,000: larger than any portrait needs
MIN_SIDE = 40
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
# The pages show members at 90×120 (their page) and 60×80 (beside a speech or answer):
# these are twice that, for high-density screens. Portrait, 3:4.
SIZES = {"photo": (180, 240), "thumbnail": (120, 160)}
JPEG_QUALITY = 85


class ImageRefused(ValueError):
    """The file is not a photo moot will show; the message says why."""


@dataclass(frozen=True)
class Portrait:
    photo: bytes  # JPEG, SIZES["photo"]
    thumbnail: bytes  # JPEG, SIZES["thumbnail"]
    source_format: str
    source_size: tuple[int, int]


def _decoded(data: bytes) -> Image.Image:
    if len(data) > MAX_FILE_BYTES:
        raise ImageRefused(
            f"the file is {len(data):,} bytes; moot takes photos of up to {MAX_FILE_BYTES:,}"
        )
    if not data:
        raise ImageRefused("the file is empty")
    # Never draw what is missing: a truncated file is refused, not padded with grey.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
        except UnidentifiedImageError:
            raise ImageRefused("not a JPEG, PNG or WebP image") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused("the image declares more pixels than a photo has") from None
        except (OSError, SyntaxError, ValueError) as error:
            raise ImageRefused(f"the image cannot be read ({error})") from None
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ImageRefused(
                f"the image is {width:,}×{height:,} pixels; moot takes up to "
                f"{MAX_PIXELS:,} (a decompression bomb, or far larger than a portrait)"
            )
        if min(width, height) < MIN_SIDE:
            raise ImageRefused(f"the image is {width}×{height} pixels, too small for a photo")
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused("the image declares more pixels than a photo has") from None
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise ImageRefused(f"the image is truncated or corrupt ({error})") from None
    return image


def _jpeg(image: Image.Image, size: tuple[int, int]) -> bytes:
    # A centred crop to 3:4, biased upwards: portraits put the face in the top half.
    fitted = ImageOps.fit(image, size, method=Image.Resampling.LANCZOS, centering=(0.5, 0.3))
    # A new image from the pixels alone: nothing from the source's metadata comes along.
    clean = Image.new("RGB", fitted.size)
    clean.paste(fitted)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def portrait_from_bytes(data: bytes) -> Portrait:
    """The member's photo and thumbnail from an image file's bytes; ``ImageRefused`` if the
    file is not one moot will show."""
    image = _decoded(data)
    source_format = FORMATS[image.format or ""] if image.format in FORMATS else "?"
    source_size = image.size
    upright = ImageOps.exif_transpose(image)
    if upright.mode in ("RGBA", "LA", "P", "PA"):
        # Transparent areas on white, as the page behind them is.
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    else:
        upright = upright.convert("RGB")
    return Portrait(
        photo=_jpeg(upright, SIZES["photo"]),
        thumbnail=_jpeg(upright, SIZES["thumbnail"]),
        source_format=source_format,
        source_size=source_size,
    )
