"""The staged uploads' table and index take the spreadsheets app's names."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("spreadsheets", "0001_initial")]

    operations = [
        migrations.AlterModelTable(name="stagedupload", table=None),
        migrations.RenameIndex(
            model_name="stagedupload",
            new_name="staged_upload_kind_state",
            old_name="kpis_staged_kind_94092d_idx",
        ),
    ]
