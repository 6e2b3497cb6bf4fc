from django.core.management.base import BaseCommand
from django.db import transaction

from kpis.standings import standings_refresh
from kpis.status import restatus


class Command(BaseCommand):
    help = (
        "Work out every figure's status against its target, then every action's standing in "
        "every term, again (what dashboards and packs count). The services keep them current; "
        "run this after changing the database by hand."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            changed = restatus()
            standings_refresh()
        self.stdout.write(
            f"{changed:,} figures' statuses changed; every action's standing in every term is "
            "up to date."
        )
