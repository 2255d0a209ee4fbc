"""The written-statement pages and feeds, through the HTTP surface."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import feedparser
import pytest
from django.test import Client

from moot.parliament.models import WrittenStatement
from moot.parliament.services.members import members_import
from moot.parliament.services.parlparse import parlparse_import
from moot.parliament.services.written_statements import written_statements_import
from tests.statement_factories import WrittenStatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(fixtures: Path) -> None:
    members_import(paths=[fixtures / "people.json", fixtures / "ministers.json"])
    parlparse_import(
        paths=[
            fixtures / "statements" / "v1",
            fixtures / "statements" / "v2",
            fixtures / "statements" / "lordswms2009-10-26a.xml",
        ]
    )
    written_statements_import(
        paths=[
            fixtures / "written-statements-2024-02.json",
            fixtures / "written-statements-2024-02-later.json",
        ]
    )


def statement(title: str) -> WrittenStatement:
    return WrittenStatement.objects.get(title=title)


def test_a_statement_page_shows_the_minister_department_date_and_text(
    client: Client, imported: None
) -> None:
    benefits = statement("Social Security Benefits: Up-rating")
    response = client.get(benefits.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<h1 class="govuk-heading-l" data-testid="heading">Social Security Benefits: Up-rating</h1>'
        in html
    )
    assert (
        'href="/departments/department-for-work-and-pensions/">Department for Work and Pensions</a>'
        in html
    )
    assert 'made on <time datetime="2009-10-27">' in html
    assert ">Helen Goodman</a>" in html
    # Her post that day, and her party and seat.
    assert (
        "Parliamentary Under-Secretary (Department for Work and Pensions) (Welfare Reform)" in html
    )
    assert 'data-testid="speaker-membership">Labour, Bishop Auckland</p>' in html
    assert "pension credit to £132.60" in html
    assert '<div class="moot-table-wrapper"' in html
    assert "Hansard column 11WS" in html
    assert f"{benefits.get_absolute_url()}</a>" in html  # the permanent link


def test_the_source_role_is_shown_and_attachments_and_links_are_listed(
    client: Client, imported: None
) -> None:
    guidance = WrittenStatement.objects.get(uin="HCWS250")
    html = client.get(guidance.get_absolute_url()).content.decode()
    assert "Parliamentary Under-Secretary of State for Children and Families" in html
    assert "Statement HCWS250" in html
    assert 'data-testid="statement-attachment"' in html
    assert "Draft guidance" in html
    lords = WrittenStatement.objects.get(uin="HLWS230")
    assert f'href="{lords.get_absolute_url()}"' in html  # the joint statement in the Lords
    correction = WrittenStatement.objects.get(uin="HCWS262")
    assert f'href="{correction.get_absolute_url()}"' in html  # "Corrected: see …"
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_an_unknown_statement_is_not_found(client: Client, imported: None) -> None:
    assert client.get("/written-statements/2009-10-27/no-such-statement/").status_code == 404
    assert client.get("/written-statements/not-a-date/anything/").status_code == 404


def test_the_permalink_of_a_removed_statement_and_old_ids_lead_on(
    client: Client, imported: None
) -> None:
    benefits = statement("Social Security Benefits: Up-rating")
    safeguarding = statement("Safeguarding Children")
    removed = client.get("/written-statements/2009-10-27/jobcentre-plus-performance-12ws-0/")
    assert removed.status_code == 301
    assert removed["Location"] == benefits.get_absolute_url()
    old_gid = client.get("/written-statements/source/uk.org.publicwhip/wms/2009-10-27a.13WS.1/")
    assert old_gid["Location"] == safeguarding.get_absolute_url()
    # A speech's id leads to its statement; a short id works too.
    speech = client.get("/written-statements/source/2009-10-27b.12WS.3/")
    assert speech["Location"] == safeguarding.get_absolute_url()
    api = client.get("/written-statements/source/parliament.uk/written-statement/1700101/")
    assert api["Location"] == WrittenStatement.objects.get(uin="HCWS250").get_absolute_url()
    numbered = client.get("/written-statements/2024-02-05/hcws250/")
    assert numbered["Location"] == WrittenStatement.objects.get(uin="HCWS250").get_absolute_url()
    assert client.get("/written-statements/source/nothing/").status_code == 404


def test_the_index_and_day_pages_list_statements(client: Client, imported: None) -> None:
    index = client.get("/written-statements/").content.decode()
    assert "Keeping Children Safe in Education: Correction" in index
    assert 'href="/written-statements/2009-10-27/"' in index
    day = client.get("/written-statements/2009-10-27/")
    assert day.status_code == 200
    html = day.content.decode()
    assert html.index("Social Security Benefits") < html.index("Safeguarding Children")
    assert "made by Beverley Hughes" in html
    assert client.get("/written-statements/2001-01-01/").status_code == 404


def test_the_statements_feed_lists_newest_first_with_stable_ids(
    client: Client, imported: None
) -> None:
    response = client.get("/written-statements/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    titles = [entry.title for entry in feed.entries]
    assert titles[0] == "Keeping Children Safe in Education: Correction"
    assert len(titles) == WrittenStatement.objects.count()
    first = WrittenStatement.objects.get(uin="HCWS262")
    assert feed.entries[0].id.endswith(f"/written-statements/statements/{first.pk}/")
    assert feed.entries[0].link.endswith(first.get_absolute_url())
    department = client.get("/departments/department-for-work-and-pensions/written-statements.atom")
    assert [e.title for e in feedparser.parse(department.content).entries] == [
        "Pension Credit Uptake",
        "Social Security Benefits: Up-rating",
    ]
    assert client.get("/departments/nowhere/written-statements.atom").status_code == 404


def test_member_and_department_pages_list_their_statements(client: Client, imported: None) -> None:
    member = client.get("/members/helen-goodman/").content.decode()
    assert 'data-testid="statements-made"' in member
    assert "Social Security Benefits: Up-rating" in member
    department = client.get("/departments/department-for-work-and-pensions/").content.decode()
    assert 'data-testid="department-statements"' in department
    assert "/departments/department-for-work-and-pensions/written-statements.atom" in department


def test_list_pages_take_the_same_queries_however_many_statements(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    def queries(path: str) -> int:
        with django_assert_max_num_queries(50) as counted:
            assert client.get(path).status_code == 200
        return len(counted)

    for n in range(2):
        WrittenStatementFactory(date=dt.date(2009, 1, 5), position=n)
    few = {
        path: queries(path)
        for path in (
            "/written-statements/",
            "/written-statements/2009-01-05/",
            "/written-statements/feed.atom",
        )
    }
    for n in range(2, 12):
        WrittenStatementFactory(date=dt.date(2009, 1, 5), position=n)
    many = {path: queries(path) for path in few}
    assert many == few
