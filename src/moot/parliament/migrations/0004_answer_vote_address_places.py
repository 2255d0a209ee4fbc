"""Votes per address per answer: at most three, enforced by the database.

Existing votes take places in the order they were cast; votes beyond the third from one
address on one answer are the extra votes a script made by discarding or collecting cookies,
and are removed so that the counts are honest.
"""

from django.db import migrations, models

PLACES = 3
BATCH = 2000


def give_places(apps, schema_editor):
    AnswerVote = apps.get_model("parliament", "AnswerVote")
    placed = []
    extra = []
    group = None
    place = 0
    rows = AnswerVote.objects.order_by("answer_id", "ip_hash", "id").values_list(
        "id", "answer_id", "ip_hash"
    )
    for vote_id, answer_id, ip_hash in rows.iterator(chunk_size=BATCH):
        if (answer_id, ip_hash) != group:
            group, place = (answer_id, ip_hash), 0
        if place >= PLACES:
            extra.append(vote_id)
        elif place:
            placed.append(AnswerVote(id=vote_id, address_place=place))
        place += 1
    AnswerVote.objects.bulk_update(placed, ["address_place"], batch_size=BATCH)
    for start in range(0, len(extra), BATCH):
        AnswerVote.objects.filter(id__in=extra[start : start + BATCH]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("parliament", "0003_updated_at_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="answervote",
            name="address_place",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Which of the address's places on this answer the vote holds (from 0).",
            ),
        ),
        migrations.RunPython(give_places, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="answervote",
            constraint=models.UniqueConstraint(
                fields=("answer", "ip_hash", "address_place"), name="one_vote_per_address_place"
            ),
        ),
        migrations.AddConstraint(
            model_name="answervote",
            constraint=models.CheckConstraint(
                condition=models.Q(("address_place__lt", 3)),
                name="answer_vote_places_per_address",
            ),
        ),
    ]
