import pytest
from django.apps import apps

from moot.consultations.models import Consultation, ConsultationStatus
from moot.demo import load_demo
from moot.parliament.models import WrittenQuestion

pytestmark = pytest.mark.django_db


def model_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"core", "consultations", "parliament"}
    }


def test_demo_is_idempotent() -> None:
    first = load_demo()
    assert first.staff_password
    counts = model_counts()
    second = load_demo()
    assert not second.created
    assert second.staff_password is None
    assert model_counts() == counts


def test_demo_is_rich_enough_to_explore() -> None:
    load_demo()
    statuses = {c.status for c in Consultation.objects.all()}
    assert {
        ConsultationStatus.OPEN,
        ConsultationStatus.UPCOMING,
        ConsultationStatus.CLOSED,
        ConsultationStatus.ANALYSING,
        ConsultationStatus.OUTCOME_PUBLISHED,
    } <= statuses
    assert WrittenQuestion.objects.count() >= 20
    assert WrittenQuestion.objects.order_by().values("asking_person").distinct().count() >= 5
    assert WrittenQuestion.objects.order_by().values("department").distinct().count() >= 3


def test_load_demo_command_prints_the_staff_password_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from django.core.management import call_command

    call_command("load_demo")
    first = capsys.readouterr().out
    assert "username: demo-staff" in first
    assert "password: " in first
    assert "moot two-factor-code demo-staff" in first
    call_command("load_demo")
    second = capsys.readouterr().out
    assert "nothing to add" in second
    assert "password" not in second


def test_demo_staff_signs_in_with_the_printed_password_and_code(
    client, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    call_command("load_demo")
    printed = capsys.readouterr().out
    password = printed.split("password: ")[1].split()[0]
    response = client.post("/staff/login/", {"username": "demo-staff", "password": password})
    assert response["Location"] == "/staff/login/code/"
    call_command("two_factor_code", "demo-staff")
    code = capsys.readouterr().out.strip()
    assert client.post("/staff/login/code/", {"code": code}).status_code == 302
    assert client.get("/staff/consultations/").status_code == 200


def test_demo_has_a_debate_whose_speakers_are_its_members(client: object) -> None:
    from django.test import Client

    from moot.parliament.models import DebateSection
    from tests.pages import text_of

    load_demo()
    debate = DebateSection.objects.get(location="westminster-hall", date="2007-12-04")
    assert debate.title == "Child Sexual Exploitation"
    speakers = {s.speaker.slug for s in debate.speeches.exclude(speaker=None)}
    assert speakers == {"margaret-ashdown", "richard-penhale", "jonathan-marsh"}
    assert isinstance(client, Client)
    text = text_of(client.get(debate.get_absolute_url()).content.decode())
    assert "Jonathan Marsh Labour, Harrowden Minister of State (Home Office)" in text
    # The seed question's "Alert me about debates like this" search finds the debate.
    from moot.alerts.selectors import question_alert_query
    from moot.search.selectors import search_results
    from moot.search.services import search_index_rebuild

    search_index_rebuild()
    query = question_alert_query(heading="Children: Sexual Offences")
    assert debate.get_absolute_url() in {
        hit.document.url for hit in search_results(query=query, page_size=50).hits
    }


def test_the_seed_pages_members_have_drawn_portraits_credited_as_drawings(client: object) -> None:
    import io

    from django.test import Client
    from PIL import Image

    from tests.pages import text_of

    assert isinstance(client, Client)
    load_demo()
    question = client.get("/written-questions/2007-12-03/children-sexual-offences/")
    html = question.content.decode()
    assert 'src="/members/helen-southworth/photo/small/"' in html
    assert 'alt="Photo of Helen Southworth"' in html
    member = text_of(client.get("/members/helen-southworth/").content.decode())
    assert "Image: Drawing made for moot's demo; not a photograph (CC0)" in member
    small = client.get("/members/helen-southworth/photo/small/")
    image = Image.open(io.BytesIO(b"".join(small.streaming_content)))
    assert (image.format, image.size) == ("JPEG", (120, 160))
