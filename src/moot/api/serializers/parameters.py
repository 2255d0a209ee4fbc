"""The query parameters of each list, validated: a bad value is a 400 naming the parameter."""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from moot.consultations.models import Consultation, DocumentKind
from moot.consultations.selectors import PUBLIC_STATUSES
from moot.core.models import Department
from moot.parliament.models import House, Party, Person
from moot.search.query import QuerySyntaxError, parse

MAX_QUERY_LENGTH = 500
SEARCH_LANGUAGE = (
    'in the site\'s search language: words, "a phrase", OR, -word, (grouping), and filters '
    "such as department:home-office, member:slug, party:labour, type:question and "
    "date:2007-12 (see the site's search help)"
)


def search_query_check(value: str) -> str:
    try:
        parse(value)
    except QuerySyntaxError as error:
        raise serializers.ValidationError(str(error)) from None
    return value


SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@extend_schema_field({"type": "string", "pattern": f"^{SLUG.pattern}$"})
class SlugLookupField(serializers.SlugRelatedField):
    """A record by its slug. Anything that is not slug-shaped names nothing, and is refused
    before it reaches the database (which may not even store it: NUL, for one)."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or not SLUG.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


def _slug_of(queryset: Any, noun: str, help_text: str) -> SlugLookupField:
    return SlugLookupField(
        slug_field="slug",
        queryset=queryset,
        required=False,
        help_text=help_text,
        error_messages={
            "does_not_exist": f"No {noun} has the slug “{{value}}”.",
            "null": f"Give a {noun}'s slug, or leave the parameter out.",
        },
    )


def _department() -> SlugLookupField:
    return _slug_of(Department.objects.all(), "department", "A department's slug.")


def _member(help_text: str) -> SlugLookupField:
    return _slug_of(Person.objects.all(), "member", help_text)


class Parameters(serializers.Serializer):
    """Base: lists also take ``cursor`` and ``page_size`` (see the pagination)."""

    PAGING = frozenset({"cursor", "page_size"})

    def parameters_check(self, names: set[str]) -> None:
        """A parameter the list does not have is an error, so typing mistakes show."""
        unknown = sorted(names - set(self.fields) - self.PAGING)
        if unknown:
            raise serializers.ValidationError(
                {name: ["This list has no such parameter."] for name in unknown}
            )


class QuestionParameters(Parameters):
    date_from = serializers.DateField(
        required=False, help_text="Questions filed on or after this day (YYYY-MM-DD)."
    )
    date_to = serializers.DateField(
        required=False, help_text="Questions filed on or before this day (YYYY-MM-DD)."
    )
    department = _department()
    member = _member("Asked or answered by this member (slug).")
    asked_by = _member("Asked by this member (slug).")
    answered_by = _member("Answered by this member (slug).")
    house = serializers.ChoiceField(choices=House.choices, required=False)
    answered = serializers.BooleanField(
        required=False, help_text="true: answered questions only; false: unanswered only."
    )
    q = serializers.CharField(
        required=False,
        max_length=MAX_QUERY_LENGTH,
        validators=[search_query_check],
        help_text=f"Questions matching this search, {SEARCH_LANGUAGE}. Still newest first; "
        "at most the newest 1,000 matches are listed.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if (
            attrs.get("date_from")
            and attrs.get("date_to")
            and attrs["date_from"] > attrs["date_to"]
        ):
            raise serializers.ValidationError({"date_to": ["The end date is before the start."]})
        return attrs


class StatementParameters(Parameters):
    date_from = serializers.DateField(
        required=False, help_text="Statements made on or after this day (YYYY-MM-DD)."
    )
    date_to = serializers.DateField(
        required=False, help_text="Statements made on or before this day (YYYY-MM-DD)."
    )
    department = _department()
    member = _member("Made by this member (slug).")
    house = serializers.ChoiceField(choices=House.choices, required=False)
    q = serializers.CharField(
        required=False,
        max_length=MAX_QUERY_LENGTH,
        validators=[search_query_check],
        help_text=f"Statements matching this search, {SEARCH_LANGUAGE}. Still newest first; "
        "at most the newest 1,000 matches are listed.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError({"date_to": ["The end date is before the start."]})
        return attrs


class MemberParameters(Parameters):
    house = serializers.ChoiceField(
        choices=House.choices, required=False, help_text="Members who ever sat in this House."
    )
    party = _slug_of(Party.objects.all(), "party", "Members who ever sat for this party (slug).")
    current = serializers.BooleanField(
        required=False, help_text="true: members holding a seat today; false: former members."
    )


class DepartmentParameters(Parameters):
    active = serializers.BooleanField(
        required=False, help_text="true: current departments; false: dissolved or renamed."
    )


class ConsultationParameters(Parameters):
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in PUBLIC_STATUSES], required=False
    )
    department = _department()


class DocumentParameters(Parameters):
    kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False)
    department = _department()
    consultation = _slug_of(
        Consultation.objects.filter(published_at__isnull=False),
        "published consultation",
        "Documents of this consultation (slug).",
    )


class SummaryParameters(Parameters):
    department = _department()


class SearchParameters(Parameters):
    q = serializers.CharField(
        max_length=MAX_QUERY_LENGTH,
        validators=[search_query_check],
        help_text=f"What to search for, {SEARCH_LANGUAGE}.",
    )
    sort = serializers.ChoiceField(
        choices=[("relevance", "Best match first"), ("newest", "Newest first")],
        required=False,
        default="relevance",
    )
