from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from moot.consultations.selectors import RESPONSE_WEEKS, consultation_list
from moot.core.pagecache import rendered_for_everyone, shared_page_cache
from moot.parliament import selectors
from moot.parliament.forms import AnswerVoteForm, PostcodeForm
from moot.parliament.models import MemberPhoto, WrittenAnswer, WrittenQuestion
from moot.parliament.selectors.written_answers import questions_answered_newest_first
from moot.parliament.services.votes import VoteRefused, answer_vote_cast
from moot.parliament.voting import (
    forgery_problem,
    reader_voter_id,
    reader_voter_key,
    remember_voter,
    vote_allowed,
    voter_ip_hash,
)

PAGE_SIZE = 50
LATEST = 10
RECENTLY_ANSWERED_PAGE_SIZE = 20


def _parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Http404("Not a date") from None


def _page(request: HttpRequest, items: QuerySet[Any]) -> Page[Any]:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _crumbs(here: str) -> list[tuple[str, str | None]]:
    return [
        ("Home", reverse("core:home")),
        ("Written questions", reverse("parliament:index")),
        (here, None),
    ]


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "parliament/index.html",
        {
            "days": selectors.question_days(),
            "recent_questions": selectors.questions_recently_answered(limit=20),
            "nav_section": "parliament",
        },
    )


def recently_answered(request: HttpRequest) -> HttpResponse:
    """Every answered written question, newest first, 20 to a page."""
    page = Paginator(questions_answered_newest_first(), RECENTLY_ANSWERED_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "parliament/recently_answered.html",
        {
            "page_obj": page,
            "crumbs": _crumbs("Recently answered"),
            "nav_section": "parliament",
        },
    )


def day_index(request: HttpRequest, date: str) -> HttpResponse:
    day = selectors.question_day(date=_parse_date(date))
    debates = selectors.debates_on(date=day.date)
    if not day.departments and not debates:
        raise Http404("No written questions or debates on this day")
    return render(
        request,
        "parliament/day.html",
        {
            "day": day,
            "debates": debates,
            "crumbs": _crumbs(f"{day.date.day} {day.date:%B %Y}"),
            "nav_section": "parliament",
        },
    )


@shared_page_cache
def question_detail(request: HttpRequest, date: str, identifier: str) -> HttpResponse:
    day = _parse_date(date)
    try:
        question = selectors.question_for_page(date=day, identifier=identifier)
    except Http404:
        target = selectors.permalink_redirect(date=day, identifier=identifier)
        if target is None:
            raise
        return HttpResponseRedirect(target, status=301)
    return _question_response(request, question)


def _question_response(
    request: HttpRequest,
    question: WrittenQuestion,
    *,
    vote_error: tuple[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.question_page(question=question)
    shared = rendered_for_everyone(request)
    tallies = selectors.vote_tallies(
        answer_ids=[given.answer.pk for given in page.answers],
        voter_key=None if shared else reader_voter_key(request),
    )
    return render(
        request,
        "parliament/question.html",
        {
            "question": question,
            "page": page,
            "answers": [(given, tallies[given.answer.pk]) for given in page.answers],
            "vote_error": vote_error,
            "shared_page": shared,
            "nav_section": "parliament",
        },
        status=status,
    )


@shared_page_cache
def debate_detail(request: HttpRequest, location: str, date: str, identifier: str) -> HttpResponse:
    page = selectors.debate_page(location=location, date=_parse_date(date), identifier=identifier)
    return render(
        request,
        "parliament/debate.html",
        {"page": page, "section": page.section, "nav_section": "parliament"},
    )


def debate_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "parliament/debate_index.html",
        {
            "days": selectors.debate_days(),
            "crumbs": [("Home", reverse("core:home")), ("Debates", None)],
            "nav_section": "parliament",
        },
    )


def debate_source_redirect(request: HttpRequest, source_id: str) -> HttpResponse:
    target = selectors.debate_source_redirect(source_id=source_id)
    if target is None:
        raise Http404("No debate or speech has that id")
    return HttpResponseRedirect(target, status=301)


def member_speeches(request: HttpRequest, slug: str) -> HttpResponse:
    person = selectors.person_for_page(slug=slug)
    title = f"Speeches by {person.name}"
    return render(
        request,
        "parliament/speech_list_page.html",
        {
            "title": title,
            "crumbs": [
                ("Written questions", reverse("parliament:index")),
                (person.name, person.get_absolute_url()),
                (title, None),
            ],
            "page_obj": _page(request, selectors.speeches_by(person=person)),
            "nav_section": "parliament",
        },
    )


def source_redirect(request: HttpRequest, source_id: str) -> HttpResponse:
    target = selectors.source_id_redirect(source_id=source_id)
    if target is None:
        raise Http404("No question has that id")
    return HttpResponseRedirect(target, status=301)


# Votes are protected from forgery by forgery_problem(): Django's CSRF check when the browser
# keeps cookies, and a same-origin check when it does not (so cookie-less readers can vote).
@csrf_exempt
@require_POST
def answer_vote(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = get_object_or_404(WrittenAnswer, pk=answer_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = AnswerVoteForm(request.POST)
    try:
        forgery_problem(request)
        answers_question = form.answers_question()
        vote_allowed(request)
        outcome = answer_vote_cast(
            answer=answer,
            answers_question=answers_question,
            voter_id=reader_voter_id(request),
            ip_hash=voter_ip_hash(request),
        )
    except VoteRefused as refusal:
        return _vote_refused(request, answer, refusal, wants_json=wants_json)
    if wants_json:
        response: HttpResponse = JsonResponse(outcome.tally.as_json())
    else:
        messages.success(
            request, "Thank you: your answer to “Does this answer the question?” is counted."
        )
        response = redirect(f"{_answer_question_url(answer)}#answer-{answer.pk}")
        response.status_code = 303
    return remember_voter(response, outcome.new_voter_id)


def _answer_question_url(answer: WrittenAnswer) -> str:
    question = answer.questions.order_by("position", "id").first()
    if question is None:
        raise Http404("This answer answers no question")
    return question.get_absolute_url()


def _vote_refused(
    request: HttpRequest, answer: WrittenAnswer, refusal: VoteRefused, *, wants_json: bool
) -> HttpResponse:
    if wants_json:
        return JsonResponse({"error": str(refusal)}, status=refusal.status)
    question = answer.questions.order_by("position", "id").first()
    if question is None:
        raise Http404("This answer answers no question")
    full = selectors.question_for_page(date=question.date, identifier=question.identifier)
    return _question_response(
        request, full, vote_error=(answer.pk, str(refusal)), status=refusal.status
    )


def answer_quality(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "parliament/answer_quality.html",
        {
            "ranking": selectors.answer_quality_by_department(),
            "crumbs": _crumbs("Answer quality"),
            "nav_section": "parliament",
        },
    )


def timeliness(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    years = selectors.timeliness_years(now=now)
    year = _chosen_year(request.GET.get("year"), years)
    rows = selectors.department_timeliness(year=year, now=now) if year is not None else []
    return render(
        request,
        "parliament/timeliness.html",
        {
            "year": year,
            "years": years,
            "rows": rows,
            "totals": selectors.timeliness_summary(rows),
            "standard": round(selectors.PROCEDURE_COMMITTEE_STANDARD * 100),
            "response_weeks": RESPONSE_WEEKS,
            "crumbs": _crumbs("Timeliness"),
            "nav_section": "parliament",
        },
    )


def _chosen_year(value: str | None, years: list[int]) -> int | None:
    """The year asked for when there is anything to show for it, else the latest."""
    if value and value.isascii() and value.isdigit() and int(value) in years:
        return int(value)
    if value:
        raise Http404("No figures for that year")
    return years[0] if years else None


# No CSRF token: the lookup changes nothing, and a form on cached pages cannot carry one.
# POST, never GET, so that the postcode stays out of URLs, access logs and Referer headers;
# never_cache, so that no cache keeps the answer.
@csrf_exempt
@never_cache
def find_mp(request: HttpRequest) -> HttpResponse:
    form = PostcodeForm(request.POST if request.method == "POST" else None)
    answer, problem, status = None, "", 200
    if request.method == "POST" and form.is_valid():
        date = form.cleaned_data.get("date") or timezone.localdate()
        try:
            answer = selectors.member_for_postcode(
                postcode=form.cleaned_data["postcode"], date=date
            )
        except selectors.PostcodeNotValid as error:
            problem, status = str(error), 400
        except selectors.PostcodeNotFound as error:
            problem, status = str(error), 404
    elif form.is_bound:
        status = 400
    return render(
        request,
        "parliament/find_mp.html",
        {
            "form": form,
            "answer": answer,
            "problem": problem,
            "crumbs": [("Home", reverse("core:home")), ("Who is my MP?", None)],
            "nav_section": "parliament",
        },
        status=status,
    )


def member_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = selectors.person_for_page(slug=slug)
    asked = selectors.questions_asked_by(person=person)
    answered = selectors.answers_given_by(person=person)
    speeches = selectors.speeches_by(person=person)
    return render(
        request,
        "parliament/member.html",
        {
            "person": person,
            "questions_asked": asked[:LATEST],
            "questions_asked_count": asked.count(),
            "answers_given": answered[:LATEST],
            "answers_given_count": answered.count(),
            "photo_record": MemberPhoto.objects.filter(person=person).first(),
            "speeches": speeches[:LATEST],
            "speeches_count": speeches.count(),
            "statements_made": selectors.statements_made_by(person=person)[:LATEST],
            "nav_section": "parliament",
        },
    )


def member_questions(request: HttpRequest, slug: str) -> HttpResponse:
    person = selectors.person_for_page(slug=slug)
    return _list_page(
        request,
        title=f"Questions asked by {person.name}",
        parent=(person.name, person.get_absolute_url()),
        items=selectors.questions_asked_by(person=person),
        testid="questions-asked",
        show_department=True,
    )


def member_answers(request: HttpRequest, slug: str) -> HttpResponse:
    person = selectors.person_for_page(slug=slug)
    return _list_page(
        request,
        title=f"Answers given by {person.name}",
        parent=(person.name, person.get_absolute_url()),
        items=selectors.answers_given_by(person=person),
        testid="answers-given",
        answers=True,
    )


def _list_page(
    request: HttpRequest,
    *,
    title: str,
    parent: tuple[str, str],
    items: QuerySet[Any],
    testid: str,
    answers: bool = False,
    show_department: bool = False,
) -> HttpResponse:
    return render(
        request,
        "parliament/list_page.html",
        {
            "title": title,
            "crumbs": [("Written questions", reverse("parliament:index")), parent, (title, None)],
            "page_obj": _page(request, items),
            "answers": answers,
            "testid": testid,
            "show_department": show_department,
            "nav_section": "parliament",
        },
    )


def department_detail(request: HttpRequest, slug: str) -> HttpResponse:
    department = selectors.department_for_page(slug=slug)
    questions = selectors.questions_for_department(department=department)
    return render(
        request,
        "parliament/department.html",
        {
            "department": department,
            "questions": questions[:LATEST],
            "counts": selectors.department_question_counts(department=department),
            "foi_request_url": selectors.foi_request_url(department=department),
            "statements": selectors.statements_for_department(department=department)[:LATEST],
            "consultations": consultation_list(department=department),
            "nav_section": "parliament",
        },
    )


def department_questions(request: HttpRequest, slug: str) -> HttpResponse:
    department = selectors.department_for_page(slug=slug)
    return _list_page(
        request,
        title=f"Written questions to {department.name}",
        parent=(department.name, department.get_absolute_url()),
        items=selectors.questions_for_department(department=department),
        testid="department-questions",
    )


def member_photo(request: HttpRequest, slug: str) -> FileResponse:
    person = selectors.person_for_page(slug=slug)
    if not person.photo:
        raise Http404("No photo")
    response = FileResponse(person.photo.open("rb"))
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def member_photo_small(request: HttpRequest, slug: str) -> FileResponse:
    """The thumbnail beside speeches and answers (the photo itself when there is none)."""
    person = selectors.person_for_page(slug=slug)
    record = MemberPhoto.objects.filter(person=person).first()
    file = record.thumbnail if record is not None else person.photo
    if not file:
        raise Http404("No photo")
    response = FileResponse(file.open("rb"))
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
