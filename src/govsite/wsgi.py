"""WSGI entry point for production servers (gunicorn, granian, uwsgi) and `govsite serve`."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")
application = get_wsgi_application()

# Load the word-segmentation dictionary as the server starts, not in the first reader's search
# (about a second).
from govsite.search.segment import warm_up  # noqa: E402  (needs the configured Django)

warm_up()
# What is loaded by now lives as long as the process. Kept out of the cyclic garbage collector,
# whose full passes would otherwise walk these ~360,000 objects (~100 ms, paid by whichever
# request triggers one: measured in bench/search_bench.py).
gc.freeze()
