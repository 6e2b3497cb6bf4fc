"""Staged uploads belong to the spreadsheets app now (spreadsheets/0001 takes the model over):
here it only leaves the kpis app's state. The table and its rows are untouched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("kpis", "0003_value_note_limit")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="StagedUpload")],
        ),
    ]
