"""Drawn portraits for the demo's members: shapes drawn by code, never anyone's photograph.

Each is a simple head-and-shoulders figure in colours picked from the member's slug, made
into PNG bytes and then imported as any photo would be (checked, redrawn, resized), with a
credit saying it is a drawing.
"""

from __future__ import annotations

import hashlib
import io

from PIL import Image, ImageDraw

CREDIT = "Drawing made for moot's demo; not a photograph"
LICENCE = "CC0"
SKIN = ["#f1c27d", "#e0ac69", "#c68642", "#8d5524", "#ffdbac"]
HAIR = ["#2c1b10", "#6a4e42", "#b55239", "#d6c4a8", "#9a9a9a"]
CLOTHES = ["#1d3f6e", "#5b2a4a", "#2f5d50", "#3a3a3a", "#7a4b12"]
BACKGROUND = ["#d2e2f1", "#cfe4dc", "#ddd6ec", "#fde4d7", "#e8e8e8"]


def _pick(options: list[str], digest: bytes, index: int) -> str:
    return options[digest[index] % len(options)]


def drawn_portrait(*, slug: str, width: int = 360, height: int = 480) -> bytes:
    """A PNG of a drawn head and shoulders, the same for the same slug."""
    digest = hashlib.sha256(slug.encode()).digest()
    image = Image.new("RGB", (width, height), _pick(BACKGROUND, digest, 0))
    draw = ImageDraw.Draw(image)
    centre = width // 2
    # Shoulders and collar.
    draw.ellipse(
        (centre - 170, height - 170, centre + 170, height + 170), fill=_pick(CLOTHES, digest, 1)
    )
    draw.polygon(
        [(centre - 40, height - 165), (centre + 40, height - 165), (centre, height - 100)],
        fill="#ffffff",
    )
    # Neck, then hair behind the head, then the face.
    skin = _pick(SKIN, digest, 2)
    draw.rectangle((centre - 32, height - 230, centre + 32, height - 150), fill=skin)
    hair = _pick(HAIR, digest, 3)
    long_hair = digest[4] % 2 == 0
    if long_hair:
        draw.rounded_rectangle((centre - 100, 90, centre + 100, 330), radius=90, fill=hair)
    draw.ellipse((centre - 85, 95, centre + 85, 300), fill=skin)
    draw.chord((centre - 92, 80, centre + 92, 230), start=180, end=360, fill=hair)
    # Eyes, brows and a smile.
    for side in (-1, 1):
        x = centre + side * 35
        draw.ellipse((x - 9, 185, x + 9, 200), fill="#ffffff")
        draw.ellipse((x - 5, 187, x + 5, 198), fill="#2b2b2b")
        draw.line((x - 14, 172, x + 14, 170 - side * 2), fill=hair, width=5)
    draw.arc((centre - 35, 215, centre + 35, 265), start=20, end=160, fill="#8a3b3b", width=5)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
