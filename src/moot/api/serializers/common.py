"""Fields every representation shares: absolute links to API resources and human pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def site_url(path: str) -> str:
    """``path`` as an absolute URL on the site's public address (``SITE_URL``)."""
    return f"{settings.SITE_URL}{path}"


def api_url(name: str, **kwargs: Any) -> str:
    return site_url(reverse(f"api:{name}", kwargs=kwargs))


@extend_schema_field(OpenApiTypes.URI)
class LinkField(serializers.Field):
    """An absolute URL computed from the whole object: ``url_of(obj)`` gives a path or None."""

    def __init__(self, url_of: Callable[[Any], str | None], **kwargs: Any) -> None:
        self.url_of = url_of
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str | None:
        path = self.url_of(value)
        return site_url(path) if path else None


def html_link(**kwargs: Any) -> LinkField:
    """The object's page on the site."""
    return LinkField(
        lambda obj: obj.get_absolute_url(), help_text="Its page on the site.", **kwargs
    )


@extend_schema_field(OpenApiTypes.STR)
class MarkdownHtmlField(serializers.Field):
    """Markdown rendered to the same sanitised HTML the site shows."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: str) -> str:
        from moot.core.markdown import render_markdown

        return str(render_markdown(value or ""))


class DepartmentRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = LinkField(lambda d: reverse("api:department", kwargs={"slug": d.slug}))
    html_url = html_link()


class DepartmentSerializer(DepartmentRefSerializer):
    short_name = serializers.CharField(help_text="An acronym such as DCSF; may be empty.")
    website_url = serializers.CharField(help_text="May be empty.")
    foi_email = serializers.CharField(
        help_text="Where Freedom of Information requests go; may be empty."
    )
    parliament_answering_body_id = serializers.IntegerField(allow_null=True)
    is_active = serializers.BooleanField(help_text="False once dissolved or renamed.")
    questions_url = LinkField(
        lambda d: f"{reverse('api:questions')}?department={d.slug}",
        help_text="Written questions to the department.",
    )
    statements_url = LinkField(
        lambda d: f"{reverse('api:statements')}?department={d.slug}",
        help_text="Written ministerial statements made for the department.",
    )
    consultations_url = LinkField(
        lambda d: f"{reverse('api:consultations')}?department={d.slug}",
        help_text="The department's consultations.",
    )
    updated_at = serializers.DateTimeField()
