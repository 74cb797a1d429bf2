"""Settings for the test suite: the platform's settings with the test-only differences, in one place.

pytest points DJANGO_SETTINGS_MODULE here (pyproject.toml). Everything else, DATABASE_URL included,
comes from govsite.settings and the environment as in production, so CI's PostgreSQL pass is the same
code with another database. Processes a test starts (`python -m govsite …`) use govsite.settings:
govsite.testing.cli_env() drops this module from their environment.
"""

import tempfile
from pathlib import Path

from govsite.settings import *  # noqa: F403
from govsite.settings import CACHES, STORAGES

# Files a test writes (uploads, published pages, the file cache) go to a directory of the session's own,
# never to var/ of a platform a developer runs next to the tests. conftest.py removes it at the end.
GOVSITE_TEST_DIR = Path(tempfile.mkdtemp(prefix="govsite-test-"))
MEDIA_ROOT = GOVSITE_TEST_DIR / "media"
GOVSITE_PUBLIC_DIR = GOVSITE_TEST_DIR / "public"
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    CACHES = {"default": {**CACHES["default"], "LOCATION": GOVSITE_TEST_DIR / "cache"}}

# Tests run before (and without) collectstatic: static files unhashed, straight from the apps (WhiteNoise
# finds them; an empty STATIC_ROOT of the session's own keeps it from warning about var/static).
STATIC_ROOT = GOVSITE_TEST_DIR / "static"
STATIC_ROOT.mkdir()
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# The public forms' captcha is off (core/captcha.py's own tests switch it on).
GOVSITE_CAPTCHA = False
# Background tasks (rebuilds, text extraction, ...) run at once, in the test, so a test sees their
# result when the call returns. Tests of the database backend use the `database_tasks` fixture.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The demo builds dozens of accounts per session: a fast hash (never used outside tests).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The monitor's clock tasks (queued by tests of the platform clock) never reach out: no probe of the demo's
# hostnames, no outbound link check. The monitor's own tests call it on a local server.
GOVSITE_PROBES = False
GOVSITE_LINKCHECK_PER_RUN = 0
