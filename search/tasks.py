"""Background tasks (django-tasks): immediate in development and tests, a worker in production."""

from django_tasks import task

from .indexing import process_pending


@task()
def process_pending_updates():
    """Apply the queued search index updates (search.indexing)."""
    applied, failed = process_pending()
    return {"applied": applied, "failed": failed}
