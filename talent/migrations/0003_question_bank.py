"""The starting bank of interview questions used to be written here; it is now filled after every migrate while
the bank is empty (talent/builtin.py, ``builtin_questions_sync``), so that a flushed database gets it back too."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("talent", "0002_supply_calibration_interviews")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop, elidable=True)]
