"""The public response form, through the client: every page, every bad input."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from moot.consultations import proof_of_work
from moot.consultations.models import (
    Answer,
    Consultation,
    RespondentRole,
    Response,
    ResponseStatus,
)
from moot.consultations.services.responses import REFERENCE_ALPHABET
from moot.consultations.views.respond import COOKIE
from tests.consultations.conftest import Respondent, closed, option_id
from tests.factories import ConsultationFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(rf"MOOT-[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}")


def run_tasks() -> None:
    """Run the queued tasks here, as the worker would (the worker itself closes database
    connections, which a test inside a transaction cannot allow)."""
    from django_tasks_db.models import DBTaskResult

    for queued in DBTaskResult.objects.ready():
        queued.claim("test")
        queued.set_successful(
            queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
        )


def test_consultation_page_links_to_the_form(client: Client, consultation: Consultation) -> None:
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert f'href="/consultations/{consultation.slug}/respond/"' in page


def test_whole_journey_ends_with_a_reference_and_a_receipt(
    respondent: Respondent, smtp_server, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    start = respondent.client.get(respondent.base)
    assert "Start now" in start.content.decode()
    respondent.start()
    respondent.fill_everything()
    check = text_of(respondent.client.get(f"{respondent.base}check/").content.decode())
    for expected in [
        "Jane Smith",
        "On behalf of an organisation",
        "Example LSCB",
        "Practitioner",
        "North East",
        "Agree",
        "Chapter 2",
        "Police; Schools",
        "Please say more",
        "Publish my response with my name",
    ]:
        assert expected in check
    with django_capture_on_commit_callbacks(execute=True):
        sent = respondent.submit()
    assert sent.status_code == 302
    assert sent["Location"].endswith("/respond/confirmation/")
    confirmation = respondent.client.get(sent["Location"]).content.decode()
    reference = REFERENCE.search(confirmation)
    assert reference is not None
    response = Response.objects.get()
    assert response.reference == reference.group(0)
    assert response.status == ResponseStatus.SUBMITTED
    assert response.channel == "online"
    assert response.received_at is not None
    assert response.respondent_type == "organisation"
    assert response.region == "north_east"
    assert response.role is not None
    assert response.role.label == "Practitioner"
    assert response.wants_confidentiality is False
    answers = {a.question.key: a for a in Answer.objects.filter(response=response)}
    assert [o.label for o in answers["q3"].selected_options.order_by("position")] == [
        "Police",
        "Schools",
    ]
    assert answers["q4"].text == "Please say more\nabout online exploitation."
    assert response.client_hash
    assert "127.0.0.1" not in response.client_hash

    run_tasks()
    [receipt] = smtp_server.to("jane@example.org")
    assert response.reference in receipt["Subject"]
    text = receipt.get_body(("plain",)).get_content()
    html = receipt.get_body(("html",)).get_content()
    assert response.reference in text
    assert response.reference in html
    assert "Police; Schools" in text
    assert "Do you agree that the guidance is clear?" in html


def test_each_page_has_a_back_link_to_the_one_before(respondent: Respondent) -> None:
    respondent.start()
    page = respondent.client.get(f"{respondent.base}region/").content.decode()
    assert f'href="{respondent.base}your-role/" class="govuk-back-link"' in page
    first = respondent.client.get(f"{respondent.base}your-details/").content.decode()
    assert f'href="{respondent.base}" class="govuk-back-link"' in first


def test_question_page_shows_the_section_it_is_about(respondent: Respondent) -> None:
    respondent.start()
    page = text_of(respondent.client.get(f"{respondent.base}question-q1/").content.decode())
    assert "This question is about section" in page
    assert "The proposals" in page


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("responding-as", {}, "Select whether you are responding as an individual"),
        (
            "responding-as",
            {"respondent_type": "organisation"},
            "Enter the name of the organisation",
        ),
        ("responding-as", {"respondent_type": "robot"}, "Select a valid choice"),
        ("your-details", {"email": "not-an-email"}, "Enter a valid email address"),
        ("question-q1", {}, "Select an answer"),
        ("question-q1", {"answer": "999999"}, "Select a valid choice"),
        ("question-q3", {"answer": ["nonsense"]}, "Select a valid choice"),
        ("question-q4", {"answer": "x" * 201}, "Your answer must be 200 characters or fewer"),
        ("confidentiality", {}, "Select yes if you would like your response to be kept"),
        ("confidentiality", {"wants_confidentiality": "yes"}, "Enter why you would like"),
        ("publication", {"publication_consent": "shout-it"}, "Select a valid choice"),
    ],
)
def test_bad_answers_show_an_error_summary_and_keep_nothing(
    respondent: Respondent, step: str, data: dict[str, object], message: str
) -> None:
    respondent.start()
    page = respondent.answer(step, data)
    assert page.status_code == 200  # type: ignore[attr-defined]
    html = page.content.decode()  # type: ignore[attr-defined]
    assert "govuk-error-summary" in html
    assert "<title>Error: " in html
    assert message in text_of(html)
    draft = Response.objects.get()
    assert draft.answers.count() == 0
    assert draft.respondent_type == ""


def test_required_question_left_unanswered_stops_the_submission(respondent: Respondent) -> None:
    respondent.start()
    response = respondent.submit()
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Answer every question marked as required" in response.content.decode()  # type: ignore[attr-defined]
    assert Response.objects.get().status == ResponseStatus.DRAFT


def test_a_resumed_draft_cannot_be_sent_without_the_consent_answers(
    respondent: Respondent, smtp_server, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """Saved at the documents step, so the confidentiality and publication pages were never
    seen; the emailed link opens "Check your answers" in a fresh browser."""
    respondent.start()
    c = respondent.consultation
    for step, data in [
        ("your-details", {"name": "Jane Smith", "email": "jane@example.org"}),
        ("responding-as", {"respondent_type": "individual"}),
        (
            "your-role",
            {"role": RespondentRole.objects.get(consultation=c, label="Practitioner").pk},
        ),
        ("region", {"region": "north_east"}),
        ("question-q1", {"answer": option_id(c, "q1", "Agree")}),
        ("question-q2", {"answer": option_id(c, "q2", "Chapter 2")}),
        ("question-q3", {"answer": [option_id(c, "q3", "Police")]}),
        ("question-q4", {"answer": "More on online exploitation."}),
    ]:
        assert respondent.answer(step, data).status_code == 302, step
    with django_capture_on_commit_callbacks(execute=True):
        respondent.client.post(f"{respondent.base}save/", {"email": "jane@example.org"})
    run_tasks()
    [message] = smtp_server.to("jane@example.org")
    fresh = Client()
    check = fresh.get(fresh.get(_resume_path(message))["Location"]).content.decode()
    assert re.search(r"Keep confidential\s*<span[^>]*>\(required\)", check)
    token = re.search(r'name="submission_token" value="([^"]+)"', check).group(1)
    refused = fresh.post(f"{respondent.base}check/", {"submission_token": token, "website": ""})
    assert refused.status_code == 400
    summary = refused.content.decode().split('data-testid="missing-answers"', 1)[1]
    summary = summary.split("</ul>", 1)[0]
    assert f'href="{respondent.base}confidentiality/?change=1">Keep confidential</a>' in summary
    assert f'href="{respondent.base}publication/?change=1">Publication</a>' in summary
    assert "Practitioner" not in summary
    assert Response.objects.get().status == ResponseStatus.DRAFT


def test_the_submit_service_refuses_a_draft_without_the_consent_answers(
    consultation: Consultation,
) -> None:
    from moot.consultations.services.responses import (
        ResponseIncomplete,
        response_draft_start,
        response_draft_update,
        response_submit,
    )

    consultation.questions.update(required=False)
    draft = response_draft_start(consultation=consultation)
    response_draft_update(response=draft, respondent_type="individual")
    with pytest.raises(ResponseIncomplete) as refused:
        response_submit(response=draft, submission_token=str(draft.submission_token))
    assert refused.value.fields == ["wants_confidentiality", "publication_consent"]
    response_draft_update(
        response=draft, wants_confidentiality=False, publication_consent="anonymously"
    )
    sent = response_submit(response=draft, submission_token=str(draft.submission_token))
    assert sent.status == ResponseStatus.SUBMITTED


def test_change_link_returns_to_check_your_answers(respondent: Respondent) -> None:
    respondent.start()
    respondent.fill_everything()
    changed = respondent.client.post(f"{respondent.base}region/?change=1", {"region": "wales"})
    assert changed["Location"] == f"{respondent.base}check/"
    assert Response.objects.get().region == "wales"


def test_double_click_and_replay_make_exactly_one_response(respondent: Respondent) -> None:
    respondent.start()
    respondent.fill_everything()
    token = respondent.submission_token()
    first = respondent.submit(token)
    second = respondent.submit(token)
    assert first["Location"] == second["Location"]  # type: ignore[index]
    assert Response.objects.exclude(status="draft").count() == 1
    reference = Response.objects.get().reference
    # A replay from another client with the same cookie and token changes nothing either.
    replay = Client()
    replay.cookies = respondent.client.cookies
    replay.post(f"{respondent.base}check/", {"submission_token": token})
    assert Response.objects.get().reference == reference


def test_two_racing_submissions_of_one_draft_store_one_response(respondent: Respondent) -> None:
    from moot.consultations.services.responses import response_submit

    respondent.start()
    respondent.fill_everything()
    seen_by_first = Response.objects.get()
    seen_by_second = Response.objects.get()
    token = str(seen_by_first.submission_token)
    first = response_submit(response=seen_by_first, submission_token=token)
    second = response_submit(response=seen_by_second, submission_token=token)
    assert first.reference == second.reference
    assert Response.objects.count() == 1


def test_a_forged_submission_token_is_refused(respondent: Respondent) -> None:
    respondent.start()
    respondent.fill_everything()
    response = respondent.submit("00000000-0000-0000-0000-000000000000")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "This form has expired" in response.content.decode()  # type: ignore[attr-defined]
    assert Response.objects.get().status == ResponseStatus.DRAFT


def test_form_is_refused_before_it_opens_and_after_it_closes(client: Client) -> None:
    upcoming = ConsultationFactory(
        opens_at=timezone.now() + dt.timedelta(days=2),
        closes_at=timezone.now() + dt.timedelta(days=20),
    )
    page = client.get(f"/consultations/{upcoming.slug}/respond/")
    assert page.status_code == 403
    assert "not open for responses yet" in page.content.decode()
    assert client.post(f"/consultations/{upcoming.slug}/respond/").status_code == 403
    finished = closed(ConsultationFactory())
    page = client.get(f"/consultations/{finished.slug}/respond/")
    assert page.status_code == 403
    assert "This consultation has closed" in page.content.decode()
    assert Response.objects.count() == 0


def test_draft_consultation_has_no_form(client: Client) -> None:
    draft = ConsultationFactory(published_at=None)
    assert client.get(f"/consultations/{draft.slug}/respond/").status_code == 404


def test_a_draft_cannot_be_sent_once_the_consultation_closes(respondent: Respondent) -> None:
    respondent.start()
    respondent.fill_everything()
    token = respondent.submission_token()
    closed(respondent.consultation)
    response = respondent.submit(token)
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert Response.objects.get().status == ResponseStatus.DRAFT


def test_honeypot_filled_in_stores_nothing(client: Client, consultation: Consultation) -> None:
    response = client.post(f"/consultations/{consultation.slug}/respond/", {"website": "spam"})
    assert response.status_code == 400
    assert Response.objects.count() == 0


def test_honeypot_on_the_submit_page(respondent: Respondent) -> None:
    respondent.start()
    respondent.fill_everything()
    response = respondent.submit(website="http://spam.example")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert Response.objects.get().status == ResponseStatus.DRAFT


def test_every_form_needs_its_csrf_token(consultation: Consultation) -> None:
    careful = Client(enforce_csrf_checks=True)
    assert careful.post(f"/consultations/{consultation.slug}/respond/").status_code == 403
    assert Response.objects.count() == 0


def test_submissions_are_rate_limited_per_address(
    client: Client, consultation: Consultation, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.RESPONSE_SUBMIT_RATE_LIMIT = 2
    references = []
    for _ in range(3):
        person = Respondent(client=Client(), consultation=consultation)
        person.start()
        person.fill_everything()
        result = person.submit()
        references.append(result.status_code)  # type: ignore[attr-defined]
    assert references == [302, 302, 429]
    assert Response.objects.exclude(status="draft").count() == 2


def test_form_pages_are_rate_limited_too(
    client: Client, consultation: Consultation, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.RESPONSE_FORM_RATE_LIMIT = 1
    assert client.post(f"/consultations/{consultation.slug}/respond/").status_code == 302
    page = client.post(f"/consultations/{consultation.slug}/respond/")
    assert page.status_code == 429
    assert "Too many attempts" in page.content.decode()


def _solve(challenge: str, bits: int) -> str:
    nonce = 0
    while not proof_of_work.challenge_solved(challenge, str(nonce), bits=bits):
        nonce += 1
    return str(nonce)


def test_proof_of_work_when_required(respondent: Respondent, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RESPONSE_PROOF_OF_WORK = "always"
    settings.RESPONSE_PROOF_OF_WORK_BITS = 8
    settings.RESPONSE_PROOF_OF_WORK_WAIT_SECONDS = 3600
    respondent.start()
    respondent.fill_everything()
    page = respondent.client.get(f"{respondent.base}check/").content.decode()
    challenge = re.search(r'data-pow-challenge="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert "proof-of-work.js" in page
    unsolved = respondent.submit(pow_challenge=challenge, pow_nonce="")
    assert unsolved.status_code == 400  # type: ignore[attr-defined]
    assert "could not check that this response was sent by a person" in unsolved.content.decode()  # type: ignore[attr-defined]
    forged = respondent.submit(pow_challenge="forged:abc:def", pow_nonce="1")
    assert forged.status_code == 400  # type: ignore[attr-defined]
    solved = respondent.submit(pow_challenge=challenge, pow_nonce=_solve(challenge, 8))
    assert solved.status_code == 302  # type: ignore[attr-defined]
    assert Response.objects.get().status == ResponseStatus.SUBMITTED


def test_proof_of_work_without_javascript_after_a_wait(respondent: Respondent, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RESPONSE_PROOF_OF_WORK = "always"
    settings.RESPONSE_PROOF_OF_WORK_WAIT_SECONDS = 0
    respondent.start()
    respondent.fill_everything()
    page = respondent.client.get(f"{respondent.base}check/").content.decode()
    challenge = re.search(r'data-pow-challenge="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert respondent.submit(pow_challenge=challenge).status_code == 302  # type: ignore[attr-defined]


def test_a_proof_of_work_challenge_is_accepted_once(settings) -> None:  # type: ignore[no-untyped-def]
    settings.RESPONSE_PROOF_OF_WORK_BITS = 4
    settings.RESPONSE_PROOF_OF_WORK_WAIT_SECONDS = 3600
    challenge = proof_of_work.challenge_issue()
    nonce = _solve(challenge, 4)
    assert proof_of_work.challenge_verify(challenge, nonce)
    assert not proof_of_work.challenge_verify(challenge, nonce)


def test_near_limit_mode_asks_for_work_only_past_half_the_limit(
    consultation: Consultation, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.RESPONSE_PROOF_OF_WORK = "near-limit"
    settings.RESPONSE_SUBMIT_RATE_LIMIT = 4
    settings.RESPONSE_PROOF_OF_WORK_WAIT_SECONDS = 3600
    statuses = []
    for _ in range(3):
        person = Respondent(client=Client(), consultation=consultation)
        person.start()
        person.fill_everything()
        statuses.append(person.submit().status_code)  # type: ignore[attr-defined]
    assert statuses == [302, 302, 400]


def test_save_and_return_by_email(
    respondent: Respondent, smtp_server, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    respondent.start()
    respondent.answer("region", {"region": "london"})
    leave = respondent.answer(
        "question-q1",
        {"answer": option_id(respondent.consultation, "q1", "Agree"), "save_and_return": "1"},
    )
    assert leave["Location"].endswith("/respond/save/")  # type: ignore[index]
    bad = respondent.client.post(f"{respondent.base}save/", {"email": "nope"})
    assert "Enter an email address in the correct format" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        saved = respondent.client.post(f"{respondent.base}save/", {"email": "sam@example.org"})
    assert "We have sent a link to sam@example.org" in text_of(saved.content.decode())
    run_tasks()
    [message] = smtp_server.to("sam@example.org")
    link = re.search(r"http://\S+/respond/resume/\S+/", message.get_body(("plain",)).get_content())
    assert link is not None
    path = link.group(0).split("8000", 1)[1] if "8000" in link.group(0) else link.group(0)
    later = Client()  # another device, with no cookie
    resumed = later.get(path)
    assert resumed.status_code == 302
    assert resumed["Location"].endswith("/respond/check/")
    page = text_of(later.get(resumed["Location"]).content.decode())
    assert "London" in page
    assert "Agree" in page


def _resume_path(message) -> str:  # type: ignore[no-untyped-def]
    link = re.search(
        r"https?://\S+?(/consultations/\S+/respond/resume/\S+/)",
        message.get_body(("plain",)).get_content(),
    )
    assert link is not None
    return link.group(1)


def test_typing_someone_elses_address_never_gives_their_link(
    respondent: Respondent, smtp_server, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """Whoever saves a draft with a victim's address cannot read or change what the victim
    writes after following the emailed link: the link is the only way back in."""
    respondent.start()
    respondent.answer("region", {"region": "london"})
    with django_capture_on_commit_callbacks(execute=True):
        saved = respondent.client.post(f"{respondent.base}save/", {"email": "victim@example.org"})
    run_tasks()
    [message] = smtp_server.to("victim@example.org")
    link_path = _resume_path(message)
    link_token = link_path.rstrip("/").rsplit("/", 1)[1]
    attacker_cookie = respondent.client.cookies[COOKIE].value
    assert attacker_cookie != link_token
    assert link_token not in saved.content.decode()
    assert link_token not in str(saved.cookies)

    victim = Client()
    assert victim.get(link_path)["Location"].endswith("/respond/check/")
    victim.post(f"{respondent.base}region/", {"region": "wales"})
    # The attacker's browser is shut out: it is sent back to the start and sees nothing.
    page = respondent.client.get(f"{respondent.base}check/")
    assert page.status_code == 302
    assert page["Location"] == respondent.base
    assert (
        respondent.client.post(f"{respondent.base}region/", {"region": "london"})["Location"]
        == respondent.base
    )
    draft = Response.objects.get()
    assert draft.region == "wales"


def test_resume_links_to_one_address_are_limited_per_hour(
    respondent: Respondent, smtp_server, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from moot.consultations.services.emails import EMAILS_PER_ADDRESS_PER_HOUR

    respondent.start()
    for _ in range(EMAILS_PER_ADDRESS_PER_HOUR + 2):
        with django_capture_on_commit_callbacks(execute=True):
            respondent.client.post(f"{respondent.base}save/", {"email": "flooded@example.org"})
        run_tasks()
    assert len(smtp_server.to("flooded@example.org")) == EMAILS_PER_ADDRESS_PER_HOUR


def test_an_older_resume_link_stops_working(respondent: Respondent) -> None:
    from moot.consultations.services.responses import (
        response_resume_link_send,
        response_resume_token,
    )

    respondent.start()
    draft = Response.objects.get()
    old = response_resume_token(response=draft)
    response_resume_link_send(response=draft, email="sam@example.org")
    page = Client().get(f"{respondent.base}resume/{old}/")
    assert page.status_code == 404
    assert "This link does not work" in page.content.decode()
    assert Client().get(f"{respondent.base}resume/1-nonsense/").status_code == 404


def test_without_a_draft_the_pages_send_you_to_the_start(
    client: Client, consultation: Consultation
) -> None:
    page = client.get(f"/consultations/{consultation.slug}/respond/region/")
    assert page["Location"] == f"/consultations/{consultation.slug}/respond/"
    assert client.get(f"/consultations/{consultation.slug}/respond/check/").status_code == 302


def test_unknown_step_is_not_found(respondent: Respondent) -> None:
    respondent.start()
    assert respondent.client.get(f"{respondent.base}question-nope/").status_code == 404


def test_staff_invited_late_response_is_accepted_after_closing(
    consultation: Consultation, smtp_server, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from moot.consultations.services.responses import response_late_invitation_create
    from tests.factories import UserFactory

    closed(consultation)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = response_late_invitation_create(
            consultation=consultation, by=UserFactory(), email="late@example.org"
        )
    run_tasks()
    [message] = smtp_server.to("late@example.org")
    assert "after the closing date" in message.get_body(("plain",)).get_content()
    client = Client()
    from moot.consultations.services.responses import response_resume_token

    client.get(
        f"/consultations/{consultation.slug}/respond/resume/{response_resume_token(response=invitation)}/"
    )
    person = Respondent(client=client, consultation=consultation)
    person.fill_everything(email="late@example.org")
    assert person.submit().status_code == 302  # type: ignore[attr-defined]
    invitation.refresh_from_db()
    assert invitation.status == ResponseStatus.LATE
    assert invitation.late_accepted_at is not None
    assert invitation.is_counted


def _upload(respondent: Respondent, name: str, data: bytes, button: str = "upload") -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return respondent.client.post(
        f"{respondent.base}documents/",
        {"document": SimpleUploadedFile(name, data), button: "1"},
    )


def test_documents_can_be_added_and_removed(respondent: Respondent) -> None:
    from tests.samples import make_docx

    respondent.start()
    added = _upload(respondent, "my response.docx", make_docx("Our longer response about taxis"))
    assert added["Location"] == f"{respondent.base}documents/"  # type: ignore[index]
    page = text_of(respondent.client.get(f"{respondent.base}documents/").content.decode())
    assert "my_response.docx" in page
    run_tasks()  # the text is read by a task, out of the request
    [document] = Response.objects.get().attachments.all()
    assert "taxis" in document.extracted_text
    assert document.content_type.endswith("wordprocessingml.document")
    respondent.fill_everything()
    check = text_of(respondent.client.get(f"{respondent.base}check/").content.decode())
    assert "my_response.docx" in check
    removed = respondent.client.post(f"{respondent.base}documents/", {"remove": str(document.pk)})
    assert removed.status_code == 302
    assert not Response.objects.get().attachments.exists()
    onwards = respondent.client.post(f"{respondent.base}documents/", {})
    assert onwards["Location"] == f"{respondent.base}confidentiality/"


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("bomb.docx", "zip_bomb", "expands to far more data"),
        ("locked.pdf", "encrypted_pdf", "protected with a password"),
        ("setup.pdf", "executable", "not a type moot accepts"),
        ("photo.docx", "png", "PNG file, which is not accepted here"),
        ("big.txt", "oversized", "larger than"),
    ],
)
def test_bad_documents_are_refused_with_a_clear_message(
    respondent: Respondent, settings, name: str, make: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    from tests.consultations.fixtures.make_fixtures import zip_bomb_docx
    from tests.samples import make_pdf

    settings.RESPONSE_MAX_UPLOAD_BYTES = 1024 * 1024
    data = {
        "zip_bomb": zip_bomb_docx,
        "encrypted_pdf": lambda: make_pdf("secret", password="pw"),
        "executable": lambda: b"MZ\x90\x00" + bytes(range(256)),
        "png": lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "oversized": lambda: b"a" * (1024 * 1024 + 1),
    }[make]()
    respondent.start()
    page = _upload(respondent, name, data)
    assert page.status_code == 400  # type: ignore[attr-defined]
    html = page.content.decode()  # type: ignore[attr-defined]
    assert "govuk-error-summary" in html
    assert message in text_of(html)
    assert not Response.objects.get().attachments.exists()


def test_at_most_five_documents(respondent: Respondent) -> None:
    respondent.start()
    for n in range(5):
        assert _upload(respondent, f"note{n}.txt", b"A note.").status_code == 302  # type: ignore[attr-defined]
    sixth = _upload(respondent, "note5.txt", b"One too many.")
    assert "You can add up to 5 documents" in text_of(sixth.content.decode())  # type: ignore[attr-defined]
    assert Response.objects.get().attachments.count() == 5


def test_choosing_a_file_and_continuing_uploads_it_and_moves_on(respondent: Respondent) -> None:
    respondent.start()
    page = _upload(respondent, "note.txt", b"A note.", button="continue")
    assert page["Location"] == f"{respondent.base}confidentiality/"  # type: ignore[index]
    assert Response.objects.get().attachments.count() == 1


def test_check_your_answers_goes_back_to_the_last_page(respondent: Respondent) -> None:
    respondent.start()
    page = respondent.client.get(f"{respondent.base}check/").content.decode()
    assert f'href="{respondent.base}publication/" class="govuk-back-link"' in page


def test_a_crash_while_submitting_leaves_the_draft_whole(
    respondent: Respondent, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from moot.consultations.services import responses as services
    from moot.consultations.services.responses import response_submit

    respondent.start()
    respondent.fill_everything()
    draft = Response.objects.get()

    def crash(**kwargs: object) -> None:
        raise RuntimeError("the machine fell over")

    # The receipt is queued inside the submission's transaction: make that step fail.
    monkeypatch.setattr(services, "_queue_receipt", crash)
    with pytest.raises(RuntimeError):
        response_submit(response=draft, submission_token=str(draft.submission_token))
    draft.refresh_from_db()
    assert draft.status == ResponseStatus.DRAFT
    assert draft.reference is None
    assert draft.received_at is None
    assert draft.answers.count() == 4
    monkeypatch.undo()
    sent = response_submit(response=draft, submission_token=str(draft.submission_token))
    assert sent.status == ResponseStatus.SUBMITTED


def test_each_page_says_its_question_once(respondent: Respondent) -> None:
    """The question is the page's heading (GOV.UK's legend-as-heading), not a heading and
    then a legend saying the same again."""
    respondent.start()
    for step in ("responding-as", "confidentiality", "publication", "region"):
        html = respondent.client.get(f"{respondent.base}{step}/").content.decode()
        main = html.split('id="main-content"', 1)[1]
        [heading] = re.findall(r"<h1[^>]*>(.*?)</h1>", main, re.S)
        title = text_of(heading).strip()
        assert text_of(main).count(title) == 1, (step, title)
