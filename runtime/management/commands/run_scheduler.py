import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from runtime import clock, schedule


class Command(BaseCommand):
    help = "Run the clock: hand each job of platform/schedule.toml to the task queue when due."

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=float, default=5.0, help="seconds between looks")
        parser.add_argument("--once", action="store_true", help="one look, then exit")

    def handle(self, *, tick, once, verbosity, **options):
        try:
            jobs = schedule.load()
            schedule.check_commands(jobs)
        except (schedule.ScheduleError, OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        clock.ensure_states(jobs)
        if verbosity:
            self.stdout.write(f"调度器已启动：{len(jobs)} 个定时任务，每 {tick:g} 秒检查一次。")
        self.running = True
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        while self.running:
            close_old_connections()
            for name in clock.tick(jobs):
                if verbosity > 1:
                    self.stdout.write(f"已交给后台：{name}")
            if once:
                return
            time.sleep(tick)

    def stop(self, signum, frame):
        self.running = False
