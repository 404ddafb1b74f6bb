"""When platform admins edit the working-day calendar (runtime.CalendarDay), every running
deadline is recomputed on the task queue; each letter whose deadline moved is flagged
(Letter.calendar_changed) and gets a 期限重算 step on its timeline."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import deadlines
from .bulk import update_by_ids
from .models import Letter, LetterDeadline, LetterEvent


def calendar_changed(raw=False, **kwargs):
    """post_save / post_delete of a CalendarDay: recompute once the edit is committed (not
    while fixtures load)."""
    from .tasks import recompute_deadlines

    if not raw:
        transaction.on_commit(recompute_deadlines.enqueue)


def recompute_running(now=None):
    """Recompute every unmet deadline; returns the number that moved."""
    now = now or timezone.now()
    running = list(LetterDeadline.objects.filter(met_at=None).annotate(state=F("letter__state")))
    before = {deadline.pk: deadline.due_at for deadline in running}
    with transaction.atomic():
        moved = deadlines.recompute(running)
        update_by_ids(Letter, {d.letter_id for d in moved}, calendar_changed=True)
        LetterEvent.objects.bulk_create(
            [
                LetterEvent(
                    letter_id=deadline.letter_id,
                    transition="recompute",
                    label="期限重算",
                    from_state=deadline.state,
                    to_state=deadline.state,
                    actor_label="系统",
                    at=now,
                    due_before=before[deadline.pk],
                    due_after=deadline.due_at,
                    reason=f"工作日历调整，{deadline.get_stage_display()}期限重新计算。",
                    data={"stage": deadline.stage},
                )
                for deadline in moved
            ],
            batch_size=500,
        )
    return len(moved)
