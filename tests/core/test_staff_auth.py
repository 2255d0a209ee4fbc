"""Staff sign in with a password and a one-time code; the admin signs in the same way."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from moot.core import two_factor
from moot.core.models import AuditAction, AuditEvent, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _no_lockouts_between_tests() -> None:
    cache.clear()


@pytest.fixture
def staff() -> User:
    user = UserFactory()
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in_with_password(client: Client, user: User, next_url: str = "") -> str:
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/staff/login/", data)["Location"]


def enrol(client: Client, user: User) -> tuple[str, list[str]]:
    """Set up an authenticator the way a person does: read the key off the page."""
    assert sign_in_with_password(client, user) == "/staff/login/set-up/"
    page = client.get("/staff/login/set-up/").content.decode()
    secret = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert "<svg" in page  # the QR code
    code = two_factor.code_at(secret=secret, step=two_factor.current_step())
    done = client.post("/staff/login/set-up/", {"code": code}).content.decode()
    codes = re.findall(r"<li><code>([0-9a-f-]+)</code></li>", done)
    return secret, codes


def test_first_sign_in_sets_up_the_authenticator_then_signs_in(client: Client, staff: User) -> None:
    _, recovery_codes = enrol(client, staff)
    assert len(recovery_codes) == 10
    assert client.get("/staff/consultations/").status_code == 200
    assert AuditEvent.objects.filter(user=staff, action=AuditAction.SIGN_IN).count() == 1


def test_a_password_alone_does_not_sign_in(client: Client, staff: User) -> None:
    enrol(client, staff)
    client.post("/staff/logout/")
    assert sign_in_with_password(client, staff) == "/staff/login/code/"
    assert client.get("/staff/consultations/").status_code == 302  # still signed out


@time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, 10, tzinfo=dt.UTC), tick=False)
def test_code_step_signs_in_and_a_code_works_once(client: Client, staff: User) -> None:
    secret, _ = enrol(client, staff)
    client.post("/staff/logout/")
    sign_in_with_password(client, staff, next_url="/staff/consultations/")
    # The code used to enrol is spent: the next step's code is needed.
    used = two_factor.code_at(secret=secret, step=two_factor.current_step())
    wrong = client.post("/staff/login/code/", {"code": used})
    assert wrong.status_code == 400
    assert "has been used already" in wrong.content.decode()
    fresh = two_factor.code_at(secret=secret, step=two_factor.current_step() + 1)
    assert client.post("/staff/login/code/", {"code": fresh})["Location"] == "/staff/consultations/"
    assert client.get("/staff/consultations/").status_code == 200


def test_recovery_code_signs_in_once(client: Client, staff: User) -> None:
    _, codes = enrol(client, staff)
    for attempt in range(2):
        client.post("/staff/logout/")
        sign_in_with_password(client, staff)
        response = client.post("/staff/login/code/", {"code": codes[0]})
        if attempt == 0:
            assert response.status_code == 302
        else:
            assert response.status_code == 400


def test_repeated_failures_lock_the_account_out(client: Client, staff: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/staff/login/", {"username": staff.username, "password": "wrong"})
    locked = client.post("/staff/login/", {"username": staff.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "too many failed attempts" in locked.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 3


def test_people_who_are_not_staff_cannot_sign_in(client: Client) -> None:
    member_of_public = UserFactory(is_staff=False)
    member_of_public.set_password(PASSWORD)
    member_of_public.save()
    response = client.post(
        "/staff/login/", {"username": member_of_public.username, "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "cannot sign in to the staff pages" in response.content.decode()


def test_admin_sign_in_goes_through_the_second_factor(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == "/staff/login/?next=/admin/"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_next_must_stay_on_this_site(client: Client, staff: User) -> None:
    enrol(client, staff)
    client.post("/staff/logout/")
    sign_in_with_password(client, staff, next_url="https://evil.example/")
    pending = client.session["moot_two_factor_pending"]
    assert pending["next"] == "/staff/consultations/"


def test_an_unfinished_sign_in_expires(client: Client, staff: User) -> None:
    enrol(client, staff)
    client.post("/staff/logout/")
    sign_in_with_password(client, staff)
    session = client.session
    session["moot_two_factor_pending"]["at"] -= 301
    session.save()
    assert client.get("/staff/login/code/")["Location"] == "/staff/login/"
