"""Atom feeds of written ministerial statements: all of them, and one department's.

Each entry is one statement, newest first, with the statement's permalink as its link and
an id of its own on ``SITE_URL``: a newer version of the record updates the statement in
place, so a feed reader updates the entry (``updated`` moves) rather than showing it twice.
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
from moot.parliament.models import WrittenStatement
from moot.parliament.selectors.statements import statements_listed

FEED_LENGTH = 50


class _WrittenStatementsFeed(Feed):
    feed_type = Atom1Feed

    def feed_guid(self, obj: Any) -> str:
        return settings.SITE_URL + self.feed_url(obj)

    def feed_url(self, obj: Any) -> str:
        raise NotImplementedError

    def item_title(self, item: WrittenStatement) -> str:
        return item.title

    def item_description(self, item: WrittenStatement) -> str:
        # Sanitised on import (core.html.sanitise_html); feed readers show it as HTML.
        return item.body_html

    def item_link(self, item: WrittenStatement) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: WrittenStatement) -> str:
        return f"{settings.SITE_URL}/written-statements/statements/{item.pk}/"

    def item_guid_is_permalink(self, item: WrittenStatement) -> bool:
        return False

    def item_pubdate(self, item: WrittenStatement) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(item.date, dt.time()))

    def item_updateddate(self, item: WrittenStatement) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: WrittenStatement) -> str | None:
        return item.speaker_display_name or None

    def item_categories(self, item: WrittenStatement) -> list[str]:
        return [
            *([item.department.name] if item.department else []),
            item.get_house_display(),
        ]


class WrittenStatementsFeed(_WrittenStatementsFeed):
    title = "moot: written ministerial statements"
    description = "Every written ministerial statement, newest first."

    def link(self) -> str:
        return reverse("parliament:statements")

    def feed_url(self, obj: Any = None) -> str:
        return reverse("parliament:statements_feed")

    def items(self) -> list[WrittenStatement]:
        return list(statements_listed()[:FEED_LENGTH])


class DepartmentWrittenStatementsFeed(_WrittenStatementsFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Department:
        try:
            return Department.objects.get(slug=slug)
        except Department.DoesNotExist:
            raise Http404("No such department") from None

    def title(self, department: Department) -> str:
        return f"{department.name}: written statements"

    def link(self, department: Department) -> str:
        return department.get_absolute_url()

    def description(self, department: Department) -> str:
        return f"Written ministerial statements made for {department.name}, newest first."

    def feed_url(self, department: Department) -> str:
        return reverse("parliament:department_statements_feed", kwargs={"slug": department.slug})

    def items(self, department: Department) -> list[WrittenStatement]:
        return list(statements_listed().filter(department=department)[:FEED_LENGTH])
