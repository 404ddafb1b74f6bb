"""Keeping the index true: a durable queue of pending updates and the work that applies them.

`enqueue(objects)` writes one PendingIndexUpdate row per object in the caller's transaction (in
a savepoint: a failure there is logged, never raised) and, once that transaction commits, starts
the background task (search.tasks). The task looks at each object as it is *now*: indexable →
its document is written to every backend; gone, unpublished or no longer public → its document
is deleted. So rows can be applied in any order and any number of times. A row is removed only
when every backend took it; otherwise it keeps its error and is retried by the next run —
the next update's task, or `manage.py search_catch_up` from cron.
"""

import logging
from collections import defaultdict
from functools import reduce
from operator import or_

from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from .backends import IndexingError, SearchUnavailable, all_backends
from .models import PendingIndexUpdate
from .registry import adapter_for, adapters, document_id, root_model

logger = logging.getLogger(__name__)
BATCH = 200


def enqueue(objects):
    """Queue the documents of `objects` (saved, changed or just deleted) for updating."""
    _queue(
        (document_id(obj), root_model(type(obj))._meta.label_lower, str(obj.pk)) for obj in objects
    )


def enqueue_document_ids(document_ids):
    """Queue documents by id ("<model label>:<pk>"), e.g. ones found stale by a check."""
    _queue((key, *key.rsplit(":", 1)) for key in document_ids)


def _queue(keys):
    if not _queue_table_exists():
        return  # migrating a fresh database: pages made by data migrations wait for a rebuild
    now = timezone.now()
    rows = {
        key: PendingIndexUpdate(document_id=key, model_label=label, object_pk=pk, queued_at=now)
        for key, label, pk in keys
    }
    if not rows:
        return
    try:
        with transaction.atomic():
            PendingIndexUpdate.objects.bulk_create(
                rows.values(),
                update_conflicts=True,
                unique_fields=["document_id"],
                update_fields=["queued_at"],
            )
    except DatabaseError:
        logger.exception("could not queue search index updates for %s", list(rows))
        return
    transaction.on_commit(start_processing, robust=True)


def current_documents(chunk_size=500):
    """The documents of everything that belongs in the index now, read from the database."""
    for adapter in adapters():
        chunk = []
        for obj in adapter.indexable().iterator(chunk_size=chunk_size):
            chunk.append(obj)
            if len(chunk) == chunk_size:
                yield from adapter.to_documents(chunk)
                chunk = []
        yield from adapter.to_documents(chunk)


def indexable_count():
    return sum(adapter.indexable().count() for adapter in adapters())


_queue_table_seen = False


def _queue_table_exists():
    """False only while a fresh database is being migrated (checked until first seen)."""
    global _queue_table_seen
    if not _queue_table_seen:
        tables = connection.introspection.table_names()
        _queue_table_seen = PendingIndexUpdate._meta.db_table in tables
    return _queue_table_seen


def start_processing():
    from .tasks import process_pending_updates

    try:
        process_pending_updates.enqueue()
    except Exception:  # the queue rows remain; search_catch_up will apply them
        logger.exception("could not start the search index task")


def process_pending(batch_size=BATCH):
    """Apply every queued update once. Returns (applied, failed) counts; stops early when a
    backend is unreachable, since the rest would fail the same way."""
    applied = failed = 0
    last_pk = 0
    while True:
        rows = list(PendingIndexUpdate.objects.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not rows:
            return applied, failed
        last_pk = rows[-1].pk
        errors, unreachable = _apply(rows)
        done = [row for row in rows if row.document_id not in errors]
        if done:  # a row queued again meanwhile (newer queued_at) stays for the next run
            unchanged = reduce(or_, (Q(pk=row.pk, queued_at=row.queued_at) for row in done))
            PendingIndexUpdate.objects.filter(unchanged).delete()
        _record_failures([row for row in rows if row.document_id in errors], errors)
        applied += len(done)
        failed += len(rows) - len(done)
        if unreachable:
            return applied, failed + PendingIndexUpdate.objects.filter(pk__gt=last_pk).count()


def _apply(rows):
    """Bring the documents of `rows` up to date in every backend: {document id: error}."""
    documents, errors = _current_documents(rows)
    gone = [row.document_id for row in rows if row.document_id not in {*documents, *errors}]
    unreachable = False
    for backend in all_backends():
        try:
            if documents:
                backend.upsert(documents.values())
            if gone:
                backend.delete(gone)
        except IndexingError as error:
            errors.update(
                {key: f"{backend.name}: {reason}" for key, reason in error.failed.items()}
            )
        except SearchUnavailable as error:
            unreachable = True
            errors.update({row.document_id: f"{backend.name}: {error}" for row in rows})
    return errors, unreachable


def _current_documents(rows):
    """{document id: SearchDocument} of the rows' objects that belong in the index now, and
    {document id: error} of those whose document could not be made."""
    by_model = defaultdict(list)
    for row in rows:
        by_model[row.model_label].append(row.object_pk)
    by_adapter = defaultdict(list)
    for label, pks in by_model.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):  # a model that no longer exists: its documents go
            continue
        for obj in model.objects.filter(pk__in=pks):
            adapter = adapter_for(obj)
            if adapter is not None:
                by_adapter[adapter].append(obj.pk)
    documents, errors = {}, {}
    for adapter, pks in by_adapter.items():
        for obj in adapter.indexable().filter(pk__in=pks):
            try:
                documents.update((d.id, d) for d in adapter.to_documents([obj]))
            except Exception as error:  # one bad object must not hold up the others
                logger.exception("could not build the search document of %r", obj)
                errors[document_id(obj)] = f"{type(error).__name__}: {error}"
    return documents, errors


def _record_failures(rows, errors):
    now = timezone.now()
    for row in rows:
        row.attempts += 1
        row.last_attempt_at = now
        row.last_error = errors[row.document_id][:2000]
    PendingIndexUpdate.objects.bulk_update(rows, ["attempts", "last_attempt_at", "last_error"])
