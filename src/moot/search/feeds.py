"""RSS 2.0 and Atom feeds: any search, a member, a department, new consultations, and one
consultation's updates. Each feed comes in both formats from the same class."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.http import urlencode

from moot.consultations.models import Consultation, Document, DocumentVersion
from moot.consultations.selectors import consultations_published
from moot.core.models import Department
from moot.parliament.models import Person
from moot.search.compiler import compile_query
from moot.search.query import QuerySyntaxError, parse
from moot.search.results import SearchHit
from moot.search.selectors import TYPE_LABELS, search_results
from moot.search.services import search_index_catch_up
from moot.search.updates import ConsultationUpdate, consultation_updates

FEED_LENGTH = 50


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


class _HitsFeed(Feed):
    """A feed of search results, newest first."""

    def hits(self, query: str) -> list[SearchHit]:
        search_index_catch_up()
        return search_results(query=query, sort="newest", page_size=FEED_LENGTH).hits

    def item_title(self, item: SearchHit) -> str:
        return item.document.title

    def item_description(self, item: SearchHit) -> str:
        return str(item.snippet_html)

    def item_link(self, item: SearchHit) -> str:
        return item.document.url

    def item_pubdate(self, item: SearchHit) -> dt.datetime:
        return _midnight(item.document.date)

    def item_author_name(self, item: SearchHit) -> str | None:
        extra = item.document.extra
        return extra.get("asker") or extra.get("speaker") or None

    def item_categories(self, item: SearchHit) -> list[str]:
        return [TYPE_LABELS[item.document.kind], *item.document.department_names]


class SearchFeed(_HitsFeed):
    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            compile_query(parse(request.GET.get("q", "")))
        except QuerySyntaxError as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return request.GET.get("q", "").strip()

    def title(self, query: str) -> str:
        return f"moot search: {query}"

    def link(self, query: str) -> str:
        return reverse("search:search") + "?" + urlencode({"q": query})

    def description(self, query: str) -> str:
        return f"The newest consultations, documents and written answers matching {query}."

    def feed_url(self, query: str) -> str:
        name = "search:feed_atom" if self.feed_type is Atom1Feed else "search:feed_rss"
        return reverse(name) + "?" + urlencode({"q": query})

    def items(self, query: str) -> list[SearchHit]:
        return self.hits(query)


class MemberFeed(_HitsFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Person:
        return Person.objects.get(slug=slug)

    def title(self, person: Person) -> str:
        return f"{person.name}: written questions and answers"

    def link(self, person: Person) -> str:
        return person.get_absolute_url()

    def description(self, person: Person) -> str:
        return (
            f"Written questions asked and answered, and written statements made, by "
            f"{person.name}, newest first."
        )

    def items(self, person: Person) -> list[SearchHit]:
        return self.hits(f"member:{person.slug}")


class DepartmentFeed(_HitsFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Department:
        return Department.objects.get(slug=slug)

    def title(self, department: Department) -> str:
        return f"{department.name}: consultations, documents, written answers and statements"

    def link(self, department: Department) -> str:
        return department.get_absolute_url()

    def description(self, department: Department) -> str:
        return f"The newest from {department.name}."

    def items(self, department: Department) -> list[SearchHit]:
        return self.hits(f"department:{department.slug}")


class ConsultationsFeed(Feed):
    title = "moot: new consultations"
    description = "Consultations as they are published, newest first."

    def link(self) -> str:
        return reverse("consultations:list")

    def items(self) -> list[Consultation]:
        return list(
            consultations_published()
            .filter(published_at__lte=timezone.now())
            .order_by("-published_at", "-id")[:FEED_LENGTH]
        )

    def item_title(self, item: Consultation) -> str:
        return item.title

    def item_description(self, item: Consultation) -> str:
        return item.summary

    def item_pubdate(self, item: Consultation) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Consultation) -> dt.datetime:
        return item.updated_at

    def item_categories(self, item: Consultation) -> list[str]:
        return [item.department.name]


class ConsultationUpdatesFeed(Feed):
    def get_object(self, request: HttpRequest, slug: str) -> Consultation:
        documents = Document.objects.order_by("published_on", "id").prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.order_by("number"))
        )
        try:
            return (
                consultations_published()
                .prefetch_related(
                    "sections", "attachments", Prefetch("documents", queryset=documents)
                )
                .get(slug=slug)
            )
        except Consultation.DoesNotExist:
            raise Http404("No such consultation") from None

    def title(self, consultation: Consultation) -> str:
        return f"{consultation.title}: updates"

    def link(self, consultation: Consultation) -> str:
        return consultation.get_absolute_url()

    def description(self, consultation: Consultation) -> str:
        return (
            f"News of the {consultation.department.name} consultation “{consultation.title}”: "
            "its documents, outcome and changes."
        )

    def items(self, consultation: Consultation) -> list[ConsultationUpdate]:
        return consultation_updates(consultation=consultation)[:FEED_LENGTH]

    def item_title(self, item: ConsultationUpdate) -> str:
        return item.title

    def item_description(self, item: ConsultationUpdate) -> str:
        return item.description

    def item_link(self, item: ConsultationUpdate) -> str:
        return item.url

    def item_guid(self, item: ConsultationUpdate) -> str:
        return settings.SITE_URL + item.guid

    def item_guid_is_permalink(self, item: ConsultationUpdate) -> bool:
        return False

    def item_pubdate(self, item: ConsultationUpdate) -> dt.datetime:
        return item.at


def _atom(feed: type[Feed]) -> type[Feed]:
    return type(f"{feed.__name__}Atom", (feed,), {"feed_type": Atom1Feed})


def _rss(feed: type[Feed]) -> type[Feed]:
    return type(f"{feed.__name__}Rss", (feed,), {"feed_type": Rss201rev2Feed})


SearchAtomFeed, SearchRssFeed = _atom(SearchFeed), _rss(SearchFeed)
MemberAtomFeed, MemberRssFeed = _atom(MemberFeed), _rss(MemberFeed)
DepartmentAtomFeed, DepartmentRssFeed = _atom(DepartmentFeed), _rss(DepartmentFeed)
ConsultationsAtomFeed, ConsultationsRssFeed = _atom(ConsultationsFeed), _rss(ConsultationsFeed)
ConsultationUpdatesAtomFeed = _atom(ConsultationUpdatesFeed)
ConsultationUpdatesRssFeed = _rss(ConsultationUpdatesFeed)
