"""API keys: asking for one, staff approving it, hashing, revocation, and the rate limits
they lift."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from moot.api.errors import InvalidApiKey
from moot.api.keys import key_hash, key_prefix
from moot.api.models import ApiKey, ApiKeyState
from moot.api.services import api_key_issue, api_key_request, api_key_revoke, api_key_use
from moot.core.errors import InvalidTransition
from tests.api.conftest import World
from tests.consultations.test_respond import run_tasks
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEPARTMENTS = "/api/v1/departments/"


def issued_key(**fields: Any) -> tuple[ApiKey, str]:
    api_key, _ = api_key_request(name="Ada", email="ada@example.org", purpose="Research")
    for name, value in fields.items():
        setattr(api_key, name, value)
    api_key.save()
    return api_key, api_key_issue(api_key=api_key, by=None)


# Keys and their hashes -------------------------------------------------------------------


def test_keys_are_stored_only_as_keyed_hashes(settings: Any) -> None:
    api_key, key = issued_key()
    api_key.refresh_from_db()
    assert key.startswith(f"moot_{api_key.prefix}_")
    assert len(key) > 50
    stored = {str(value) for value in ApiKey.objects.values().get(pk=api_key.pk).values()}
    assert key not in stored
    assert api_key.key_hash == key_hash(key)
    # The hash is keyed: another secret key gives another hash, so the key no longer matches.
    settings.SECRET_KEY = "another-secret"
    assert key_hash(key) != api_key.key_hash
    with pytest.raises(InvalidApiKey):
        api_key_use(presented=key)


@pytest.mark.parametrize(
    "presented",
    ["", "moot", "moot__abc", "moot_short_abc", "other_abcdefghjk_secret", "moot_ABCDEFGHJK_x"],
)
def test_malformed_keys_have_no_prefix(presented: str) -> None:
    assert key_prefix(presented) is None


def test_a_wrong_secret_with_a_real_prefix_is_refused() -> None:
    _api_key, key = issued_key()
    with pytest.raises(InvalidApiKey):
        api_key_use(presented=key[:-2] + "xx")


def test_use_notes_the_time_at_most_once_a_minute(django_assert_num_queries: Any) -> None:
    _api_key, key = issued_key()
    assert api_key_use(presented=key).last_used_at is not None
    with django_assert_num_queries(1):  # the lookup only: no write again so soon
        api_key_use(presented=key)


def test_reissuing_replaces_the_key_and_revoked_keys_cannot_be_issued() -> None:
    api_key, first = issued_key()
    second = api_key_issue(api_key=api_key, by=None)
    assert second != first
    with pytest.raises(InvalidApiKey):
        api_key_use(presented=first)
    assert api_key_use(presented=second) == api_key
    api_key_revoke(api_key=api_key)
    assert api_key.state == ApiKeyState.REVOKED
    with pytest.raises(InvalidApiKey, match="revoked"):
        api_key_use(presented=second)
    with pytest.raises(InvalidTransition):
        api_key_issue(api_key=api_key, by=None)


def test_asking_twice_updates_the_pending_request() -> None:
    first, created = api_key_request(name="Ada", email="ada@example.org", purpose="One")
    again, created_again = api_key_request(name="Ada L", email="ADA@example.org", purpose="Two")
    assert created
    assert not created_again
    assert again.pk == first.pk
    assert ApiKey.objects.get().purpose == "Two"


# Sending keys with requests --------------------------------------------------------------


@pytest.mark.parametrize("header", ["authorization", "x-api-key"])
def test_requests_with_a_key(client: Client, header: str) -> None:
    api_key, key = issued_key()
    value = f"Bearer {key}" if header == "authorization" else key
    response = client.get(DEPARTMENTS, headers={header: value})
    assert response.status_code == 200
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


@pytest.mark.parametrize(
    "headers",
    [
        {"authorization": "Bearer moot_abcdefghjk_not-a-real-key"},
        {"authorization": "Basic YWxhZGRpbjpvcGVuc2VzYW1l"},
        {"authorization": "Bearer "},
        {"x-api-key": "nonsense"},
    ],
)
def test_bad_keys_are_401_problems(client: Client, headers: dict[str, str]) -> None:
    response = client.get(DEPARTMENTS, headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="moot API"'
    assert response.json()["title"] == "Unauthorised"


def test_revoked_key_is_a_401(client: Client) -> None:
    api_key, key = issued_key()
    api_key_revoke(api_key=api_key)
    response = client.get(DEPARTMENTS, headers={"authorization": f"Bearer {key}"})
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


# Rate limits ----------------------------------------------------------------------------


def test_anonymous_use_is_limited_per_address(client: Client, settings: Any) -> None:
    settings.API_RATE_LIMIT = 3
    remaining = [client.get(DEPARTMENTS)["RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    refused = client.get(DEPARTMENTS)
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert refused.json()["title"] == "Too many requests"
    assert refused["Access-Control-Allow-Origin"] == "*"
    # Another address has its own allowance.
    assert client.get(DEPARTMENTS, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_key_lifts_the_limit(client: Client, settings: Any) -> None:
    settings.API_RATE_LIMIT = 1
    settings.API_KEY_RATE_LIMIT = 0
    _, key = issued_key()
    client.get(DEPARTMENTS)
    assert client.get(DEPARTMENTS).status_code == 429
    for _ in range(5):
        response = client.get(DEPARTMENTS, headers={"authorization": f"Bearer {key}"})
        assert response.status_code == 200
        assert "RateLimit-Limit" not in response


def test_keys_have_their_own_higher_limit(client: Client, settings: Any) -> None:
    settings.API_RATE_LIMIT = 1
    settings.API_KEY_RATE_LIMIT = 3
    _, key = issued_key()
    _, special = issued_key(email="bulk@example.org", rate_limit=5)
    header = {"authorization": f"Bearer {key}"}
    statuses = [client.get(DEPARTMENTS, headers=header).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get(DEPARTMENTS, headers=header)["Retry-After"]
    special_header = {"x-api-key": special}
    assert [client.get(DEPARTMENTS, headers=special_header).status_code for _ in range(5)] == [
        200
    ] * 5


# The public request form -----------------------------------------------------------------


def test_request_form_records_a_request(client: Client) -> None:
    page = client.get(reverse("api:key_request"))
    assert page.status_code == 200
    assert "Ask for an API key" in page.content.decode()
    response = client.post(
        reverse("api:key_request"),
        {"name": "Ada", "email": "ada@example.org", "purpose": "Research on answers"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("api:key_requested")
    api_key = ApiKey.objects.get()
    assert (api_key.name, api_key.email, api_key.state) == (
        "Ada",
        "ada@example.org",
        ApiKeyState.REQUESTED,
    )
    assert "Request sent" in client.get(response["Location"]).content.decode()


def test_request_form_errors_keep_what_was_typed(client: Client) -> None:
    response = client.post(
        reverse("api:key_request"), {"name": "Ada", "email": "not-an-address", "purpose": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Ask for an API key" in page
    assert "Enter an email address in the correct format" in page
    assert "Tell us what you will use the API for" in page
    assert 'value="Ada"' in page
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize("name", ["Ada\r\nBcc: eve@example.org", "Ada\nLovelace", "Ada\rX"])
def test_request_form_refuses_a_name_with_line_breaks(client: Client, name: str) -> None:
    response = client.post(
        reverse("api:key_request"),
        {"name": name, "email": "ada@example.org", "purpose": "Research on answers"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Ask for an API key" in page
    assert "Enter your name on one line, without line breaks" in page
    assert not ApiKey.objects.exists()


def test_request_form_ignores_robots(client: Client) -> None:
    response = client.post(
        reverse("api:key_request"),
        {"name": "Bot", "email": "bot@example.org", "purpose": "x", "website": "spam"},
    )
    assert response.status_code == 302
    assert not ApiKey.objects.exists()


def test_request_form_is_rate_limited(client: Client, settings: Any) -> None:
    settings.API_KEY_REQUEST_RATE_LIMIT = 2
    data = {"name": "Ada", "email": "ada@example.org", "purpose": "Research"}
    assert [client.post(reverse("api:key_request"), data).status_code for _ in range(2)] == [
        302,
        302,
    ]
    refused = client.post(reverse("api:key_request"), data)
    assert refused.status_code == 429
    assert "Too many requests from your connection" in refused.content.decode()
    assert ApiKey.objects.count() == 1


def test_approvers_are_told_even_of_a_stored_name_with_line_breaks(
    smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    UserFactory(is_superuser=True, email="admin@example.org")
    # A row the form would refuse (stored before it did, or edited in the admin).
    with django_capture_on_commit_callbacks(execute=True):
        api_key_request(
            name="Ada\r\nBcc: eve@example.org\u2028X", email="ada@example.org", purpose="x"
        )
    run_tasks()
    [message] = smtp_server.messages
    assert message["Subject"] == "API key requested by Ada Bcc: eve@example.org X"
    assert message["Bcc"] is None
    assert message["To"] == "admin@example.org"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


# Staff in the admin ----------------------------------------------------------------------


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(UserFactory(is_superuser=True))
    return client


def _action(client: Client, action: str, *keys: ApiKey) -> Any:
    return client.post(
        reverse("admin:api_apikey_changelist"),
        {"action": action, "_selected_action": [k.pk for k in keys]},
        follow=action != "approve_and_show",
    )


def test_staff_approve_and_the_key_is_emailed(
    admin_client: Client, smtp_server: Any, world: World
) -> None:
    request, _ = api_key_request(name="Ada", email="ada@example.org", purpose="Research")
    _action(admin_client, "approve_and_email", request)
    request.refresh_from_db()
    assert request.state == ApiKeyState.ACTIVE
    [message] = smtp_server.to("ada@example.org")
    body = message.get_body(preferencelist=("plain",)).get_content()
    key = next(word for word in body.split() if word.startswith("moot_"))
    assert key_hash(key) == request.key_hash
    assert f"Authorization: Bearer {key}" in body
    assert admin_client.get(DEPARTMENTS, headers={"x-api-key": key}).status_code == 200
    # The list shows the prefix, never the key.
    page = admin_client.get(reverse("admin:api_apikey_changelist")).content.decode()
    assert f"moot_{request.prefix}_…" in page
    assert key not in page


def test_when_the_email_fails_no_key_is_issued(admin_client: Client, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    request, _ = api_key_request(name="Ada", email="ada@example.org", purpose="Research")
    response = _action(admin_client, "approve_and_email", request)
    assert "Could not email ada@example.org" in response.content.decode()
    request.refresh_from_db()
    assert request.state == ApiKeyState.REQUESTED
    assert request.key_hash == ""


def test_staff_can_show_a_key_once_instead(admin_client: Client) -> None:
    request, _ = api_key_request(name="Ada", email="ada@example.org", purpose="Research")
    response = _action(admin_client, "approve_and_show", request)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.content.decode().split('data-testid="issued-key">')[1].split("<")[0]
    request.refresh_from_db()
    assert key_hash(key) == request.key_hash


def test_staff_refuse_and_revoke(admin_client: Client) -> None:
    request, _ = api_key_request(name="Ada", email="ada@example.org", purpose="Research")
    _action(admin_client, "refuse", request)
    request.refresh_from_db()
    assert request.state == ApiKeyState.REFUSED
    active, key = issued_key(email="bob@example.org")
    _action(admin_client, "revoke", active)
    active.refresh_from_db()
    assert active.state == ApiKeyState.REVOKED
    assert admin_client.get(DEPARTMENTS, headers={"x-api-key": key}).status_code == 401
    states = admin_client.get(reverse("admin:api_apikey_changelist"), {"state": "revoked"})
    assert "bob@example.org" in states.content.decode()
    assert "ada@example.org" not in states.content.decode()


def test_staff_without_the_permission_cannot_approve(client: Client) -> None:
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="view_apikey"))
    client.force_login(editor)
    request, _ = api_key_request(name="Ada", email="ada@example.org", purpose="Research")
    response = _action(client, "approve_and_show", request)
    request.refresh_from_db()
    assert request.state == ApiKeyState.REQUESTED
    assert "issued-key" not in response.content.decode()


def test_staff_who_can_approve_are_told_of_a_request(
    client: Client, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    admin = UserFactory(is_superuser=True, email="admin@example.org")
    approver = UserFactory(email="approver@example.org")
    approver.user_permissions.add(Permission.objects.get(codename="change_apikey"))
    UserFactory(email="editor@example.org")  # an editor, who cannot approve keys
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("api:key_request"),
            {"name": "Ada", "email": "ada@example.org", "purpose": "Research on answers"},
        )
    run_tasks()
    [message] = smtp_server.messages
    assert sorted(message["To"].split(", ")) == [admin.email, approver.email]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Research on answers" in body
    api_key = ApiKey.objects.get()
    assert f"/admin/api/apikey/{api_key.pk}/change/" in body
    # Asking again while waiting does not tell them twice.
    with django_capture_on_commit_callbacks(execute=True):
        api_key_request(name="Ada", email="ada@example.org", purpose="More research")
    run_tasks()
    assert len(smtp_server.messages) == 1
