"""Staff pages through the client: sign-in, access by department, the responses list and its
filters, a response, postal entry, exports and the publishable page."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from moot.consultations.models import (
    Channel,
    Consultation,
    Question,
    Response,
    ResponseAttachment,
    ResponseStatus,
)
from moot.consultations.selectors.exports import STAFF_COLUMNS, export_parse
from moot.consultations.services.responses import (
    AnswerValue,
    RespondentDetails,
    response_record,
)
from moot.core.models import AuditAction, AuditEvent, User
from tests.consultations.conftest import closed, option_id
from tests.consultations.test_respond import run_tasks
from tests.factories import UserFactory
from tests.pages import text_of
from tests.samples import make_docx, make_pdf

pytestmark = pytest.mark.django_db


def record(
    consultation: Consultation,
    *,
    channel: Channel = Channel.ONLINE,
    days_ago: int = 1,
    consent: str = "with_name",
    confidential: bool | None = False,
    respondent_type: str = "individual",
    answers: dict[str, AnswerValue] | None = None,
    name: str = "Jane Smith",
    organisation: str = "",
    body_text: str = "",
) -> Response:
    questions = {q.key: q for q in consultation.questions.all()}
    response, _ = response_record(
        consultation=consultation,
        channel=channel,
        received_at=timezone.now() - dt.timedelta(days=days_ago),
        respondent=RespondentDetails(
            name=name,
            email=f"{name.split()[0].lower()}@example.org",
            respondent_type=respondent_type,
            organisation_name=organisation,
            wants_confidentiality=confidential,
            confidentiality_reason="My employer" if confidential else "",
            publication_consent=consent,
        ),
        answers={questions[key]: value for key, value in (answers or {}).items()},
        body_text=body_text,
    )
    return response


def staff_urls(consultation: Consultation, response: Response) -> list[str]:
    base = f"/staff/consultations/{consultation.slug}/"
    return [
        base,
        f"{base}responses/",
        f"{base}responses/export.csv",
        f"{base}responses/export.xlsx",
        f"{base}responses/export.json",
        f"{base}responses/publishable/",
        f"{base}responses/publishable/export.csv",
        f"{base}responses/{response.pk}/",
        f"{base}postal-response/",
        f"{base}summary/",
        f"{base}outcome/",
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, consultation: Consultation) -> None:
    response = record(consultation)
    for url in staff_urls(consultation, response):
        page = client.get(url)
        assert page.status_code == 302, url
        assert page["Location"].startswith("/staff/login/?next="), url


def test_staff_of_another_department_are_refused_everywhere(
    client: Client, consultation: Consultation, other_staff: User
) -> None:
    response = record(consultation)
    client.force_login(other_staff)
    for url in staff_urls(consultation, response):
        assert client.get(url).status_code == 403, url
    base = f"/staff/consultations/{consultation.slug}/"
    for url in [
        f"{base}status/start-analysis/",
        f"{base}responses/{response.pk}/withdraw/",
        f"{base}late-response/",
        f"{base}postal-response/",
    ]:
        assert client.post(url, {"email": "x@example.org"}).status_code == 403, url
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    listing = client.get("/staff/consultations/").content.decode()
    assert consultation.title not in listing


def test_public_users_who_are_not_staff_are_refused(
    client: Client, consultation: Consultation
) -> None:
    client.force_login(UserFactory(is_staff=False, department=consultation.department))
    assert client.get(f"/staff/consultations/{consultation.slug}/").status_code == 302


def test_superusers_see_every_department(client: Client, consultation: Consultation) -> None:
    response = record(consultation)
    client.force_login(UserFactory(is_superuser=True))
    for url in staff_urls(consultation, response):
        assert client.get(url).status_code == 200, url


def test_responses_list_filters_and_search(
    staff_client: Client, consultation: Consultation, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    agree = AnswerValue(option_ids=(option_id(consultation, "q1", "Agree"),))
    record(consultation, name="Ann Online", answers={"q1": agree}, days_ago=3)
    record(
        consultation,
        name="Eve Email",
        channel=Channel.EMAIL,
        respondent_type="organisation",
        organisation="Harbour Trust",
        body_text="We worry about taxis.",
        days_ago=1,
    )
    record(
        consultation,
        name="Pat Post",
        channel=Channel.POST,
        answers={"q4": AnswerValue(text="Buses too")},
    )
    url = f"/staff/consultations/{consultation.slug}/responses/"

    def names(query: dict[str, str]) -> set[str]:
        page = text_of(staff_client.get(url, query).content.decode())
        return {n for n in ["Ann Online", "Harbour Trust", "Pat Post"] if n in page}

    assert names({}) == {"Ann Online", "Harbour Trust", "Pat Post"}
    assert names({"channel": "email"}) == {"Harbour Trust"}
    assert names({"respondent_type": "organisation"}) == {"Harbour Trust"}
    assert names({"question": "q1"}) == {"Ann Online"}
    assert names({"q": "taxis"}) == {"Harbour Trust"}
    assert names({"q": "buses"}) == {"Pat Post"}
    two_days_ago = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    assert names({"received_from": two_days_ago}) == {"Harbour Trust", "Pat Post"}
    assert names({"received_to": two_days_ago}) == {"Ann Online"}
    for _ in range(20):
        record(consultation, name="Many People")
    # Session, user, consultation, its questions (the filter), count, page: none per response.
    # Six for the page, two for the role check (the user's and their groups' permissions),
    # one for the audit log.
    with django_assert_num_queries(9):
        staff_client.get(url)


def test_a_bad_filter_value_shows_all_responses_not_an_error(
    staff_client: Client, consultation: Consultation
) -> None:
    record(consultation)
    page = staff_client.get(
        f"/staff/consultations/{consultation.slug}/responses/", {"received_from": "yesterday"}
    )
    assert page.status_code == 200
    assert "Enter a valid date" in page.content.decode()


def test_response_detail_accept_late_and_withdraw(
    staff_client: Client, consultation: Consultation
) -> None:
    closed(consultation)
    late = record(consultation, days_ago=0)
    assert late.status == ResponseStatus.LATE
    url = f"/staff/consultations/{consultation.slug}/responses/{late.pk}/"
    page = text_of(staff_client.get(url).content.decode())
    assert "Late, not accepted" in page
    assert "Jane Smith" in page
    staff_client.post(f"{url}accept-late/")
    late.refresh_from_db()
    assert late.late_accepted_at is not None
    assert late.is_counted
    again = staff_client.post(f"{url}accept-late/", follow=True)
    assert again.status_code == 200
    staff_client.post(f"{url}withdraw/")
    late.refresh_from_db()
    assert late.status == ResponseStatus.WITHDRAWN
    refused = staff_client.post(f"{url}withdraw/", follow=True)
    assert "Only a received response can be withdrawn" in text_of(refused.content.decode())
    assert staff_client.post(f"{url}explode/").status_code == 404
    changes = AuditEvent.objects.filter(action=AuditAction.EDIT_RESPONSE, record_ids=[late.pk])
    assert [event.detail["change"] for event in changes.order_by("id")] == [
        "accept-late",
        "accept-late",
        "withdraw",
    ]


def test_a_response_of_another_consultation_is_not_found_under_this_one(
    staff_client: Client, consultation: Consultation
) -> None:
    from tests.factories import ConsultationFactory

    other = ConsultationFactory(department=consultation.department)
    response = record(other)
    url = f"/staff/consultations/{consultation.slug}/responses/{response.pk}/"
    assert staff_client.get(url).status_code == 404


def _postal_data(consultation: Consultation, **extra: object) -> dict[str, object]:
    return {
        "received_on": timezone.localdate().isoformat(),
        "respondent_name": "Peter Post",
        "respondent_type": "individual",
        "region": "wales",
        "wants_confidentiality": "no",
        "publication_consent": "anonymously",
        "answer_q1": option_id(consultation, "q1", "Disagree"),
        "answer_q3": [option_id(consultation, "q3", "Health")],
        "answer_q4": "Written in ink.",
        "body_text": "Dear Sir, ...",
        **extra,
    }


def test_staff_enter_a_postal_response_with_a_scan(
    staff_client: Client, consultation: Consultation
) -> None:
    url = f"/staff/consultations/{consultation.slug}/postal-response/"
    assert "Enter a postal response" in staff_client.get(url).content.decode()
    scan = SimpleUploadedFile("letter.pdf", make_pdf("Letter from Peter"))
    result = staff_client.post(url, _postal_data(consultation, scan=scan))
    assert result.status_code == 302
    run_tasks()  # the worker reads the scan's text, out of the request
    response = Response.objects.get()
    assert response.channel == Channel.POST
    assert response.entered_by is not None
    assert response.region == "wales"
    assert {a.question.key for a in response.answers.all()} == {"q1", "q3", "q4"}
    scan_file = ResponseAttachment.objects.get(response=response)
    assert scan_file.kind == "scan"
    assert scan_file.content_type == "application/pdf"
    assert "Letter from Peter" in scan_file.extracted_text
    download = staff_client.get(
        f"/staff/consultations/{consultation.slug}/responses/{response.pk}/files/{scan_file.pk}/"
    )
    assert download.status_code == 200
    assert download["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: make_pdf("secret", password="pw"), "protected with a password"),
        (lambda: b"MZ\x90\x00\x03" + b"\x00" * 100, "not a type moot accepts"),
        (lambda: make_docx("A Word file"), "not accepted here"),
    ],
)
def test_a_refused_scan_stores_nothing(
    staff_client: Client, consultation: Consultation, upload, message: str
) -> None:  # type: ignore[no-untyped-def]
    url = f"/staff/consultations/{consultation.slug}/postal-response/"
    scan = SimpleUploadedFile("letter.pdf", upload())
    result = staff_client.post(url, _postal_data(consultation, scan=scan))
    assert result.status_code == 400
    assert message in text_of(result.content.decode())
    assert Response.objects.count() == 0


def test_an_oversized_scan_is_refused(
    staff_client: Client, consultation: Consultation, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.RESPONSE_MAX_UPLOAD_BYTES = 1024
    url = f"/staff/consultations/{consultation.slug}/postal-response/"
    scan = SimpleUploadedFile("letter.pdf", make_pdf("x" * 10) + b"%" * 2048)
    result = staff_client.post(url, _postal_data(consultation, scan=scan))
    assert result.status_code == 400
    assert "larger than" in text_of(result.content.decode())
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"received_on": ""}, "Enter the date the letter was received"),
        ({"received_on": "2999-01-01"}, "must be today or in the past"),
        ({"answer_q1": "12345678"}, "Select a valid choice"),
        ({"respondent_email": "bad"}, "Enter a valid email address"),
    ],
)
def test_postal_form_bad_input(
    staff_client: Client, consultation: Consultation, change: dict[str, str], message: str
) -> None:
    url = f"/staff/consultations/{consultation.slug}/postal-response/"
    result = staff_client.post(url, _postal_data(consultation, **change))
    assert result.status_code == 400
    assert "govuk-error-summary" in result.content.decode()
    assert message in text_of(result.content.decode())
    assert Response.objects.count() == 0


def test_a_letter_received_after_closing_is_late(
    staff_client: Client, consultation: Consultation
) -> None:
    closed(consultation, days_ago=3)
    url = f"/staff/consultations/{consultation.slug}/postal-response/"
    staff_client.post(url, _postal_data(consultation))
    assert Response.objects.get().status == ResponseStatus.LATE


def _populate_for_export(consultation: Consultation) -> None:
    c = consultation
    record(
        c,
        name="Ann Agree",
        answers={
            "q1": AnswerValue(option_ids=(option_id(c, "q1", "Strongly agree"),)),
            "q3": AnswerValue(
                option_ids=(option_id(c, "q3", "Police"), option_id(c, "q3", "Health"))
            ),
            "q4": AnswerValue(
                text='=HYPERLINK("http://evil.example","click")\nand a second line, "quoted"'
            ),
        },
    )
    record(c, name="Bob Anon", consent="anonymously", answers={"q4": AnswerValue(text="Ünïcödé ✓")})
    record(c, name="Cat Secret", confidential=True)
    record(c, name="Dan Nopublish", consent="do_not_publish")
    record(
        c,
        name="Eve Org",
        respondent_type="organisation",
        organisation="Harbour Trust",
        channel=Channel.EMAIL,
        body_text="Our letter.",
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_exports_parse_back_to_the_same_rows(
    staff_client: Client, consultation: Consultation, fmt: str
) -> None:
    from moot.consultations.selectors.exports import responses_export

    _populate_for_export(consultation)
    download = staff_client.get(f"/staff/consultations/{consultation.slug}/responses/export.{fmt}")
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith(f'responses.{fmt}"')
    expected = responses_export(
        consultation=consultation, responses=Response.objects.all(), publishable=False
    )
    rows = export_parse(download.content, format=fmt, multi_columns=expected.multi_columns)
    assert rows == expected.rows
    assert len(rows) == 5
    assert list(rows[0]) == [*STAFF_COLUMNS, "q1", "q2", "q3", "q4"]
    ann = next(row for row in rows if row["respondent_name"] == "Ann Agree")
    assert ann["q3"] == ["Police", "Health"]
    assert ann["q1"] == "Strongly agree"
    assert ann["q4"].startswith('=HYPERLINK("http://evil.example"')


def test_csv_and_xlsx_exports_never_hold_formulas(
    staff_client: Client, consultation: Consultation
) -> None:
    from openpyxl import load_workbook

    _populate_for_export(consultation)
    base = f"/staff/consultations/{consultation.slug}/responses/"
    csv_text = staff_client.get(f"{base}export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    sheet = load_workbook(io.BytesIO(staff_client.get(f"{base}export.xlsx").content))["Responses"]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_xlsx_export_opens_in_libreoffice_with_the_same_cells(
    staff_client: Client, consultation: Consultation, tmp_path: Path
) -> None:
    import csv

    from moot.consultations.selectors.exports import responses_export

    _populate_for_export(consultation)
    data = staff_client.get(
        f"/staff/consultations/{consultation.slug}/responses/export.xlsx"
    ).content
    source = tmp_path / "export.xlsx"
    source.write_bytes(data)
    # 44,34,76: comma-separated, double quotes, UTF-8.
    command = ["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76"]
    subprocess.run(  # noqa: S603 - fixed arguments and a file this test wrote
        [*command, "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=180,
        capture_output=True,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    with (tmp_path / "export.csv").open(newline="", encoding="utf-8") as handle:
        header, *lines = list(csv.reader(handle))
    expected = responses_export(
        consultation=consultation, responses=Response.objects.all(), publishable=False
    )
    assert header == expected.columns
    flat = [
        ["\n".join(v) if isinstance(v, list) else v for v in (row[c] for c in expected.columns)]
        for row in expected.rows
    ]
    assert lines == flat


def test_export_follows_the_list_filters(staff_client: Client, consultation: Consultation) -> None:
    _populate_for_export(consultation)
    data = staff_client.get(
        f"/staff/consultations/{consultation.slug}/responses/export.json", {"channel": "email"}
    ).content
    rows = json.loads(data)["responses"]
    assert [row["organisation_name"] for row in rows] == ["Harbour Trust"]


def test_publishable_export_leaves_out_personal_data_and_honours_consent(
    staff_client: Client, consultation: Consultation
) -> None:
    _populate_for_export(consultation)
    base = f"/staff/consultations/{consultation.slug}/responses/publishable/"
    page = text_of(staff_client.get(base).content.decode())
    assert "Ann Agree" in page
    assert "Harbour Trust" in page
    assert "Anonymous" in page
    assert "Bob Anon" not in page
    assert "Cat Secret" not in page
    assert "Dan Nopublish" not in page
    assert "@example.org" not in page
    for fmt in ["csv", "json", "xlsx"]:
        data = staff_client.get(f"{base}export.{fmt}").content
        rows = export_parse(data, format=fmt, multi_columns={"q3"})
        assert sorted(row["published_as"] for row in rows) == [
            "Ann Agree",
            "Anonymous",
            "Harbour Trust",
        ]
        assert all("respondent_email" not in row and "respondent_name" not in row for row in rows)
        assert b"example.org" not in data
        assert b"My employer" not in data


def test_question_answered_filter_uses_the_question_key(consultation: Consultation) -> None:
    assert Question.objects.filter(consultation=consultation, key="q1").exists()


def test_staff_record_the_details_and_answers_of_an_email(
    staff_client: Client, consultation: Consultation
) -> None:
    email = record(
        consultation, channel=Channel.EMAIL, consent="", confidential=None, name="Eve Email"
    )
    url = f"/staff/consultations/{consultation.slug}/responses/{email.pk}/edit/"
    form = staff_client.get(url)
    assert 'value="Eve Email"' in form.content.decode()
    bad = staff_client.post(url, {"respondent_email": "nope"})
    assert bad.status_code == 400
    assert "Enter a valid email address" in text_of(bad.content.decode())
    saved = staff_client.post(
        url,
        {
            "respondent_name": "Eve Email",
            "respondent_type": "individual",
            "wants_confidentiality": "no",
            "publication_consent": "anonymously",
            "answer_q1": option_id(consultation, "q1", "Agree"),
        },
    )
    assert saved.status_code == 302
    email.refresh_from_db()
    assert email.publication_consent == "anonymously"
    assert email.answers.get().selected_options.get().label == "Agree"
    publishable = text_of(
        staff_client.get(
            f"/staff/consultations/{consultation.slug}/responses/publishable/"
        ).content.decode()
    )
    assert email.reference in publishable


def test_online_responses_are_not_edited(staff_client: Client, consultation: Consultation) -> None:
    online = record(consultation)
    url = f"/staff/consultations/{consultation.slug}/responses/{online.pk}/edit/"
    assert staff_client.get(url).status_code == 404
    assert staff_client.post(url, {"respondent_name": "Changed"}).status_code == 404
    online.refresh_from_db()
    assert online.respondent_name == "Jane Smith"


def test_staff_of_another_department_cannot_edit(
    client: Client, consultation: Consultation, other_staff: User
) -> None:
    email = record(consultation, channel=Channel.EMAIL)
    client.force_login(other_staff)
    url = f"/staff/consultations/{consultation.slug}/responses/{email.pk}/edit/"
    assert client.post(url, {"respondent_name": "Mallory"}).status_code == 403
    email.refresh_from_db()
    assert email.respondent_name == "Jane Smith"


def test_list_pages_make_a_fixed_number_of_queries(
    client: Client, consultation: Consultation, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import ConsultationFactory

    client.force_login(UserFactory(is_superuser=True))
    _populate_for_export(consultation)
    with django_assert_max_num_queries(5) as few:
        client.get("/staff/consultations/")
    with django_assert_max_num_queries(12) as publishable_few:
        client.get(f"/staff/consultations/{consultation.slug}/responses/publishable/")
    for _ in range(5):
        ConsultationFactory()
        _populate_for_export(consultation)
    with django_assert_max_num_queries(len(few)):
        client.get("/staff/consultations/")
    with django_assert_max_num_queries(len(publishable_few)):
        client.get(f"/staff/consultations/{consultation.slug}/responses/publishable/")
    # The export also records which responses it held in the audit log.
    with django_assert_max_num_queries(len(publishable_few) + 3):
        client.get(f"/staff/consultations/{consultation.slug}/responses/export.json")
