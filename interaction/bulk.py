"""An UPDATE of many rows named by id, in batches small enough for every database's limit
on query parameters."""

BATCH = 500


def update_by_ids(model, ids, **values):
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        model.objects.filter(pk__in=ids[start : start + BATCH]).update(**values)
