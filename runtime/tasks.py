"""Tasks of the durable queue that belong to the platform itself: scheduled jobs and mail."""

from django_tasks import task

from . import clock, mail, schedule


# Mail and the clock's jobs go before bulk work such as a backlog of index updates.
@task(priority=10)
def run_job(name):
    """One run of a declared periodic job (runtime.clock)."""
    return {"succeeded": clock.run(schedule.job_named(name))}


@task(priority=20)
def deliver_mail(mail_id):
    """Deliver one outgoing message over SMTP (runtime.mail)."""
    return {"status": mail.deliver(mail_id)}
