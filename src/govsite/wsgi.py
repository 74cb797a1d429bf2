"""WSGI entry point for production servers (gunicorn, granian, uwsgi) and `govsite serve`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")
application = get_wsgi_application()

# Load the word-segmentation dictionary as the server starts, not in the first reader's search
# (about a second).
from govsite.search.segment import warm_up  # noqa: E402  (needs the configured Django)

warm_up()
