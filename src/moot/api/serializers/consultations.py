"""Consultations with their sections and files, documents, and summaries of responses."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from moot.api.serializers.common import (
    DepartmentRefSerializer,
    LinkField,
    MarkdownHtmlField,
    html_link,
)
from moot.consultations.models import (
    Attachment,
    AttachmentRole,
    Consultation,
    Document,
    DocumentKind,
    SectionKind,
    SummarySource,
)
from moot.consultations.selectors import PUBLIC_STATUSES, document_relations


def download_path(attachment: Attachment) -> str:
    if attachment.consultation_id is not None:
        return reverse(
            "consultations:attachment",
            kwargs={"slug": attachment.consultation.slug, "attachment_id": attachment.pk},  # type: ignore[union-attr]
        )
    return reverse(
        "consultations:document_attachment",
        kwargs={
            "slug": attachment.document_version.document.slug,  # type: ignore[union-attr]
            "attachment_id": attachment.pk,
        },
    )


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    role = serializers.ChoiceField(choices=AttachmentRole.choices)
    content_type = serializers.CharField(help_text="The file's type, taken from its contents.")
    format = serializers.CharField(source="format_label", help_text="For example PDF.")
    size_bytes = serializers.IntegerField()
    sha256 = serializers.CharField(help_text="SHA-256 of the file, in hex.")
    page_count = serializers.IntegerField(allow_null=True)
    download_url = LinkField(download_path)


class SectionSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="The section's number.")
    kind = serializers.ChoiceField(choices=SectionKind.choices)
    heading = serializers.CharField()
    body = serializers.CharField(help_text="Markdown, as written.")
    body_html = MarkdownHtmlField(source="body", help_text="The Markdown as sanitised HTML.")


def consultation_path(consultation: Consultation) -> str:
    return reverse("api:consultation", kwargs={"slug": consultation.slug})


class ConsultationRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    url = LinkField(consultation_path)
    html_url = html_link()


class DocumentRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    url = LinkField(lambda d: reverse("api:document", kwargs={"slug": d.slug}))
    html_url = html_link()


class EnquiriesSerializer(serializers.Serializer):
    unit = serializers.CharField(source="enquiries_unit")
    telephone = serializers.CharField(source="enquiries_telephone")
    email = serializers.CharField(source="enquiries_email")


class HowToRespondSerializer(serializers.Serializer):
    online_url = LinkField(
        lambda c: (
            reverse("consultations:respond", kwargs={"slug": c.slug})
            if c.respond_online and not c.external_url
            else None
        ),
        allow_null=True,
        help_text="The online form (it takes responses only while the consultation is open).",
    )
    external_url = serializers.CharField(help_text="Where to respond when held elsewhere.")
    email = serializers.CharField(source="response_email")
    postal_address = serializers.ListField(
        source="postal_address_lines", child=serializers.CharField()
    )


class SummaryLinkSerializer(serializers.Serializer):
    url = LinkField(lambda s: reverse("api:summary", kwargs={"slug": s.consultation.slug}))
    html_url = html_link()
    published_at = serializers.DateTimeField()


STATUS_CHOICES = [(status.value, status.label) for status in PUBLIC_STATUSES]


class ConsultationSerializer(ConsultationRefSerializer):
    department = DepartmentRefSerializer()
    summary = serializers.CharField()
    status = serializers.ChoiceField(
        choices=STATUS_CHOICES, help_text="Derived from the dates, at the time of the request."
    )
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField()
    outcome_published_at = serializers.DateTimeField(allow_null=True)
    enquiries = EnquiriesSerializer(source="*")
    how_to_respond = HowToRespondSerializer(source="*")
    sections = SectionSerializer(many=True, source="sections.all")
    attachments = AttachmentSerializer(many=True, source="attachments.all")
    documents = DocumentRefSerializer(many=True, source="documents.all")
    summary_of_responses = serializers.SerializerMethodField(
        help_text="The published summary of responses, or null."
    )
    updated_at = serializers.DateTimeField()

    @extend_schema_field(SummaryLinkSerializer(allow_null=True))
    def get_summary_of_responses(self, consultation: Consultation) -> dict[str, Any] | None:
        summary = consultation.published_summary
        if summary is None or consultation.outcome_published_at is None:
            return None
        return dict(SummaryLinkSerializer(summary).data)


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    published_on = serializers.DateField()
    change_note = serializers.CharField()
    attachments = AttachmentSerializer(many=True, source="attachments.all")


class RelationSerializer(serializers.Serializer):
    label = serializers.CharField(help_text='Read as "this document <label> <document>".')
    document = DocumentRefSerializer()
    note = serializers.CharField()


class DocumentSerializer(DocumentRefSerializer):
    department = DepartmentRefSerializer(allow_null=True)
    publisher = serializers.CharField(source="publisher_name")
    summary = serializers.CharField()
    body = serializers.CharField(help_text="Markdown, as written.")
    body_html = MarkdownHtmlField(source="body", help_text="The Markdown as sanitised HTML.")
    published_on = serializers.DateField(allow_null=True)
    withdrawn_on = serializers.DateField(allow_null=True)
    external_url = serializers.CharField(help_text="Where it is published; may be empty.")
    consultation = serializers.SerializerMethodField(
        help_text="The consultation it came from, when that is published."
    )
    versions = VersionSerializer(many=True, source="versions.all")
    relations = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(ConsultationRefSerializer(allow_null=True))
    def get_consultation(self, document: Document) -> dict[str, Any] | None:
        consultation = document.consultation
        if consultation is None or consultation.published_at is None:
            return None
        return dict(ConsultationRefSerializer(consultation).data)

    @extend_schema_field(RelationSerializer(many=True))
    def get_relations(self, document: Document) -> list[dict[str, Any]]:
        return [
            dict(RelationSerializer(relation).data)
            for relation in document_relations(document=document)
        ]


class ResponseSummarySerializer(serializers.Serializer):
    consultation = ConsultationRefSerializer()
    url = LinkField(lambda s: reverse("api:summary", kwargs={"slug": s.consultation.slug}))
    html_url = html_link()
    title = serializers.CharField()
    body = serializers.CharField(help_text="Markdown, as written.")
    body_html = MarkdownHtmlField(source="body", help_text="The Markdown as sanitised HTML.")
    source = serializers.ChoiceField(choices=SummarySource.choices)
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
