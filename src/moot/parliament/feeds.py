"""Atom feeds of written answers: all of them, one department's, one House's, one day's.

Each entry is one answer, newest first. Its id is the answer's own (on ``SITE_URL``), so it
stays the same when a newer version of the record updates the answer in place, a holding
answer becomes the full one, or its question is withdrawn: a feed reader updates the
entry it holds (``updated`` moves) instead of showing it twice. A correction is a new
answer, so it is a new entry, saying it is a correction. An answer that a newer version of
the record removed leaves the feed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from moot.core.models import Department
from moot.parliament.models import DebateSection, House, WrittenAnswer
from moot.parliament.selectors.written_answers import written_answers_newest

FEED_LENGTH = 50


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


class _WrittenAnswersFeed(Feed):
    feed_type = Atom1Feed

    def answers(self, **filters: Any) -> list[WrittenAnswer]:
        return written_answers_newest(limit=FEED_LENGTH, **filters)

    def feed_guid(self, obj: Any) -> str:
        # The feed's own address on the configured site, whatever host it was fetched from.
        return settings.SITE_URL + self.feed_url(obj)

    def feed_url(self, obj: Any) -> str:
        raise NotImplementedError

    def item_title(self, item: WrittenAnswer) -> str:
        questions = list(item.questions.all())
        title = questions[0].heading if questions else "Written answer"
        if item.is_correction:
            title = f"Correction: {title}"
        if item.is_holding:
            title = f"{title} (holding answer)"
        if questions and all(question.is_withdrawn for question in questions):
            title = f"{title} (question withdrawn)"
        return title

    def item_description(self, item: WrittenAnswer) -> str:
        # Sanitised on import (core.html.sanitise_html); feed readers show it as HTML.
        return item.body_html

    def item_link(self, item: WrittenAnswer) -> str:
        questions = list(item.questions.all())
        if not questions:
            return reverse("parliament:index")
        return f"{questions[0].get_absolute_url()}#answer-{item.pk}"

    def item_guid(self, item: WrittenAnswer) -> str:
        return f"{settings.SITE_URL}/written-questions/answers/{item.pk}/"

    def item_guid_is_permalink(self, item: WrittenAnswer) -> bool:
        return False

    def item_pubdate(self, item: WrittenAnswer) -> dt.datetime:
        return _midnight(item.date_answered)

    def item_updateddate(self, item: WrittenAnswer) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: WrittenAnswer) -> str | None:
        return item.answerer_display_name or None

    def item_categories(self, item: WrittenAnswer) -> list[str]:
        houses = {House(question.house).label for question in item.questions.all()}
        return [*([item.department.name] if item.department else []), *sorted(houses)]


class WrittenAnswersFeed(_WrittenAnswersFeed):
    title = "moot: written answers"
    description = "Every written answer to a parliamentary question, newest first."

    def link(self) -> str:
        return reverse("parliament:index")

    def feed_url(self, obj: Any = None) -> str:
        return reverse("parliament:answers_feed")

    def items(self) -> list[WrittenAnswer]:
        return self.answers()


class DepartmentWrittenAnswersFeed(_WrittenAnswersFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Department:
        try:
            return Department.objects.get(slug=slug)
        except Department.DoesNotExist:
            raise Http404("No such department") from None

    def title(self, department: Department) -> str:
        return f"{department.name}: written answers"

    def link(self, department: Department) -> str:
        return department.get_absolute_url()

    def description(self, department: Department) -> str:
        return f"Written answers given by {department.name}, newest first."

    def feed_url(self, department: Department) -> str:
        return reverse("parliament:department_answers_feed", kwargs={"slug": department.slug})

    def items(self, department: Department) -> list[WrittenAnswer]:
        return self.answers(department=department)


class HouseWrittenAnswersFeed(_WrittenAnswersFeed):
    def get_object(self, request: HttpRequest, house: str) -> House:
        return House(house)

    def title(self, house: House) -> str:
        return f"{house.label}: written answers"

    def link(self, house: House) -> str:
        return reverse("parliament:index")

    def description(self, house: House) -> str:
        return f"Written answers to questions asked in the {house.label}, newest first."

    def feed_url(self, house: House) -> str:
        return reverse(f"parliament:{house.value}_answers_feed")

    def items(self, house: House) -> list[WrittenAnswer]:
        return self.answers(house=house.value)


class DayWrittenAnswersFeed(_WrittenAnswersFeed):
    def get_object(self, request: HttpRequest, date: str) -> dt.date:
        try:
            return dt.date.fromisoformat(date)
        except ValueError:
            raise Http404("Not a date") from None

    def title(self, day: dt.date) -> str:
        return f"Written answers of {day.day} {day:%B %Y}"

    def link(self, day: dt.date) -> str:
        return reverse("parliament:day", kwargs={"date": day.isoformat()})

    def description(self, day: dt.date) -> str:
        return f"Written answers given on {day.day} {day:%B %Y}."

    def feed_url(self, day: dt.date) -> str:
        return reverse("parliament:day_answers_feed", kwargs={"date": day.isoformat()})

    def items(self, day: dt.date) -> list[WrittenAnswer]:
        return self.answers(day=day)


class DebatesFeed(Feed):
    """The newest debate sections, each entry one debate (its id stays as versions update it)."""

    feed_type = Atom1Feed
    title = "Debates"
    description = "The newest Hansard debates in the House of Commons, Westminster Hall and Lords"

    def link(self) -> str:
        return reverse("parliament:debates")

    def feed_guid(self, obj: Any) -> str:
        return settings.SITE_URL + reverse("parliament:debates_feed")

    def items(self) -> list[DebateSection]:
        return list(DebateSection.objects.order_by("-date", "-position")[:FEED_LENGTH])

    def item_title(self, item: DebateSection) -> str:
        return f"{item.title} ({item.get_location_display()})"

    def item_description(self, item: DebateSection) -> str:
        return f"{item.major_heading}" if item.heading and item.major_heading else ""

    def item_guid(self, item: DebateSection) -> str:
        return f"{settings.SITE_URL}/debates/{item.pk}/"

    def item_guid_is_permalink(self, item: DebateSection) -> bool:
        return False

    def item_pubdate(self, item: DebateSection) -> dt.datetime:
        return _midnight(item.date)

    def item_updateddate(self, item: DebateSection) -> dt.datetime:
        return item.updated_at
