"""Members' photos: TheyWorkForYou's folders and CSVs, metadata stripped, hostile images
refused, credit lines under the photo."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from PIL import Image

from moot.parliament.importers.images import ImageRefused, portrait_from_bytes
from moot.parliament.models import MemberPhoto, Person
from moot.parliament.services.members import members_import
from moot.parliament.services.photos import member_photos_import
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def members(fixtures: Path) -> None:
    members_import(paths=[fixtures / "people.json", fixtures / "ministers.json"])


def jpeg(size: tuple[int, int] = (300, 400), colour: str = "navy", **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG", **save)
    return out.getvalue()


def noise_jpeg() -> bytes:
    """A photo-like JPEG (noise compresses badly, so its scan data is most of the file)."""
    out = io.BytesIO()
    Image.effect_noise((300, 400), 64).convert("RGB").save(out, format="JPEG")
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width``×``height``: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def test_a_photo_is_resized_and_loses_its_metadata() -> None:
    exif = Image.Exif()
    exif[0x010F] = "Example Camera Maker"  # Make
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # a GPS position
    portrait = portrait_from_bytes(jpeg((600, 900), exif=exif.tobytes(), comment=b"secret"))
    for data, size in ((portrait.photo, (180, 240)), (portrait.thumbnail, (120, 160))):
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG"
        assert image.size == size
        assert not image.getexif()
        assert "exif" not in image.info
        assert "comment" not in image.info
        assert b"Example Camera" not in data
        assert b"secret" not in data
    assert portrait.source_format == "JPEG"
    assert portrait.source_size == (600, 900)


def test_transparent_png_is_flattened_on_white() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (200, 200), (255, 0, 0, 0)).save(out, format="PNG")
    image = Image.open(io.BytesIO(portrait_from_bytes(out.getvalue()).photo))
    assert image.getpixel((90, 120)) == pytest.approx((255, 255, 255), abs=3)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (png_declaring(50_000, 50_000), "pixels"),
        (png_declaring(9_000, 9_000), "pixels"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "not a"),
        (b"GIF89a" + b"\x00" * 100, "not a"),
        (b"Just some text pretending to be a JPEG.", "not a"),
        (noise_jpeg()[: len(noise_jpeg()) // 2], "truncated"),
        (jpeg((20, 20)), "too small"),
        (b"", "empty"),
    ],
    ids=["bomb", "large-bomb", "svg", "gif", "text", "truncated", "tiny", "empty"],
)
def test_hostile_and_wrong_images_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(ImageRefused, match=reason):
        portrait_from_bytes(data)


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path, members: None) -> None:
    big = tmp_path / "90002.jpg"
    big.write_bytes(jpeg() + b"\x00" * (11 * 1024 * 1024))
    summary = member_photos_import(paths=[big])
    assert "bytes; moot takes photos of up to" in str(summary.problems[0])
    assert not MemberPhoto.objects.exists()


@pytest.mark.usefixtures("members")
def test_theyworkforyou_folders_prefer_the_large_image_and_import_once(tmp_path: Path) -> None:
    images = tmp_path / "images"
    (images / "mps").mkdir(parents=True)
    (images / "mpsL").mkdir()
    (images / "mps" / "90002.jpg").write_bytes(jpeg((60, 80), "red"))
    (images / "mpsL" / "90002.jpeg").write_bytes(jpeg((300, 400), "green"))
    (images / "mps" / "90001.jpg").write_bytes(jpeg((300, 400), "blue"))
    (images / "mps" / "99999.jpg").write_bytes(jpeg())  # nobody has this id
    (images / "mps" / "notes.txt").write_text("not a photo")
    summary = member_photos_import(
        paths=[images], credit="Example Photographer", licence="CC BY 3.0"
    )
    assert summary.get("photos", "created") == 2
    assert [str(p) for p in summary.problems] == [
        f"{images / 'mps' / '99999.jpg'}: no member has the person id '99999'"
    ]
    goodman = Person.objects.get(name="Helen Goodman")
    record = goodman.photo_record
    assert record.source_name == "90002.jpeg"
    assert record.credit_line == "Example Photographer (CC BY 3.0)"
    assert goodman.photo.name == record.photo.name
    green = Image.open(record.photo.open("rb")).convert("RGB").getpixel((90, 120))
    assert green[1] > 100
    assert green[0] < 50
    names = set(MemberPhoto.objects.values_list("photo", "thumbnail"))
    again = member_photos_import(paths=[images], credit="Example Photographer", licence="CC BY 3.0")
    assert again.get("photos", "unchanged") == 2
    assert again.get("photos", "created") == again.get("photos", "updated") == 0
    assert set(MemberPhoto.objects.values_list("photo", "thumbnail")) == names


@pytest.mark.usefixtures("members")
def test_a_csv_names_each_image_with_its_credit(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "webb.png").write_bytes(png_of((240, 320)))
    (tmp_path / "outside.jpg").write_bytes(jpeg())
    listing = tmp_path / "photos" / "photos.csv"
    listing.write_text(
        "person_id,image,credit,licence\n"
        "uk.org.publicwhip/person/90001,webb.png,Parliamentary copyright,OPL v3.0\n"
        "helen-goodman,../outside.jpg,,\n"
        "90002,missing.jpg,,\n"
    )
    summary = member_photos_import(paths=[listing])
    assert summary.get("photos", "created") == 1
    messages = [str(p) for p in summary.problems]
    assert any("line 3" in m and "is not in the CSV's folder" in m for m in messages)
    assert any("line 4" in m and "no such file" in m for m in messages)
    webb = Person.objects.get(name="Steve Webb")
    assert webb.photo_record.credit_line == "Parliamentary copyright (OPL v3.0)"
    bad = tmp_path / "bad.csv"
    bad.write_text("who,where\n1,2\n")
    assert "needs the columns person_id and image" in str(
        member_photos_import(paths=[bad]).problems[0]
    )


def png_of(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "purple").save(out, format="PNG")
    return out.getvalue()


@pytest.mark.usefixtures("members")
def test_a_new_photo_replaces_the_old_files(
    tmp_path: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    path = tmp_path / "90002.jpg"
    path.write_bytes(jpeg(colour="red"))
    member_photos_import(paths=[path])
    first = MemberPhoto.objects.get()
    old = Path(settings.MEDIA_ROOT) / first.photo.name
    assert old.exists()
    path.write_bytes(jpeg(colour="blue"))
    # The old files go once the new ones are committed.
    with django_capture_on_commit_callbacks(execute=True):
        summary = member_photos_import(paths=[path])
    assert summary.get("photos", "updated") == 1
    second = MemberPhoto.objects.get()
    assert second.photo.name != first.photo.name
    assert not old.exists()


@pytest.mark.usefixtures("members")
def test_pages_show_the_photo_with_its_credit_and_the_thumbnail(
    client: Client, tmp_path: Path
) -> None:
    path = tmp_path / "90002.jpg"
    path.write_bytes(jpeg())
    member_photos_import(paths=[path], credit="Example Photographer", licence="CC BY 3.0")
    html = client.get("/members/helen-goodman/").content.decode()
    assert 'src="/members/helen-goodman/photo/"' in html
    assert "Image: Example Photographer (CC BY 3.0)" in text_of(html)
    photo = client.get("/members/helen-goodman/photo/")
    assert photo["Content-Type"] == "image/jpeg"
    small = client.get("/members/helen-goodman/photo/small/")
    assert small.status_code == 200
    assert Image.open(io.BytesIO(b"".join(small.streaming_content))).size == (120, 160)
    assert client.get("/members/steve-webb/photo/small/").status_code == 404


@pytest.mark.usefixtures("members")
def test_the_command_reports_refusals_and_fails(tmp_path: Path) -> None:
    (tmp_path / "90002.jpg").write_bytes(b"not an image")
    out = io.StringIO()
    with pytest.raises(CommandError, match="could not be imported"):
        call_command("import_member_photos", str(tmp_path), stdout=out)
    assert "not a JPEG, PNG or WebP image" in out.getvalue()
