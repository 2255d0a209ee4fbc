"""Debates: a section with its speeches, each speaker as they were that day."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from moot.api.serializers.common import DepartmentRefSerializer, LinkField, html_link, site_url
from moot.api.serializers.parameters import Parameters, _department, _member
from moot.api.serializers.parliament import SpeakerSerializer, speaker_data
from moot.core.html import html_to_text
from moot.parliament.models import DebateLocation, DebateSection, Speech
from moot.parliament.selectors import speaker_on


def debate_path(section: DebateSection) -> str:
    return reverse(
        "api:debate",
        kwargs={
            "location": section.location,
            "date": section.date.isoformat(),
            "identifier": section.identifier,
        },
    )


class SpeechSerializer(serializers.Serializer):
    anchor = serializers.CharField(help_text="With the debate's page, the speech's permalink.")
    html_url = serializers.SerializerMethodField(help_text="The speech on the debate's page.")
    position = serializers.IntegerField()
    speaker = serializers.SerializerMethodField(
        help_text="Null for a procedural note that nobody spoke."
    )
    body_html = serializers.CharField(help_text="Sanitised HTML.")
    body_text = serializers.SerializerMethodField()
    time = serializers.CharField(help_text="As recorded, e.g. 14:31:00; may be empty.")
    column = serializers.CharField(help_text="Hansard column; may be empty.")
    source_url = serializers.CharField()
    source_id = serializers.CharField(help_text="The ParlParse id of this version.")

    def get_html_url(self, speech: Speech) -> str:
        return site_url(speech.get_absolute_url())

    @extend_schema_field(SpeakerSerializer(allow_null=True))
    def get_speaker(self, speech: Speech) -> dict[str, Any] | None:
        if not speech.speaker_id and not speech.speaker_name:
            return None
        section = speech.section
        return speaker_data(
            speaker_on(
                person=speech.speaker,
                recorded_name=speech.speaker_name,
                date=section.date,
                department=section.department,
            )
        )

    def get_body_text(self, speech: Speech) -> str:
        return html_to_text(speech.body_html)


class DebateSerializer(serializers.Serializer):
    url = LinkField(debate_path)
    html_url = html_link()
    date = serializers.DateField()
    location = serializers.ChoiceField(choices=DebateLocation.choices)
    identifier = serializers.CharField(help_text="With the place and date, the permanent id.")
    major_heading = serializers.CharField()
    heading = serializers.CharField(help_text="The subject; may be empty.")
    title = serializers.CharField()
    department = DepartmentRefSerializer(allow_null=True)
    column = serializers.CharField()
    source_url = serializers.CharField()
    source_id = serializers.CharField()
    speeches = SpeechSerializer(many=True, source="speeches.all")
    updated_at = serializers.DateTimeField()


class DebateParameters(Parameters):
    date_from = serializers.DateField(required=False, help_text="Debates on or after this day.")
    date_to = serializers.DateField(required=False, help_text="Debates on or before this day.")
    location = serializers.ChoiceField(choices=DebateLocation.choices, required=False)
    member = _member("Debates this member spoke in (slug).")
    department = _department()
