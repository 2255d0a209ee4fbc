"""Install the triggers that write the search change log (see moot/search/triggers.py).

They are installed again after every ``migrate`` (``post_migrate``), because SQLite drops
a table's triggers whenever a later migration rebuilds that table.
"""

from django.db import migrations


def install(apps, schema_editor):
    from moot.search.triggers import triggers_install

    triggers_install(using=schema_editor.connection.alias)


def remove(apps, schema_editor):
    from moot.search.triggers import triggers_remove

    triggers_remove(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("core", "0001_initial"),
        ("parliament", "0001_initial"),
        ("consultations", "0002_initial"),
    ]

    operations = [migrations.RunPython(install, remove)]
