"""Members, their seats and offices, and written questions with their answers."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from moot.api.serializers.common import DepartmentRefSerializer, LinkField, html_link
from moot.core.html import html_to_text
from moot.parliament.models import House, WrittenAnswer, WrittenQuestion
from moot.parliament.selectors import SpeakerOnDate, VoteTally, speaker_on, vote_tallies


def question_path(question: WrittenQuestion) -> str:
    return reverse(
        "api:question",
        kwargs={"date": question.date.isoformat(), "identifier": question.identifier},
    )


class PersonRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = LinkField(lambda p: reverse("api:member", kwargs={"slug": p.slug}))
    html_url = html_link()


class PartySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class ConstituencySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class MembershipSerializer(serializers.Serializer):
    house = serializers.ChoiceField(choices=House.choices)
    party = PartySerializer(allow_null=True)
    constituency = ConstituencySerializer(allow_null=True, help_text="Null in the Lords.")
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True, help_text="Null while the seat is held.")
    start_reason = serializers.CharField()
    end_reason = serializers.CharField()


class PostSerializer(serializers.Serializer):
    role = serializers.CharField()
    title = serializers.CharField(help_text="Role, organisation and responsibilities together.")
    department = DepartmentRefSerializer(allow_null=True)
    organisation = serializers.CharField(help_text="The department's name, or another body's.")
    responsibilities = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True, help_text="Null while the post is held.")


class MemberSerializer(PersonRefSerializer):
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    honorific_prefix = serializers.CharField()
    parliament_member_id = serializers.IntegerField(
        allow_null=True, help_text="The UK Parliament members API id."
    )
    parlparse_id = serializers.CharField(allow_null=True)
    photo_url = LinkField(
        lambda p: reverse("parliament:member_photo", kwargs={"slug": p.slug}) if p.photo else None,
        allow_null=True,
    )
    questions_url = LinkField(
        lambda p: f"{reverse('api:questions')}?asked_by={p.slug}",
        help_text="Questions the member asked.",
    )
    answers_url = LinkField(
        lambda p: f"{reverse('api:questions')}?answered_by={p.slug}",
        help_text="Questions the member answered.",
    )
    statements_url = LinkField(
        lambda p: f"{reverse('api:statements')}?member={p.slug}",
        help_text="Written statements the member made.",
    )
    memberships = MembershipSerializer(many=True, source="memberships.all")
    posts = PostSerializer(many=True, source="posts.all")
    updated_at = serializers.DateTimeField()


class SpeakerSerializer(serializers.Serializer):
    """Who asked or answered, as they were on the day."""

    name = serializers.CharField(help_text="The name in the record.")
    member = PersonRefSerializer(
        allow_null=True, help_text="Null when the name is not matched to a member."
    )
    party = serializers.CharField(help_text="Their party on the day; may be empty.")
    constituency = serializers.CharField(help_text="Their seat on the day; may be empty.")
    position = serializers.CharField(help_text="The office they held on the day; may be empty.")


def speaker_data(speaker: SpeakerOnDate) -> dict[str, Any]:
    return {
        "name": speaker.name,
        "member": PersonRefSerializer(speaker.person).data if speaker.person else None,
        "party": speaker.party_name,
        "constituency": speaker.constituency_name,
        "position": speaker.post.title if speaker.post else "",
    }


class QuestionRefSerializer(serializers.Serializer):
    date = serializers.DateField()
    identifier = serializers.CharField()
    heading = serializers.CharField()
    url = LinkField(question_path)
    html_url = html_link()


class AnswerAttachmentSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField(help_text="Where the file is published.")
    file_type = serializers.CharField()
    file_size = serializers.IntegerField(allow_null=True, help_text="In bytes, when known.")


class VoteCountsSerializer(serializers.Serializer):
    """Readers' votes on the page's "Does this answer the above question?": counts only."""

    yes = serializers.IntegerField(min_value=0, help_text="Readers who think it does.")
    no = serializers.IntegerField(min_value=0, help_text="Readers who think it does not.")


def answer_vote_counts(*, answers: list[WrittenAnswer]) -> dict[int, VoteTally]:
    """The tallies of ``answers`` in one query, for the serializer context ``vote_tallies``."""
    return vote_tallies(answer_ids=[answer.pk for answer in answers])


class AnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date_answered = serializers.DateField()
    answered_by = serializers.SerializerMethodField()
    department = DepartmentRefSerializer(allow_null=True)
    body_html = serializers.CharField(help_text="Sanitised HTML: paragraphs, lists and tables.")
    body_text = serializers.SerializerMethodField(help_text="The answer as plain text.")
    is_holding = serializers.BooleanField(help_text="A holding answer, promising a full one.")
    holding_answer_date = serializers.DateField(
        allow_null=True, help_text="For a full answer that followed a holding answer: its date."
    )
    corrects = serializers.IntegerField(
        source="corrects_id", allow_null=True, help_text="The id of the answer this corrects."
    )
    questions = QuestionRefSerializer(
        many=True, source="questions.all", help_text="Every question this answer answers."
    )
    source_url = serializers.CharField()
    column = serializers.CharField(help_text="Hansard column, e.g. 483W; may be empty.")
    attachments = AnswerAttachmentSerializer(many=True, source="attachments.all")
    votes = serializers.SerializerMethodField(
        help_text="How many readers said the answer answers the question, and how many said "
        "not. Counts only: who voted is never shown."
    )

    @extend_schema_field(SpeakerSerializer)
    def get_answered_by(self, answer: WrittenAnswer) -> dict[str, Any]:
        return speaker_data(
            speaker_on(
                person=answer.answering_person,
                recorded_name=answer.answering_name,
                date=answer.date_answered,
                department=answer.department,
            )
        )

    def get_body_text(self, answer: WrittenAnswer) -> str:
        return html_to_text(answer.body_html)

    @extend_schema_field(VoteCountsSerializer)
    def get_votes(self, answer: WrittenAnswer) -> dict[str, int]:
        # The same tallies the question page shows; the views load a page's in one query.
        tallies: dict[int, VoteTally] = self.context.get("vote_tallies") or {}
        tally = tallies.get(answer.pk) or answer_vote_counts(answers=[answer])[answer.pk]
        return {"yes": tally.yes, "no": tally.no}


class QuestionSerializer(serializers.Serializer):
    url = LinkField(question_path)
    html_url = html_link()
    date = serializers.DateField(help_text="The day it is filed under: answered, or tabled.")
    identifier = serializers.CharField(help_text="With the date, the question's permanent id.")
    house = serializers.ChoiceField(choices=House.choices)
    uin = serializers.CharField(help_text="The question number; may be empty.")
    question_numbers = serializers.ListField(child=serializers.CharField())
    heading = serializers.CharField()
    department = DepartmentRefSerializer(allow_null=True)
    asked_by = serializers.SerializerMethodField()
    addressed_to = serializers.CharField()
    text = serializers.CharField()
    date_tabled = serializers.DateField(allow_null=True)
    date_for_answer = serializers.DateField(allow_null=True)
    is_withdrawn = serializers.BooleanField()
    is_answered = serializers.SerializerMethodField()
    source_url = serializers.CharField(help_text="Where the record comes from; may be empty.")
    column = serializers.CharField(help_text="Hansard column, e.g. 483W; may be empty.")
    answers = AnswerSerializer(many=True, source="answers.all")
    updated_at = serializers.DateTimeField()

    @extend_schema_field(SpeakerSerializer)
    def get_asked_by(self, question: WrittenQuestion) -> dict[str, Any]:
        return speaker_data(
            speaker_on(
                person=question.asking_person,
                recorded_name=question.asking_name,
                date=question.date_tabled or question.date,
            )
        )

    def get_is_answered(self, question: WrittenQuestion) -> bool:
        return bool(question.answers.all())
