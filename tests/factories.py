"""factory_boy factories for moot's models."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from moot.consultations.models import Consultation, ConsultationSection, Document
from moot.core.models import Department, User
from moot.parliament.models import (
    Constituency,
    House,
    Membership,
    Party,
    Person,
    Post,
    WrittenAnswer,
    WrittenQuestion,
)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Department of Examples {n}")
    slug = factory.Sequence(lambda n: f"department-of-examples-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    is_staff = True

    @factory.post_generation
    def roles(self, create: bool, extracted: tuple[str, ...] | None) -> None:
        """Staff are editors and analysts unless a test names their roles."""
        if not create or not self.is_staff:
            return
        from django.contrib.auth.models import Group

        from moot.core.permissions import ANALYSTS, EDITORS

        names = (EDITORS, ANALYSTS) if extracted is None else extracted
        self.groups.set(Group.objects.filter(name__in=names))


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    slug = factory.Sequence(lambda n: f"consultation-{n}")
    title = factory.Sequence(lambda n: f"Consultation number {n}")
    department = factory.SubFactory(DepartmentFactory)
    summary = "What we propose, and why."
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=20))
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=11))
    response_email = "responses@example.org"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationSection

    consultation = factory.SubFactory(ConsultationFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = "other"
    heading = factory.Sequence(lambda n: f"Section {n}")
    body = "Some *text*."


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    slug = factory.Sequence(lambda n: f"document-{n}")
    title = factory.Sequence(lambda n: f"Document {n}")
    kind = "guidance"
    published_on = dt.date(2008, 1, 1)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ("slug",)

    name = "Labour"
    slug = "labour"


class ConstituencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Constituency

    name = factory.Sequence(lambda n: f"Examplesfield {n}")
    slug = factory.Sequence(lambda n: f"examplesfield-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Member Number{n}")
    slug = factory.Sequence(lambda n: f"member-number{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    house = House.COMMONS
    party = factory.SubFactory(PartyFactory)
    constituency = factory.SubFactory(ConstituencyFactory)
    start_date = dt.date(2005, 5, 5)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    person = factory.SubFactory(PersonFactory)
    role = "Minister of State"
    department = factory.SubFactory(DepartmentFactory)
    start_date = dt.date(2007, 6, 29)


class WrittenQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WrittenQuestion

    date = dt.date(2007, 12, 3)
    identifier = factory.Sequence(lambda n: f"question-{n}")
    heading = factory.Sequence(lambda n: f"Heading {n}")
    department = factory.SubFactory(DepartmentFactory)
    asking_person = factory.SubFactory(PersonFactory)
    asking_name = factory.LazyAttribute(lambda q: q.asking_person.name if q.asking_person else "")
    text = "To ask the Secretary of State what steps he is taking."


class WrittenAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WrittenAnswer
        skip_postgeneration_save = True

    date_answered = dt.date(2007, 12, 3)
    department = factory.SubFactory(DepartmentFactory)
    answering_person = factory.SubFactory(PersonFactory)
    answering_name = factory.LazyAttribute(
        lambda a: a.answering_person.name if a.answering_person else ""
    )
    body_html = "<p>The Department has taken steps.</p>"

    @factory.post_generation
    def questions(self, create: bool, extracted: list[WrittenQuestion] | None) -> None:
        if create and extracted:
            self.questions.set(extracted)
