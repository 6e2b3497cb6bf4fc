from django.core.management.base import BaseCommand
from django.utils import timezone

from kpis.updates import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail each lead the actions still due or overdue in the open terms. Safe to run "
        "daily: a lead gets at most one reminder per term per day."
    )

    def handle(self, *args, **options) -> None:
        sent, skipped = reminders_send(today=timezone.localdate())
        self.stdout.write(f"Reminders sent: {sent}. Already sent today: {skipped}.")
