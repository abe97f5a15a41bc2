"""The table of the throttle cache: ``caches["throttle"]`` without Redis is Django's DatabaseCache over it.

Made by ``migrate`` like every other table (``make run``, docker compose's ``migrate`` service, the test
database), so no deployment step has to remember ``createcachetable``. Made with Redis too: a deployment that
drops Redis later finds it. ``createcachetable`` given the name makes the table Django's cache expects.
"""

from django.core.management import call_command
from django.db import migrations

TABLE = "throttle_cache"  # settings.CACHES["throttle"]["LOCATION"] without Redis


def create_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0005_field_labels"),
    ]

    operations = [
        migrations.RunPython(create_table, drop_table),
    ]
