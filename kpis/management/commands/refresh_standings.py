from django.core.management.base import BaseCommand

from kpis.standings import standings_refresh


class Command(BaseCommand):
    help = (
        "Work out every action's standing in every term again (what dashboards and packs "
        "count). The service keeps them current; run this after changing the database by "
        "hand."
    )

    def handle(self, *args, **options) -> None:
        standings_refresh()
        self.stdout.write("Every action's standing in every term is up to date.")
