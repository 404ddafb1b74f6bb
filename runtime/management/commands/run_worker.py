import logging

from django_tasks_db.management.commands import db_worker

from runtime.worker import BeatingWorker


class Command(db_worker.Command):
    help = "Run the task worker: django-tasks-db's, with a heartbeat that recovers lost tasks."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False)  # a reload could cut a task off mid-way

    def configure_logging(self, verbosity):
        """-v 1 (the default) reports failures only; -v 2 every task, -v 3 everything."""
        super().configure_logging(verbosity - 1 if verbosity > 1 else verbosity)
        if verbosity == 1:
            for name in ("django_tasks", "django_tasks_db"):
                logging.getLogger(name).setLevel(logging.WARNING)

    def handle(self, *, verbosity, queue_name, reload, **options):
        self.configure_logging(verbosity)
        worker = BeatingWorker(
            queue_names=queue_name.split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        worker.configure_signals()
        worker.run()
