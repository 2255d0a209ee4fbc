"""Members, departments, consultations, documents and summaries of responses through the API:
what each shows, its filters, and what is never shown (drafts, unpublished summaries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from moot.consultations.models import ResponseSummary
from tests.api.conftest import SITE, World, get_json
from tests.factories import ConsultationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def slugs(body: dict[str, Any]) -> list[str]:
    return [item["slug"] for item in body["results"]]


def test_members_with_seats_and_offices(client: Client, world: World) -> None:
    status, body = get_json(client, "/api/v1/members/")
    assert status == 200
    assert slugs(body) == ["beverley-hughes", "lord-example", "tim-loughton"]
    minister = body["results"][0]
    assert minister["html_url"] == f"{SITE}/members/beverley-hughes/"
    assert minister["questions_url"] == f"{SITE}/api/v1/questions/?asked_by=beverley-hughes"
    [seat] = minister["memberships"]
    assert seat["house"] == "commons"
    assert seat["party"]["name"] == "Labour"
    assert seat["end_date"] == "2010-04-12"
    [post] = minister["posts"]
    assert post["department"]["slug"] == "dcsf"
    assert post["title"].startswith("Minister of State (Department for Children")
    assert minister["photo_url"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("house=lords", ["lord-example"]),
        ("party=conservative", ["tim-loughton"]),
        ("current=true", ["lord-example", "tim-loughton"]),
        ("current=false", ["beverley-hughes"]),
        ("house=commons&party=labour", ["beverley-hughes"]),
    ],
)
def test_member_filters(client: Client, world: World, query: str, expected: list[str]) -> None:
    status, body = get_json(client, f"/api/v1/members/?{query}")
    assert status == 200, body
    assert slugs(body) == expected


def test_member_seat_in_another_house_counts_for_that_house(client: Client, world: World) -> None:
    MembershipFactory(
        person=world.minister, house="lords", constituency=None, start_date=dt.date(2010, 6, 1)
    )
    _, body = get_json(client, "/api/v1/members/?house=lords")
    assert slugs(body) == ["beverley-hughes", "lord-example"]


@pytest.mark.parametrize("query", ["house=senate", "party=whigs", "current=maybe"])
def test_member_bad_filters(client: Client, world: World, query: str) -> None:
    assert client.get(f"/api/v1/members/?{query}").status_code == 400


def test_member_detail_and_404(client: Client, world: World) -> None:
    status, body = get_json(client, "/api/v1/members/tim-loughton/")
    assert status == 200
    assert body["name"] == "Tim Loughton"
    assert client.get("/api/v1/members/nobody/").status_code == 404


def test_departments(client: Client, world: World) -> None:
    world.home_office.is_active = False
    world.home_office.save()
    _, body = get_json(client, "/api/v1/departments/")
    assert slugs(body) == ["dcsf", "home-office"]
    _, active = get_json(client, "/api/v1/departments/?active=true")
    assert slugs(active) == ["dcsf"]
    status, detail = get_json(client, "/api/v1/departments/home-office/")
    assert status == 200
    assert detail["is_active"] is False
    assert detail["consultations_url"] == f"{SITE}/api/v1/consultations/?department=home-office"
    assert client.get("/api/v1/departments/nope/").status_code == 404


def test_consultations_are_published_ones_only(client: Client, world: World) -> None:
    status, body = get_json(client, "/api/v1/consultations/")
    assert status == 200
    assert slugs(body) == ["safeguarding-children", "school-meals"]
    assert "secret-draft" not in str(body)
    assert client.get("/api/v1/consultations/secret-draft/").status_code == 404
    assert client.get("/api/v1/consultations/?status=draft").status_code == 400


def test_consultation_with_sections_files_and_documents(client: Client, world: World) -> None:
    status, body = get_json(client, "/api/v1/consultations/safeguarding-children/")
    assert status == 200
    assert body["status"] == "open"
    assert body["department"]["slug"] == "dcsf"
    assert [s["heading"] for s in body["sections"]] == ["Executive summary", "How to respond"]
    assert body["sections"][0]["body_html"] == (
        '<p class="govuk-body">We propose <strong>new</strong> guidance.</p>'
    )
    [attachment] = body["attachments"]
    assert attachment["format"] == "PDF"
    assert attachment["download_url"] == (
        f"{SITE}/consultations/safeguarding-children/attachments/{attachment['id']}/"
    )
    assert body["documents"][0]["slug"] == "safeguarding-guidance"
    assert body["how_to_respond"]["online_url"] == (
        f"{SITE}/consultations/safeguarding-children/respond/"
    )
    assert body["enquiries"]["email"] == "enquiries@example.org"
    assert body["summary_of_responses"] is None


def test_attachment_download_url_serves_the_file(client: Client, world: World) -> None:
    _, body = get_json(client, "/api/v1/consultations/safeguarding-children/")
    url = body["attachments"][0]["download_url"].removeprefix(SITE)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=open", ["safeguarding-children"]),
        ("status=outcome_published", ["school-meals"]),
        ("status=upcoming", []),
        ("department=home-office", []),
        ("department=dcsf", ["safeguarding-children", "school-meals"]),
    ],
)
def test_consultation_filters(
    client: Client, world: World, query: str, expected: list[str]
) -> None:
    _, body = get_json(client, f"/api/v1/consultations/?{query}")
    assert slugs(body) == expected


def test_documents_with_versions_files_and_relations(client: Client, world: World) -> None:
    _, body = get_json(client, "/api/v1/documents/")
    assert slugs(body) == ["older-guidance", "safeguarding-guidance"]
    status, document = get_json(client, "/api/v1/documents/safeguarding-guidance/")
    assert status == 200
    assert document["consultation"]["slug"] == "safeguarding-children"
    [version] = document["versions"]
    [attachment] = version["attachments"]
    assert attachment["download_url"] == (
        f"{SITE}/documents/safeguarding-guidance/attachments/{attachment['id']}/"
    )
    assert document["relations"][0]["label"] == "replaces"
    assert document["relations"][0]["document"]["slug"] == "older-guidance"


def test_document_of_a_draft_consultation_does_not_name_it(client: Client, world: World) -> None:
    _, document = get_json(client, "/api/v1/documents/older-guidance/")
    assert document["consultation"] is None
    assert "secret-draft" not in str(document)
    assert client.get("/api/v1/documents/?consultation=secret-draft").status_code == 400


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=final_guidance", ["safeguarding-guidance"]),
        ("kind=guidance", ["older-guidance"]),
        ("consultation=safeguarding-children", ["safeguarding-guidance"]),
        ("department=home-office", []),
    ],
)
def test_document_filters(client: Client, world: World, query: str, expected: list[str]) -> None:
    _, body = get_json(client, f"/api/v1/documents/?{query}")
    assert slugs(body) == expected


def test_published_summaries_only(client: Client, world: World) -> None:
    status, body = get_json(client, "/api/v1/summaries/")
    assert status == 200
    assert [s["consultation"]["slug"] for s in body["results"]] == ["school-meals"]
    status, summary = get_json(client, "/api/v1/summaries/school-meals/")
    assert status == 200
    assert "Most respondents <strong>agreed</strong>." in summary["body_html"]
    assert summary["html_url"] == f"{SITE}/consultations/school-meals/summary-of-responses/"
    assert set(summary) == {
        "consultation",
        "url",
        "html_url",
        "title",
        "body",
        "body_html",
        "source",
        "published_at",
        "updated_at",
    }
    _, consultation = get_json(client, "/api/v1/consultations/school-meals/")
    assert consultation["summary_of_responses"]["url"] == f"{SITE}/api/v1/summaries/school-meals/"


def test_unpublished_summaries_are_404(client: Client, world: World) -> None:
    assert client.get("/api/v1/summaries/secret-draft/").status_code == 404
    # Written but not yet published, on a published consultation.
    consultation = ConsultationFactory(slug="pending", department=world.dcsf)
    ResponseSummary.objects.create(consultation=consultation, body="Drafting.")
    assert client.get("/api/v1/summaries/pending/").status_code == 404
    # Marked published, but the consultation's outcome is not out yet.
    ResponseSummary.objects.filter(consultation=consultation).update(published_at=timezone.now())
    assert client.get("/api/v1/summaries/pending/").status_code == 404
    _, body = get_json(client, "/api/v1/consultations/pending/")
    assert body["summary_of_responses"] is None
    _, listed = get_json(client, "/api/v1/summaries/")
    assert "pending" not in str(listed)


def test_no_respondent_data_anywhere(client: Client, world: World) -> None:
    """Summaries say what respondents said as a whole: their figures stay private too."""
    ResponseSummary.objects.filter(consultation=world.closed_consultation).update(
        figures={"respondents": ["alice@example.org"]}
    )
    for url in ["/api/v1/summaries/", "/api/v1/consultations/school-meals/"]:
        assert "alice@example.org" not in client.get(url).content.decode()
