"""`govsite worker`: django-tasks-db's `db_worker` with a heartbeat, the reaper and retries.

Same options as `db_worker` (queues, --interval, --batch, --max-tasks, --worker-id); run one or more on
each machine (docs/background-jobs.md). A task whose worker dies is taken back by the other workers
after GOVSITE_WORKER_LEASE_SECONDS.
"""

import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from govsite.core.workers import HeartbeatWorker, new_worker_id


class Command(db_worker.Command):
    help = "后台任务工作进程：执行排队的任务，定时报告心跳，接管失联工作进程的任务并按策略重试。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=new_worker_id(), queue_name="*")

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues 只能与 --queue-name='*' 一起使用")
        worker = HeartbeatWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child process runs tasks
            run_with_reloader(worker.run)
            return
        worker.configure_signals()
        worker.run()
