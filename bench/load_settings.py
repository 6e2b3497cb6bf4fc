"""The production settings with plain static-file storage, for the load test only.

Used only when `collectstatic` cannot build WhiteNoise's manifest under the production
settings (bench/load.py says so when it happens). wrk fetches pages, never static files,
so the figures are unaffected; every other setting is production's.
"""

# The usual way to derive one settings module from another; nothing else is imported.
from bury_eis.settings import *  # noqa: F403
from bury_eis.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
