"""The OpenAPI description: served, accurate (a property-based run against it through the
WSGI app), and rendered into the documentation page without scripts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
import yaml
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import SITE, World

pytestmark = pytest.mark.django_db


def test_openapi_json_and_yaml_describe_every_endpoint(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    description = response.json()
    assert description["openapi"].startswith("3.")
    assert description["servers"] == [{"url": SITE}]
    assert set(description["paths"]) >= {
        "/api/v1/",
        "/api/v1/questions/",
        "/api/v1/questions/{date}/{identifier}/",
        "/api/v1/members/",
        "/api/v1/members/{slug}/",
        "/api/v1/departments/",
        "/api/v1/departments/{slug}/",
        "/api/v1/consultations/",
        "/api/v1/consultations/{slug}/",
        "/api/v1/documents/",
        "/api/v1/documents/{slug}/",
        "/api/v1/summaries/",
        "/api/v1/summaries/{slug}/",
        "/api/v1/open-data/",
    }
    questions = description["paths"]["/api/v1/questions/"]["get"]
    parameters = {p["name"] for p in questions["parameters"]}
    assert parameters >= {
        "date_from",
        "date_to",
        "department",
        "member",
        "asked_by",
        "answered_by",
        "house",
        "answered",
        "cursor",
        "page_size",
    }
    problem = questions["responses"]["400"]["content"]["application/problem+json"]
    assert problem["schema"] == {"$ref": "#/components/schemas/Problem"}
    as_yaml = yaml.safe_load(client.get("/api/v1/openapi.yaml").content)
    assert as_yaml["paths"].keys() == description["paths"].keys()


def test_description_has_the_vote_counts_of_each_answer(client: Client) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    votes = schemas["Answer"]["properties"]["votes"]
    assert votes["allOf"] == [{"$ref": "#/components/schemas/VoteCounts"}]
    assert "never shown" in votes["description"]
    counts = schemas["VoteCounts"]
    assert sorted(counts["required"]) == ["no", "yes"]
    assert counts["properties"]["yes"]["type"] == "integer"
    assert counts["properties"]["no"]["minimum"] == 0
    # Counts only: nothing that could name or track a voter.
    assert set(counts["properties"]) == {"yes", "no"}


def test_docs_page_is_built_from_the_description(client: Client) -> None:
    response = client.get("/api/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">API and open data</h1>' in page
    assert "/api/v1/questions/{date}/{identifier}/" in page
    assert 'id="schema-Question"' in page
    assert 'id="problem-too-many-requests"' in page
    assert "<code>answered_by</code>" in page
    # Nothing the page policy forbids: no inline scripts or styles, nothing from elsewhere.
    assert "<script>" not in page
    assert "style=" not in page
    assert '<script src="http' not in page


def test_footer_links_to_the_api_and_open_data(client: Client, db: None) -> None:
    page = client.get("/").content.decode()
    assert '<a class="govuk-footer__link" href="/api/">API and open data</a>' in page


def _description() -> Any:
    """The description as the site serves it, with the WSGI app to send requests to."""
    from moot.api.schema import openapi_schema
    from moot.wsgi import application

    loaded = schemathesis.openapi.from_dict(openapi_schema())
    loaded.app = application
    return loaded


description = _description()


@pytest.fixture
def _connections_kept() -> Iterator[None]:
    """Calling the WSGI app directly sends the request signals, which would close the test's
    database connection (and its transaction) after each request; Django's test client
    disconnects the same handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@description.parametrize()
@hypothesis_settings(
    max_examples=int(os.environ.get("API_SCHEMA_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.usefixtures("_connections_kept")
def test_api_conforms_to_its_description(case: Any, indexed_world: World, settings: Any) -> None:
    """Generated requests (valid and not) never cause a server error, requests the description
    forbids are refused, and every response matches the description: status, media type,
    headers and body.

    Not checked: that every request the description allows is accepted. A slug that names
    nothing, or a cursor the API did not sign, is a 400 by design, and no description can
    list the slugs that exist.
    """
    settings.API_RATE_LIMIT = 0
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
