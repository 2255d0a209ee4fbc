"""The table rate limits and sign-in lockouts are counted in (see ``core.ratelimit``).

Plain SQL, no model: like Django's own cache table, it holds short-lived counters that no
code reads through the ORM, and ``moot copy-database`` has no reason to copy.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_audit_access_refused"),
    ]

    operations = [
        migrations.RunSQL(
            sql=[
                "CREATE TABLE moot_counters ("
                "counter_key varchar(250) NOT NULL PRIMARY KEY, "
                "hits integer NOT NULL, "
                "expires bigint NOT NULL)",
                "CREATE INDEX moot_counters_expires ON moot_counters (expires)",
            ],
            reverse_sql=["DROP TABLE moot_counters"],
        ),
    ]
