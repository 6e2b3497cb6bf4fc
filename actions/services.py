"""Changes to the reporting calendar that everyone sees at once."""

from django.db import transaction

from actions.models import Term


@transaction.atomic
def term_publish(term: Term) -> Term:
    """Make `term` the published reporting period of its plan, the one every dashboard, list
    and board pack of the plan opens on; the plan's period published before stops being it.

    Locks the terms so two admins publishing at once end with exactly one published term
    (the database also refuses two). The audit history records who changed each term.
    """
    terms = list(Term.objects.select_for_update().filter(plan_id=term.plan_id, is_published=True))
    for before in terms:
        if before.pk != term.pk:
            before.is_published = False
            before.save(update_fields=["is_published"])
    term.is_published = True
    term.save(update_fields=["is_published"])
    return term
