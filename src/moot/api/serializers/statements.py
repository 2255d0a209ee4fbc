"""Written ministerial statements in the API."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from moot.api.serializers.common import DepartmentRefSerializer, LinkField, html_link, site_url
from moot.api.serializers.parliament import (
    AnswerAttachmentSerializer,
    SpeakerSerializer,
    speaker_data,
)
from moot.core.html import html_to_text
from moot.parliament.models import House, StatementLinkKind, WrittenStatement
from moot.parliament.selectors import speaker_on
from moot.parliament.selectors.people import SpeakerOnDate


def statement_path(statement: WrittenStatement) -> str:
    return reverse(
        "api:statement",
        kwargs={"date": statement.date.isoformat(), "identifier": statement.identifier},
    )


class LinkedStatementSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=StatementLinkKind.choices,
        help_text="CorrectedStatement: this corrects that one; JointStatement: the same "
        "statement made in the other House; CorrectedAnswer: this corrects a written answer.",
    )
    source_id = serializers.CharField(help_text="The linked statement's id in its source.")
    link_date = serializers.DateField(allow_null=True)
    url = serializers.URLField(
        allow_null=True, help_text="The linked statement in the API; null until it is imported."
    )
    html_url = serializers.URLField(allow_null=True)


def _made_by(statement: WrittenStatement, speaker: SpeakerOnDate) -> dict[str, Any]:
    data = speaker_data(speaker)
    # The office the source names, when it names one, over the one moot knows of.
    data["position"] = statement.member_role or data["position"]
    return data


class StatementSerializer(serializers.Serializer):
    url = LinkField(statement_path)
    html_url = html_link()
    date = serializers.DateField(help_text="The day the statement was made.")
    identifier = serializers.CharField(help_text="With the date, the statement's permanent id.")
    house = serializers.ChoiceField(choices=House.choices)
    uin = serializers.CharField(help_text="The statement number, e.g. HCWS123; may be empty.")
    title = serializers.CharField()
    department = DepartmentRefSerializer(allow_null=True)
    made_by = serializers.SerializerMethodField()
    member_role = serializers.CharField(
        help_text="The minister's office as the source gives it; may be empty."
    )
    body_html = serializers.CharField(help_text="Sanitised HTML: paragraphs, lists and tables.")
    body_text = serializers.SerializerMethodField(help_text="The statement as plain text.")
    source_url = serializers.CharField(help_text="Where the record comes from; may be empty.")
    column = serializers.CharField(help_text="Hansard column, e.g. 11WS; may be empty.")
    attachments = AnswerAttachmentSerializer(many=True, source="attachments.all")
    linked_statements = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(SpeakerSerializer)
    def get_made_by(self, statement: WrittenStatement) -> dict[str, Any]:
        return _made_by(
            statement,
            speaker_on(
                person=statement.person,
                recorded_name=statement.speaker_name,
                date=statement.date,
                department=statement.department,
            ),
        )

    def get_body_text(self, statement: WrittenStatement) -> str:
        return html_to_text(statement.body_html)

    @extend_schema_field(LinkedStatementSerializer(many=True))
    def get_linked_statements(self, statement: WrittenStatement) -> list[dict[str, Any]]:
        # The views load every linked statement of a page at once (``linked_statements``).
        known: dict[str, WrittenStatement] = self.context.get("linked_statements") or {}
        return [
            {
                "kind": link.kind,
                "source_id": link.linked_source_id,
                "link_date": link.link_date,
                "url": site_url(statement_path(known[link.linked_source_id]))
                if link.linked_source_id in known
                else None,
                "html_url": site_url(known[link.linked_source_id].get_absolute_url())
                if link.linked_source_id in known
                else None,
            }
            for link in statement.links.all()
        ]
