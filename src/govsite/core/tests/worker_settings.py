"""Settings of the `govsite worker` processes a test starts: the test session's own settings (its
directory of files, captcha off, ...) on its database, with the database task backend.

The test passes its session directory (GOVSITE_SESSION_DIR), public root (GOVSITE_PUBLIC_DIR) and
test database (DATABASE_URL); the directory settings_test made for this process is removed.
"""

import os
import shutil
from pathlib import Path

from govsite.settings_test import *  # noqa: F403
from govsite.settings_test import CACHES, GOVSITE_TEST_DIR

shutil.rmtree(GOVSITE_TEST_DIR, ignore_errors=True)
GOVSITE_TEST_DIR = Path(os.environ["GOVSITE_SESSION_DIR"])
MEDIA_ROOT = GOVSITE_TEST_DIR / "media"
STATIC_ROOT = GOVSITE_TEST_DIR / "static"
GOVSITE_PUBLIC_DIR = Path(os.environ["GOVSITE_PUBLIC_DIR"])
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    CACHES = {"default": {**CACHES["default"], "LOCATION": GOVSITE_TEST_DIR / "cache"}}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
