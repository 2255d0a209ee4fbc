"""Staff confirm or remove the mentions of their own department, and it is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from moot.core.models import AuditAction, AuditEvent
from moot.core.permissions import ANALYSTS, EDITORS
from moot.parliament.models import WrittenStatement
from moot.policy.models import Mention, MentionStatus
from moot.policy.services import mentions_refresh
from tests.factories import DepartmentFactory, UserFactory
from tests.policy.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentions(world: World) -> list[Mention]:
    mentions_refresh(answer_ids=[world.answer.pk])
    return list(Mention.objects.order_by("start"))


def test_an_editor_sees_the_mentions_of_their_department(
    client: Client, world: World, mentions: list[Mention]
) -> None:
    client.force_login(UserFactory(department=world.department, roles=(EDITORS,)))
    response = client.get("/staff/mentions/")
    html = response.content.decode()
    assert html.count('data-testid="mention"') == 3
    assert "<mark><strong>Working Together to Safeguard Children</strong></mark>" in html
    assert "Children: Sexual Offences" in html


def test_staff_of_another_department_see_none_and_may_not_review(
    client: Client, world: World, mentions: list[Mention]
) -> None:
    client.force_login(UserFactory(department=DepartmentFactory(), roles=(EDITORS,)))
    assert 'data-testid="mention"' not in client.get("/staff/mentions/").content.decode()
    response = client.post(f"/staff/mentions/{mentions[0].pk}/remove/")
    assert response.status_code == 403
    mentions[0].refresh_from_db()
    assert mentions[0].status == MentionStatus.SUGGESTED
    refused = AuditEvent.objects.get(action=AuditAction.ACCESS_REFUSED)
    assert refused.record_ids == [mentions[0].pk]


def test_an_analyst_without_the_content_role_may_not_review(
    client: Client, world: World, mentions: list[Mention]
) -> None:
    client.force_login(UserFactory(department=world.department, roles=(ANALYSTS,)))
    assert 'data-testid="mention"' not in client.get("/staff/mentions/").content.decode()
    assert client.post(f"/staff/mentions/{mentions[0].pk}/confirm/").status_code == 403


def test_confirming_and_removing_are_recorded_and_audited(
    client: Client, world: World, mentions: list[Mention]
) -> None:
    editor = UserFactory(department=world.department, roles=(EDITORS,))
    client.force_login(editor)
    response = client.post(
        f"/staff/mentions/{mentions[1].pk}/remove/", {"next": "/staff/mentions/?status=all"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/mentions/?status=all"
    client.post(f"/staff/mentions/{mentions[0].pk}/confirm/", {"next": "https://evil.example/"})
    statuses = dict(Mention.objects.values_list("pk", "status"))
    assert statuses[mentions[0].pk] == MentionStatus.CONFIRMED
    assert statuses[mentions[1].pk] == MentionStatus.REMOVED
    assert statuses[mentions[2].pk] == MentionStatus.SUGGESTED
    events = AuditEvent.objects.filter(action=AuditAction.REVIEW_MENTION).order_by("id")
    assert [(e.user, e.record_ids, e.detail["status"]) for e in events] == [
        (editor, [mentions[1].pk], "removed"),
        (editor, [mentions[0].pk], "confirmed"),
    ]
    # The suggested list no longer shows the two reviewed.
    assert client.get("/staff/mentions/").content.decode().count('data-testid="mention"') == 1
    # Removed links leave the public page.
    html = Client().get(world.question.get_absolute_url()).content.decode()
    assert html.count('govuk-link moot-mention"') == 2


def test_a_second_review_with_the_same_status_says_so(
    client: Client, world: World, mentions: list[Mention]
) -> None:
    client.force_login(UserFactory(department=world.department, roles=(EDITORS,)))
    client.post(f"/staff/mentions/{mentions[0].pk}/confirm/")
    response = client.post(f"/staff/mentions/{mentions[0].pk}/confirm/", follow=True)
    assert "This mention is already confirmed." in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.REVIEW_MENTION).count() == 1


def test_the_public_and_a_get_cannot_review(
    client: Client, world: World, mentions: list[Mention]
) -> None:
    response = client.post(f"/staff/mentions/{mentions[0].pk}/remove/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")
    client.force_login(UserFactory(department=world.department, roles=(EDITORS,)))
    assert client.get(f"/staff/mentions/{mentions[0].pk}/remove/").status_code == 405
    assert client.post(f"/staff/mentions/{mentions[0].pk}/undo/").status_code == 404
    assert client.post("/staff/mentions/999999/remove/").status_code == 404
    mentions[0].refresh_from_db()
    assert mentions[0].status == MentionStatus.SUGGESTED


def test_a_statements_mentions_are_its_departments_to_review(client: Client, world: World) -> None:
    home_office = DepartmentFactory(name="Home Office")
    statement = WrittenStatement.objects.create(
        date=dt.date(2008, 1, 10),
        identifier="trafficking",
        title="Trafficking",
        department=home_office,
        body_html="<p>As 'Working Together to Safeguard Children' sets out.</p>",
    )
    mentions_refresh(statement_ids=[statement.pk])
    (mention,) = Mention.objects.filter(statement=statement)
    client.force_login(UserFactory(department=world.department, roles=(EDITORS,)))
    assert client.post(f"/staff/mentions/{mention.pk}/remove/").status_code == 403
    client.force_login(UserFactory(department=home_office, roles=(EDITORS,)))
    html = client.get("/staff/mentions/").content.decode()
    assert html.count('data-testid="mention"') == 1
    assert f'href="{statement.get_absolute_url()}">Trafficking</a>' in html
    assert client.post(f"/staff/mentions/{mention.pk}/remove/").status_code == 302
    mention.refresh_from_db()
    assert mention.status == MentionStatus.REMOVED
