import os
import sys
from pathlib import Path

from django.apps import AppConfig

SERVER_PROGRAMS = {"gunicorn", "uwsgi", "uvicorn", "waitress-serve"}


def runs_a_server(argv: list[str]) -> bool:
    """True for `govsite runserver` and WSGI servers: never for migrate, demo, tests or shells."""
    return "runserver" in argv[1:3] or Path(argv[0]).name in SERVER_PROGRAMS


class WorkflowConfig(AppConfig):
    name = "govsite.workflow"
    label = "govsite_workflow"
    verbose_name = "审核发布"

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401

        # Scheduled publishing (定时发布/下线) runs inside the web server when GOVSITE_SCHEDULER=1
        # (`make run`); production can run `govsite scheduler` or a systemd timer instead (see docs).
        if os.environ.get("GOVSITE_SCHEDULER") == "1" and runs_a_server(sys.argv):
            from .scheduler import start_scheduler_thread

            start_scheduler_thread()
