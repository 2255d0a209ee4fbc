"""The documentation page's content, read from the OpenAPI description (no JavaScript)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

REF_PREFIX = "#/components/schemas/"
BACKTICKED = re.compile(r"`([^`]+)`")


def inline_html(text: str) -> SafeString:
    """A description as HTML: escaped, with `code` marked up as in Markdown."""
    return mark_safe(BACKTICKED.sub(r"<code>\1</code>", escape(text)))  # noqa: S308 - escaped


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    type: str
    required: bool
    description: str
    values: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Status:
    code: str
    description: str
    schema: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    tag: str
    parameters: list[Parameter]
    statuses: list[Status]


@dataclass(frozen=True)
class Property:
    name: str
    type: str
    schema_link: str
    nullable: bool
    required: bool
    description: str
    values: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Schema:
    name: str
    anchor: str
    description: str
    properties: list[Property]


@dataclass(frozen=True)
class ApiDocs:
    title: str
    version: str
    operations: list[Operation]
    schemas: list[Schema]

    @property
    def tags(self) -> list[tuple[str, list[Operation]]]:
        grouped: dict[str, list[Operation]] = {}
        for operation in self.operations:
            grouped.setdefault(operation.tag, []).append(operation)
        return list(grouped.items())


def _ref_name(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref", "")
    return ref[len(REF_PREFIX) :] if ref.startswith(REF_PREFIX) else ""


def _unwrap(schema: dict[str, Any]) -> dict[str, Any]:
    """A lone ``allOf`` (how nullable or described references are written) as its member."""
    members = schema.get("allOf") or schema.get("oneOf") or []
    if len(members) == 1:
        return {**members[0], **{k: v for k, v in schema.items() if k not in ("allOf", "oneOf")}}
    return schema


def type_name(schema: dict[str, Any]) -> tuple[str, str]:
    """A short description of a schema's type, and the component it refers to (if any)."""
    schema = _unwrap(schema)
    name = _ref_name(schema)
    if name:
        return name, name
    kind = schema.get("type", "")
    if kind == "array":
        inner, link = type_name(schema.get("items", {}))
        return f"list of {inner}", link
    if kind == "object" and "additionalProperties" in schema:
        inner, link = type_name(schema["additionalProperties"])
        return f"object of {inner}", link
    if "format" in schema:
        return f"{kind} ({schema['format']})", ""
    return kind or "any", ""


def _enum(schema: dict[str, Any], schemas: dict[str, Any]) -> list[str]:
    schema = _unwrap(schema)
    target = schemas.get(_ref_name(schema), schema) if _ref_name(schema) else schema
    return [str(value) for value in target.get("enum", []) if value not in (None, "")]


def _parameters(operation: dict[str, Any], schemas: dict[str, Any]) -> list[Parameter]:
    return [
        Parameter(
            name=p["name"],
            location=p["in"],
            type=type_name(p.get("schema", {}))[0],
            required=bool(p.get("required")),
            description=inline_html(p.get("description", "")),
            values=_enum(p.get("schema", {}), schemas),
        )
        for p in operation.get("parameters", [])
    ]


def _statuses(operation: dict[str, Any]) -> list[Status]:
    statuses = []
    for code, response in sorted(operation.get("responses", {}).items()):
        content: dict[str, Any] = response.get("content", {})
        media: dict[str, Any] = next(iter(content.values()), {})
        schema = media.get("schema", {})
        statuses.append(
            Status(code, inline_html(response.get("description", "")), type_name(schema)[1])
        )
    return statuses


def _properties(schema: dict[str, Any], schemas: dict[str, Any]) -> list[Property]:
    required = set(schema.get("required", []))
    properties = []
    for name, prop in schema.get("properties", {}).items():
        unwrapped = _unwrap(prop)
        described, link = type_name(prop)
        properties.append(
            Property(
                name=name,
                type=described,
                schema_link=link,
                nullable=bool(prop.get("nullable") or unwrapped.get("nullable")),
                required=name in required,
                description=inline_html(
                    prop.get("description") or unwrapped.get("description", "")
                ),
                values=_enum(prop, schemas),
            )
        )
    return properties


def api_docs(schema: dict[str, Any]) -> ApiDocs:
    components = schema.get("components", {}).get("schemas", {})
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            if method not in ("get", "head", "options"):
                continue
            operations.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    anchor=f"op-{operation.get('operationId', path)}",
                    summary=operation.get("summary", path),
                    description=operation.get("description", ""),
                    tag=(operation.get("tags") or ["Other"])[0],
                    parameters=_parameters(operation, components),
                    statuses=_statuses(operation),
                )
            )
    schemas = [
        Schema(
            name=name,
            anchor=f"schema-{name}",
            description=definition.get("description", ""),
            properties=_properties(definition, components),
        )
        for name, definition in sorted(components.items())
        if definition.get("type") == "object"
    ]
    info = schema.get("info", {})
    return ApiDocs(
        title=info.get("title", ""),
        version=info.get("version", ""),
        operations=operations,
        schemas=schemas,
    )
