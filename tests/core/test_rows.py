import datetime as dt
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from moot.consultations.models import Channel, Consultation, Response, ResponseStatus
from moot.core.rows import model_columns
from tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db


def _row(model: type, pk: int) -> tuple:
    columns = model_columns(model, alias="t", using=connection.alias)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns.select_list} FROM {table} t WHERE t.id = %s",  # noqa: S608 - names from the model
            [pk],
        )
        return cursor.fetchone()


def test_instances_match_what_the_orm_loads() -> None:
    consultation = ConsultationFactory(closes_at=timezone.now() + dt.timedelta(days=3))
    response = Response.objects.create(
        consultation=consultation,
        channel=Channel.ONLINE,
        status=ResponseStatus.DRAFT,
        respondent_name="Ann Example",
        wants_confidentiality=True,
        received_at=timezone.now(),
    )
    for model, pk in ((Response, response.pk), (Consultation, consultation.pk)):
        loaded = model_columns(model, alias="t", using=connection.alias).instance(_row(model, pk))
        expected = model.objects.get(pk=pk)
        assert isinstance(loaded, model)
        assert not loaded._state.adding
        for field in model._meta.concrete_fields:
            got, want = getattr(loaded, field.attname), getattr(expected, field.attname)
            assert got == want, field.attname
            assert type(got) is type(want), field.attname
    loaded_response = model_columns(Response, alias="t", using=connection.alias).instance(
        _row(Response, response.pk)
    )
    assert isinstance(loaded_response.submission_token, uuid.UUID)
    assert loaded_response.received_at.tzinfo is not None
    assert loaded_response.wants_confidentiality is True


def test_a_loaded_instance_saves_like_any_other() -> None:
    response = Response.objects.create(
        consultation=ConsultationFactory(), channel=Channel.ONLINE, status=ResponseStatus.DRAFT
    )
    loaded = model_columns(Response, alias="t", using=connection.alias).instance(
        _row(Response, response.pk)
    )
    loaded.respondent_name = "Changed"
    loaded.save(update_fields=["respondent_name"])
    assert Response.objects.get(pk=response.pk).respondent_name == "Changed"
