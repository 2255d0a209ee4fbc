"""Responses published with care: suggestions, decisions, redactions, publishing and
withdrawing, the public page, the audit log, and every route as the wrong department."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from moot.consultations.models import (
    Answer,
    Consultation,
    ModerationDecision,
    PublishedText,
    Question,
    RedactionReason,
    Response,
    TextModeration,
)
from moot.consultations.services.moderation import (
    PublicationRefused,
    RedactionRefused,
    redaction_add,
    redaction_add_passage,
    response_moderations_ensure,
    response_publication_withdraw,
    response_publish,
    text_moderation_decide,
    text_redacted,
)
from moot.consultations.services.redaction_suggestions import (
    EMAIL_ADDRESS,
    OWN_NAME,
    PHONE_NUMBER,
    POSTCODE_KIND,
    PRIVATE_NAME,
    redaction_suggestions,
)
from moot.consultations.services.responses import (
    AnswerValue,
    response_answer_save,
    response_draft_start,
    response_draft_update,
    response_submit,
)
from moot.core.models import AuditAction, AuditEvent, User
from tests.consultations.conftest import option_id
from tests.pages import text_of

pytestmark = pytest.mark.django_db

SECRETS = ["jane.smith@example.org", "07700 900123", "SW1A 1AA", "Tom Baker", "Jane Smith"]
TEXT = (
    "I am Jane Smith, a childminder. Write to jane.smith@example.org or ring 07700 900123; "
    "I live at SW1A 1AA. My neighbour Tom Baker agrees that the guidance is unclear."
)


def _sent(consultation: Consultation, *, consent: str = "with_name", **about: object) -> Response:
    draft = response_draft_start(consultation=consultation)
    details: dict[str, object] = {
        "respondent_name": "Jane Smith",
        "respondent_email": "jane.smith@example.org",
        "respondent_type": "individual",
        "wants_confidentiality": False,
        "publication_consent": consent,
    }
    response_draft_update(response=draft, **{**details, **about})
    q1, q4 = (Question.objects.get(consultation=consultation, key=key) for key in ("q1", "q4"))
    response_answer_save(
        response=draft,
        question=q1,
        value=AnswerValue(option_ids=(option_id(consultation, "q1", "Disagree"),)),
    )
    response_answer_save(response=draft, question=q4, value=AnswerValue(text=TEXT))
    return response_submit(response=draft, submission_token=str(draft.submission_token))


def _moderation(response: Response, key: str) -> TextModeration:
    return next(
        m for m in response_moderations_ensure(response=response) if m.answer.question.key == key
    )


def _outcome_published(consultation: Consultation) -> None:
    Consultation.objects.filter(pk=consultation.pk).update(outcome_published_at=timezone.now())


def _redact_suggestions(moderation: TextModeration, by: User) -> None:
    for suggestion in redaction_suggestions(text=TEXT, respondent_name="Jane Smith"):
        redaction_add(
            moderation=moderation,
            start=suggestion.start,
            end=suggestion.end,
            reason=RedactionReason.PERSONAL_DATA,
            by=by,
            note=suggestion.kind,
        )


def test_suggestions_find_personal_data_and_nothing_else() -> None:
    found = [
        (TEXT[s.start : s.end], s.kind)
        for s in redaction_suggestions(text=TEXT, respondent_name="Jane Smith")
    ]
    assert found == [
        ("Jane Smith", OWN_NAME),
        ("jane.smith@example.org", EMAIL_ADDRESS),
        ("07700 900123", PHONE_NUMBER),
        ("SW1A 1AA", POSTCODE_KIND),
        ("Tom Baker", PRIVATE_NAME),
    ]
    others = "Call +44 (0)161 496 0000 or 020 7946 0958. Mrs Patel and Dr Jones wrote; Jane agreed."
    kinds = [
        (others[s.start : s.end], s.kind)
        for s in redaction_suggestions(text=others, respondent_name="Jane Smith")
    ]
    assert kinds == [
        ("+44 (0)161 496 0000", PHONE_NUMBER),
        ("020 7946 0958", PHONE_NUMBER),
        ("Mrs Patel", PRIVATE_NAME),
        ("Dr Jones", PRIVATE_NAME),
        ("Jane", OWN_NAME),
    ]
    plain = "The guidance in chapter 2 of 2024 should name 3 agencies, for example the police."
    assert redaction_suggestions(text=plain, respondent_name="") == []


def test_publishing_is_refused_without_consent_for_confidential_and_undecided_responses(
    consultation: Consultation, staff: User
) -> None:
    refused = _sent(consultation, consent="do_not_publish")
    with pytest.raises(PublicationRefused, match="did not consent to its publication"):
        response_publish(response=refused, by=staff)
    confidential = _sent(
        consultation, wants_confidentiality=True, confidentiality_reason="My employer"
    )
    with pytest.raises(PublicationRefused, match="kept confidential"):
        response_publish(response=confidential, by=staff)
    undecided = _sent(consultation)
    with pytest.raises(PublicationRefused, match="2 not yet decided"):
        response_publish(response=undecided, by=staff)
    assert not PublishedText.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PUBLISH_RESPONSE).exists()


def test_the_public_page_shows_only_approved_redacted_text(
    consultation: Consultation, staff: User, client: Client
) -> None:
    response = _sent(consultation)
    free_text, choice = _moderation(response, "q4"), _moderation(response, "q1")
    _redact_suggestions(free_text, staff)
    text_moderation_decide(
        moderation=free_text, decision=ModerationDecision.APPROVED, by=staff, note="Redacted"
    )
    text_moderation_decide(
        moderation=choice, decision=ModerationDecision.WITHHELD, by=staff, note="Off topic"
    )
    response_publish(response=response, by=staff)
    _outcome_published(consultation)

    address = f"/consultations/{consultation.slug}/published-responses/"
    page = text_of(client.get(address).content.decode())
    assert (
        "I am [redacted: personal data], a childminder. Write to [redacted: personal data] or "
        "ring [redacted: personal data]; I live at [redacted: personal data]. My neighbour "
        "[redacted: personal data] agrees that the guidance is unclear."
    ) in page
    assert "Disagree" not in page  # withheld
    # Published with a name, but the name is the sender's choice, not the text's.
    assert "Jane Smith" in page.split(response.reference)[0]
    for secret in SECRETS[:4]:
        assert secret not in page
        # Searching for a redacted passage finds nothing, anywhere.
        assert response.reference not in client.get(address, {"q": secret}).content.decode()
    assert response.reference in client.get(address, {"q": "childminder"}).content.decode()


def test_a_redacted_passage_is_nowhere_in_public_routes(
    consultation: Consultation, staff: User, client: Client
) -> None:
    response = _sent(consultation, consent="anonymously")
    free_text = _moderation(response, "q4")
    _redact_suggestions(free_text, staff)
    for moderation in response_moderations_ensure(response=response):
        text_moderation_decide(
            moderation=moderation, decision=ModerationDecision.APPROVED, by=staff
        )
    response_publish(response=response, by=staff)
    _outcome_published(consultation)
    routes = [
        f"/consultations/{consultation.slug}/published-responses/",
        f"/consultations/{consultation.slug}/",
        # Searched for published words beside the redacted ones: a hit must not carry them.
        "/search/?q=childminder",
        "/search/feed.atom?q=childminder",
        "/consultations/feed.atom",
        f"/api/v1/consultations/{consultation.slug}/",
        "/api/v1/search/?q=childminder",
        "/api/v1/open-data/",
    ]
    for route in routes:
        body = client.get(route).content.decode()
        for secret in SECRETS:
            assert secret not in body, (route, secret)
    assert PublishedText.objects.filter(text__contains="Tom Baker").count() == 0


def test_every_decision_is_in_the_audit_log_with_who_and_why(
    consultation: Consultation, staff: User
) -> None:
    response = _sent(consultation)
    free_text = _moderation(response, "q4")
    redaction_add_passage(
        moderation=free_text,
        passage="Tom Baker",
        reason=RedactionReason.DEFAMATION,
        by=staff,
        note="Names a neighbour",
    )
    for moderation in response_moderations_ensure(response=response):
        text_moderation_decide(
            moderation=moderation, decision=ModerationDecision.APPROVED, by=staff, note="Fine"
        )
    response_publish(response=response, by=staff)
    response_publication_withdraw(response=response, by=staff, reason="Sender asked us to")
    events = list(AuditEvent.objects.filter(record_ids=[response.pk]).order_by("id"))
    assert [(e.action, e.user) for e in events] == [
        (AuditAction.MODERATE_RESPONSE, staff),
        (AuditAction.MODERATE_RESPONSE, staff),
        (AuditAction.MODERATE_RESPONSE, staff),
        (AuditAction.PUBLISH_RESPONSE, staff),
        (AuditAction.WITHDRAW_PUBLISHED_RESPONSE, staff),
    ]
    assert events[0].detail["reason"] == "defamation"
    assert events[0].detail["why"] == "Names a neighbour"
    assert events[1].detail == {"text": "q1", "decision": "approved", "why": "Fine"}
    assert events[4].detail == {"why": "Sender asked us to"}
    # The log never holds the passage it hides.
    assert "Tom Baker" not in str([e.detail for e in events])


def test_a_withdrawn_response_leaves_the_public_page(
    consultation: Consultation, staff: User, client: Client
) -> None:
    response = _sent(consultation)
    for moderation in response_moderations_ensure(response=response):
        text_moderation_decide(
            moderation=moderation, decision=ModerationDecision.APPROVED, by=staff
        )
    response_publish(response=response, by=staff)
    _outcome_published(consultation)
    address = f"/consultations/{consultation.slug}/published-responses/"
    assert response.reference in client.get(address).content.decode()
    with pytest.raises(PublicationRefused, match="Enter why"):
        response_publication_withdraw(response=response, by=staff, reason=" ")
    response_publication_withdraw(response=response, by=staff, reason="Published by mistake")
    assert response.reference not in client.get(address).content.decode()
    assert not PublishedText.objects.exists()
    with pytest.raises(PublicationRefused, match="not published"):
        response_publication_withdraw(response=response, by=staff, reason="Again")


def test_a_redaction_after_publishing_changes_the_public_page_at_once(
    consultation: Consultation, staff: User
) -> None:
    response = _sent(consultation)
    for moderation in response_moderations_ensure(response=response):
        text_moderation_decide(
            moderation=moderation, decision=ModerationDecision.APPROVED, by=staff
        )
    response_publish(response=response, by=staff)
    assert PublishedText.objects.filter(text__contains="Tom Baker").exists()
    redaction_add_passage(
        moderation=_moderation(response, "q4"),
        passage="Tom Baker",
        reason=RedactionReason.PERSONAL_DATA,
        by=staff,
    )
    assert not PublishedText.objects.filter(text__contains="Tom Baker").exists()


def test_redactions_outside_the_text_overlapping_or_stale_are_refused(
    consultation: Consultation, staff: User
) -> None:
    response = _sent(consultation)
    free_text = _moderation(response, "q4")
    with pytest.raises(RedactionRefused, match="not in the text"):
        redaction_add(
            moderation=free_text, start=5, end=len(TEXT) + 3, reason="personal_data", by=staff
        )
    with pytest.raises(RedactionRefused, match="not in the text"):
        redaction_add_passage(
            moderation=free_text, passage="Someone Else", reason="personal_data", by=staff
        )
    [first] = redaction_add_passage(
        moderation=free_text, passage="Tom Baker", reason="personal_data", by=staff
    )
    with pytest.raises(RedactionRefused, match="overlaps"):
        redaction_add(
            moderation=free_text,
            start=first.start + 2,
            end=first.end + 4,
            reason="offensive",
            by=staff,
        )
    # The text changes under the redaction (a member of staff recodes the answer).
    Answer.objects.filter(pk=free_text.answer_id).update(text="Short now")
    with pytest.raises(RedactionRefused, match="changed after it was redacted"):
        text_redacted(text="Short now", redactions=[first])
    for moderation in response_moderations_ensure(response=response):
        text_moderation_decide(
            moderation=moderation, decision=ModerationDecision.APPROVED, by=staff
        )
    with pytest.raises(RedactionRefused):
        response_publish(response=response, by=staff)
    assert not PublishedText.objects.exists()


# The staff pages, without JavaScript, and every route as another department.


def test_staff_moderate_and_publish_on_the_pages(
    consultation: Consultation, staff_client: Client, client: Client
) -> None:
    response = _sent(consultation)
    base = f"/staff/consultations/{consultation.slug}/moderation/"
    listing = text_of(staff_client.get(base).content.decode())
    assert f"{response.reference} Not moderated" in listing
    page = staff_client.get(f"{base}{response.pk}/").content.decode()
    free_text = _moderation(response, "q4")
    suggestions = text_of(
        page.split(f'data-testid="suggestions-{free_text.pk}"')[1].split("</ul>")[0]
    )
    assert "“Tom Baker” (name of a private person)" in suggestions
    start = TEXT.index("Tom Baker")
    redacted = staff_client.post(
        f"{base}{response.pk}/redact/",
        {
            "moderation": free_text.pk,
            f"r{free_text.pk}-start": start,
            f"r{free_text.pk}-end": start + len("Tom Baker"),
            f"r{free_text.pk}-reason": "personal_data",
        },
    )
    assert redacted.status_code == 302
    typed = staff_client.post(
        f"{base}{response.pk}/redact/",
        {
            "moderation": free_text.pk,
            f"r{free_text.pk}-passage": "07700 900123",
            f"r{free_text.pk}-reason": "personal_data",
        },
    )
    assert typed.status_code == 302
    early = staff_client.post(f"{base}{response.pk}/publish/", follow=True)
    assert "Approve or withhold every answer first: 2 not yet decided." in text_of(
        early.content.decode()
    )
    for moderation in response_moderations_ensure(response=response):
        staff_client.post(
            f"{base}{response.pk}/decide/",
            {
                "moderation": moderation.pk,
                f"m{moderation.pk}-decision": "approved",
                f"m{moderation.pk}-note": "Checked",
            },
        )
    assert set(TextModeration.objects.values_list("decision", flat=True)) == {"approved"}
    published = staff_client.post(f"{base}{response.pk}/publish/", follow=True)
    assert f"Response {response.reference} has been published." in text_of(
        published.content.decode()
    )
    _outcome_published(consultation)
    public = client.get(f"/consultations/{consultation.slug}/published-responses/")
    body = public.content.decode()
    assert "My neighbour [redacted: personal data] agrees" in body
    assert "07700 900123" not in body
    assert "Tom Baker" not in body


def test_publishing_without_consent_is_refused_on_the_page(
    consultation: Consultation, staff_client: Client
) -> None:
    response = _sent(consultation, consent="do_not_publish")
    base = f"/staff/consultations/{consultation.slug}/moderation/"
    assert response.reference not in staff_client.get(base).content.decode()
    page = text_of(staff_client.get(f"{base}{response.pk}/").content.decode())
    assert "This response cannot be published. Its sender did not consent" in page
    refused = staff_client.post(f"{base}{response.pk}/publish/", follow=True)
    assert "did not consent to its publication" in text_of(refused.content.decode())
    assert not hasattr(Response.objects.get(pk=response.pk), "publication")


def test_another_departments_staff_cannot_moderate_by_any_route(
    consultation: Consultation, staff: User, other_staff: User, client: Client
) -> None:
    response = _sent(consultation)
    free_text = _moderation(response, "q4")
    client.force_login(other_staff)
    base = f"/staff/consultations/{consultation.slug}/moderation/"
    assert client.get(base).status_code == 403
    assert client.get(f"{base}{response.pk}/").status_code == 403
    for action, data in [
        (
            "decide",
            {"moderation": free_text.pk, f"m{free_text.pk}-decision": "approved"},
        ),
        (
            "redact",
            {"moderation": free_text.pk, f"r{free_text.pk}-passage": "Tom"},
        ),
        ("publish", {}),
        ("withdraw", {"reason": "x"}),
    ]:
        assert client.post(f"{base}{response.pk}/{action}/", data).status_code == 403
    free_text.refresh_from_db()
    assert free_text.decision == ModerationDecision.PENDING
    assert not free_text.redactions.exists()
    # Their own consultation's address does not reach this response's texts either.
    from tests.factories import ConsultationFactory

    own = ConsultationFactory(department=other_staff.department)
    assert (
        client.get(f"/staff/consultations/{own.slug}/moderation/{response.pk}/").status_code == 404
    )
    assert (
        client.post(
            f"/staff/consultations/{own.slug}/moderation/{response.pk}/decide/",
            {"moderation": free_text.pk, f"m{free_text.pk}-decision": "approved"},
        ).status_code
        == 404
    )
    # The admin lists none of it.
    other_staff.is_staff = True
    other_staff.save()
    listing = client.get("/admin/consultations/responsepublication/")
    assert response.reference not in listing.content.decode()


def test_recoding_a_published_letter_unpublishes_the_recoded_answers_until_moderated(
    consultation: Consultation, staff: User
) -> None:
    from moot.consultations.models import Channel
    from moot.consultations.services.responses import (
        RespondentDetails,
        response_details_update,
        response_record,
    )

    q4 = Question.objects.get(consultation=consultation, key="q4")
    details = RespondentDetails(
        name="Ann Other",
        email="ann@example.org",
        respondent_type="individual",
        wants_confidentiality=False,
        publication_consent="anonymously",
    )
    letter, _ = response_record(
        consultation=consultation,
        channel=Channel.POST,
        received_at=timezone.now(),
        respondent=details,
        answers={q4: AnswerValue(text="First reading of the letter.")},
        body_text="The letter as it came.",
        source_key="letter-1",
    )
    for moderation in response_moderations_ensure(response=letter):
        text_moderation_decide(
            moderation=moderation, decision=ModerationDecision.APPROVED, by=staff
        )
    response_publish(response=letter, by=staff)
    assert PublishedText.objects.filter(text="First reading of the letter.").exists()
    response_details_update(
        response=letter,
        by=staff,
        respondent=details,
        answers={q4: AnswerValue(text="Second reading, with Tom Baker named.")},
    )
    texts = set(PublishedText.objects.values_list("text", flat=True))
    assert texts == {"The letter as it came."}
