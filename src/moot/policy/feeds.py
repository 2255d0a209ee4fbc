"""A policy thread's Atom and RSS feeds: its timeline, newest first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from moot.policy.threads import Thread, ThreadEvent, policy_thread, thread_subject

FEED_LENGTH = 50


class ThreadFeed(Feed):
    kind = "document"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Thread:
        return policy_thread(subject=thread_subject(kind=self.kind, slug=kwargs["slug"]))

    def title(self, thread: Thread) -> str:
        return f"{thread.title}: policy thread"

    def link(self, thread: Thread) -> str:
        return thread.url

    def feed_url(self, thread: Thread) -> str:
        suffix = "atom" if self.feed_type is Atom1Feed else "rss"
        return reverse(f"policy:{self.kind}_thread_{suffix}", kwargs={"slug": thread.subject.slug})

    def description(self, thread: Thread) -> str:
        return (
            f"Everything on “{thread.title}”: written questions and answers that mention it, "
            "consultations, responses and each version of the guidance."
        )

    def items(self, thread: Thread) -> list[ThreadEvent]:
        return thread.events[:FEED_LENGTH]

    def item_title(self, item: ThreadEvent) -> str:
        return f"{item.kind}: {item.title}"

    def item_description(self, item: ThreadEvent) -> str:
        parts = [item.description]
        if item.words:
            parts.append("Mentions: " + ", ".join(f"“{words}”" for words in item.words))
        parts.extend(f"{related.label.capitalize()} {related.title}." for related in item.related)
        return " ".join(part for part in parts if part)

    def item_link(self, item: ThreadEvent) -> str:
        return item.url

    def item_guid(self, item: ThreadEvent) -> str:
        return f"{settings.SITE_URL}/policy/events/{item.key}"

    def item_guid_is_permalink(self, item: ThreadEvent) -> bool:
        return False

    def item_pubdate(self, item: ThreadEvent) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(item.day, dt.time()))

    def item_updateddate(self, item: ThreadEvent) -> dt.datetime:
        return item.news_at


class ConsultationThreadFeed(ThreadFeed):
    kind = "consultation"


DocumentThreadAtom = type("DocumentThreadAtom", (ThreadFeed,), {"feed_type": Atom1Feed})
DocumentThreadRss = type("DocumentThreadRss", (ThreadFeed,), {"feed_type": Rss201rev2Feed})
ConsultationThreadAtom = type(
    "ConsultationThreadAtom", (ConsultationThreadFeed,), {"feed_type": Atom1Feed}
)
ConsultationThreadRss = type(
    "ConsultationThreadRss", (ConsultationThreadFeed,), {"feed_type": Rss201rev2Feed}
)
