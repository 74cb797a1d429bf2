"""WSGI entry point for production servers (gunicorn, granian, uwsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")
application = get_wsgi_application()
