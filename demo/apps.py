from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Made-up users, terms, ratings and figures for trying the service (`seed_demo`): no
    models of its own, and nothing else in the service imports it."""

    name = "demo"
    verbose_name = "Demo data"
