from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from actions.models import Action
from demo.seed import DEMO_PASSWORD, DEMO_USERS, demo_seed


class Command(BaseCommand):
    help = (
        "Add demo users, terms, lead assignments, ratings and KPI values (development mode "
        "only). --scale N copies the plan N times for performance work."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="Copies of the plan (1–500).")

    def handle(self, *args, scale: int, **options) -> None:
        if not settings.DEV_MODE:
            raise CommandError(
                "seed_demo creates users with published passwords, so it runs only in "
                "development mode (EIS_DEV_MODE=true)."
            )
        if not 1 <= scale <= 500:
            raise CommandError(f"--scale must be between 1 and 500, not {scale}.")
        if not Action.objects.exists():
            raise CommandError(
                "There is no plan to add demo data to. Import it first: "
                "python manage.py import_plan fixtures/delivery_plan.xlsx --plan eis"
            )
        counts = demo_seed(scale=scale)
        self.stdout.write("Demo data ready: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<10} {user.role:<13} {user.title}")
