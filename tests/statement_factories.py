"""A factory for written ministerial statements, for the tests of every app that shows them."""

from __future__ import annotations

import datetime as dt

import factory

from moot.parliament.models import WrittenStatement
from tests.factories import DepartmentFactory, PersonFactory


class WrittenStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WrittenStatement

    date = dt.date(2008, 12, 15)
    identifier = factory.Sequence(lambda n: f"statement-{n}")
    title = factory.Sequence(lambda n: f"Statement {n}")
    department = factory.SubFactory(DepartmentFactory)
    person = factory.SubFactory(PersonFactory)
    speaker_name = factory.LazyAttribute(lambda s: s.person.name if s.person else "")
    body_html = "<p>I am today announcing the publication of guidance.</p>"
    source_id = factory.Sequence(lambda n: f"test/written-statement/{n}")
