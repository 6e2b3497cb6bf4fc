from django.apps import AppConfig


class BuryEisConfig(AppConfig):
    """The project package as an app: shared records (the admin audit trail) and sign-in hooks."""

    name = "bury_eis"
    label = "bury_eis"
    verbose_name = "Service records"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from bury_eis.security import stamp_session

        user_logged_in.connect(stamp_session, dispatch_uid="eis-stamp-session")
