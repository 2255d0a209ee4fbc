from __future__ import annotations

import datetime as dt

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from moot.consultations.selectors import consultation_list
from moot.parliament import selectors


def _parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Http404("Not a date") from None


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


def question_detail(request: HttpRequest, date: str, identifier: str) -> HttpResponse:
    question = selectors.question_for_page(date=_parse_date(date), identifier=identifier)
    return render(
        request,
        "parliament/question.html",
        {
            "question": question,
            "page": selectors.question_page(question=question),
            "nav_section": "parliament",
        },
    )


def member_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = selectors.person_for_page(slug=slug)
    return render(
        request,
        "parliament/member.html",
        {
            "person": person,
            "questions_asked": selectors.questions_asked_by(person=person),
            "answers_given": selectors.answers_given_by(person=person),
            "nav_section": "parliament",
        },
    )


def department_detail(request: HttpRequest, slug: str) -> HttpResponse:
    department = selectors.department_for_page(slug=slug)
    return render(
        request,
        "parliament/department.html",
        {
            "department": department,
            "questions": selectors.questions_for_department(department=department),
            "consultations": consultation_list(department=department),
            "nav_section": "parliament",
        },
    )


def member_photo(request: HttpRequest, slug: str) -> FileResponse:
    person = selectors.person_for_page(slug=slug)
    if not person.photo:
        raise Http404("No photo")
    response = FileResponse(person.photo.open("rb"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
