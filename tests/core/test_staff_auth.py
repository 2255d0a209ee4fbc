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


# Lockouts: per account *at* an address, and per address; counted in the shared store, so
# the same on both stores production uses.


@pytest.fixture(params=["cache", "database"])
def store(request: pytest.FixtureRequest, settings) -> str:  # type: ignore[no-untyped-def]
    settings.RATE_LIMIT_STORE = request.param
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10
    return str(request.param)


def password_step(user_or_name: User | str, password: str, address: str) -> int:
    username = user_or_name if isinstance(user_or_name, str) else user_or_name.username
    response = Client(REMOTE_ADDR=address).post(
        "/staff/login/", {"username": username, "password": password}
    )
    return response.status_code


def test_failures_lock_the_account_only_at_the_address_they_came_from(
    staff: User, store: str
) -> None:
    """Anyone can type an administrator's username: that must not lock the administrator out."""
    attacker, office = "198.51.100.66", "192.0.2.10"
    assert [password_step(staff, "wrong", attacker) for _ in range(3)] == [400, 400, 400]
    assert password_step(staff, PASSWORD, attacker) == 429  # locked here, right password or not
    assert password_step(staff, PASSWORD, office) == 302  # the owner, elsewhere, signs in


def test_failures_across_many_accounts_lock_the_address_later(staff: User, store: str) -> None:
    shared = "192.0.2.20"
    for number in range(9):
        assert password_step(f"guess-{number}", "wrong", shared) == 400
    # Nine failures from an office's one address do not stop a colleague …
    assert password_step(staff, PASSWORD, shared) == 302
    assert password_step("guess-9", "wrong", shared) == 400
    # … but the tenth locks the address, for every account.
    assert password_step(staff, PASSWORD, shared) == 429
    assert password_step(staff, PASSWORD, "192.0.2.21") == 302


def test_right_passwords_are_not_counted_as_failures(staff: User, store: str) -> None:
    address = "192.0.2.30"
    for _ in range(12):
        assert password_step(staff, PASSWORD, address) == 302
    assert password_step(staff, "wrong", address) == 400


def test_wrong_codes_lock_the_account_at_that_address(
    client: Client, staff: User, store: str
) -> None:
    enrol(client, staff)
    client.post("/staff/logout/")
    sign_in_with_password(client, staff)
    statuses = [client.post("/staff/login/code/", {"code": "000000"}).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert password_step(staff, PASSWORD, "127.0.0.1") == 429
    assert password_step(staff, PASSWORD, "192.0.2.40") == 302


def test_a_lockout_ends_after_its_time(staff: User, store: str, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_LOCKOUT_SECONDS = 900
    address = "192.0.2.50"
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(3):
            password_step(staff, "wrong", address)
        clock.shift(dt.timedelta(seconds=890))
        assert password_step(staff, PASSWORD, address) == 429
        clock.shift(dt.timedelta(seconds=11))
        assert password_step(staff, PASSWORD, address) == 302


def test_signing_in_forgets_the_account_failures_at_that_address(
    client: Client, staff: User, store: str
) -> None:
    secret, _ = enrol(client, staff)
    client.post("/staff/logout/")
    for _ in range(2):
        password_step(staff, "wrong", "127.0.0.1")
    sign_in_with_password(client, staff)
    code = two_factor.code_at(secret=secret, step=two_factor.current_step() + 1)
    assert client.post("/staff/login/code/", {"code": code}).status_code == 302
    client.post("/staff/logout/")
    # Three more failures are allowed again before the lockout.
    assert [password_step(staff, "wrong", "127.0.0.1") for _ in range(3)] == [400, 400, 400]
    assert password_step(staff, PASSWORD, "127.0.0.1") == 429
