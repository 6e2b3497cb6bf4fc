from django.conf import settings
from django.db import migrations, models


def backfill_contributors(apps, schema_editor):
    """Everyone who has saved or submitted each update so far, from the update and its history.

    A decision (approve, return, an exception reopening it) is not working on an update, so
    the status changes it recorded and return reasons are left out.
    """
    ProgressUpdate = apps.get_model("actions", "ProgressUpdate")
    ChangeRecord = apps.get_model("actions", "ChangeRecord")
    through = ProgressUpdate.contributors.through
    updates = {
        (action_id, term_id): (pk, made_by)
        for pk, action_id, term_id, *made_by in ProgressUpdate.objects.values_list(
            "pk", "action_id", "term_id", "created_by_id", "updated_by_id", "submitted_by_id"
        )
    }
    pairs = {(pk, user) for pk, made_by in updates.values() for user in made_by if user}
    records = ChangeRecord.objects.exclude(changed_by=None).values_list(
        "action_id", "term_id", "changed_by_id", "field", "after"
    )
    for action_id, term_id, user, field, after in records:
        decision = field == "Reason returned" or (field == "Status" and after != "Submitted")
        if not decision and (action_id, term_id) in updates:
            pairs.add((updates[action_id, term_id][0], user))
    through.objects.bulk_create(
        [through(progressupdate_id=pk, user_id=user) for pk, user in sorted(pairs)],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0002_terms_and_narrative_limits"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="progressupdate",
            name="contributors",
            field=models.ManyToManyField(
                blank=True,
                help_text="Everyone who has saved or submitted this update: none of them may decide it.",
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(backfill_contributors, migrations.RunPython.noop),
    ]
