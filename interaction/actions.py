"""Carrying out the transitions of `interaction.workflow` on a letter: one function, `perform`,
that locks the letter, checks the state, the actor's role and the input, applies the step's
effects, moves the deadlines and writes the timeline event — all or nothing. An illegal step
raises `TransitionError` with a message for the user, and nothing changes."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import deadlines, notify, redaction
from .models import (
    SATISFIED_RATINGS,
    Letter,
    LetterEvent,
    NotAcceptedReason,
    Publication,
    Rating,
    Stage,
)
from .workflow import TRANSITIONS, allowed

WRITER, SYSTEM = "writer", "system"
ACTOR_LABELS = {WRITER: "来信人", SYSTEM: "系统"}
ROLE_LABELS = {"dispatcher": "调度", "handler": "办理", "reviewer": "审核"}


class TransitionError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


def roles_of(user, letter):
    """The staff roles `user` holds on `letter` (platform admins hold every one)."""
    if user is None or not user.is_authenticated:
        return set()
    if user.is_superuser:
        return {"dispatcher", "handler", "reviewer"}
    groups = set(user.groups.values_list("pk", flat=True))
    roles = set()
    if letter.mailbox.unit and letter.mailbox.unit.dispatchers_id in groups:
        roles.add("dispatcher")
    if letter.lead_unit:
        if letter.lead_unit.handlers_id in groups:
            roles.add("handler")
        if letter.lead_unit.reviewers_id in groups:
            roles.add("reviewer")
    return roles


def available(letter, user):
    """The transitions `user` may take on `letter` now: the workbench's buttons."""
    roles = roles_of(user, letter)
    return [t for t in allowed(letter.state) if roles & set(t.roles)]


def rating_transition(letter, rating):
    """A writer's rating closes the letter, unless it is 不满意 and a 重办 is still allowed."""
    unsatisfied = int(rating) not in SATISFIED_RATINGS
    return (
        "reopen" if unsatisfied and letter.reopen_count < settings.LETTER_REOPEN_LIMIT else "rate"
    )


def perform(letter, name, *, user=None, actor=None, reason="", now=None, **data):
    """Take transition `name` on `letter` as `user` (staff) or `actor` (WRITER or SYSTEM).

    `data` carries the step's input: `unit` and `assisting` (派单, 改派), `reply` (答复),
    `days` (延期申请), `rating` and `comment` (评价), `not_accepted` (a NotAcceptedReason),
    `original` (并单), `masks` (公开: {field: [Mask, …]})."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionError("没有这项操作。")
    now = now or timezone.now()
    with transaction.atomic():
        letter = (
            Letter.objects.select_for_update(of=("self",))  # PostgreSQL: not the outer joins
            .select_related("mailbox__unit", "lead_unit")
            .get(pk=letter.pk)
        )
        if letter.state not in transition.sources:
            raise TransitionError(
                f"信件当前为“{letter.get_state_display()}”，不能{transition.label}。"
            )
        role = _role(letter, transition, user, actor)
        reason = reason.strip()
        if transition.needs_reason and not reason:
            raise TransitionError(f"请填写{transition.label}的理由或说明。")
        step = _Step(letter, transition, user, role, reason, now)
        getattr(step, name)(**data)
        if transition.target is not None:
            letter.state = transition.target
        letter.save()
        event = step.record()
    return event


def _role(letter, transition, user, actor):
    if actor is not None:
        if actor not in transition.roles:
            raise TransitionError(f"{ACTOR_LABELS[actor]}不能{transition.label}。")
        return actor
    held = roles_of(user, letter) & set(transition.roles)
    if not held:
        raise TransitionError(f"您没有{transition.label}这封信件的权限。")
    return sorted(held)[0]


class _Step:
    """The effects of each transition; one method per name in workflow.TRANSITIONS."""

    def __init__(self, letter, transition, user, role, reason, now):
        self.letter, self.transition, self.user = letter, transition, user
        self.role, self.reason, self.now = role, reason, now
        self.unit = letter.mailbox.unit if role == "dispatcher" else letter.lead_unit
        self.from_state = letter.state
        self.due_before = self.due_after = None
        self.data = {}
        self.after_commit = []

    # -- the dispatcher ---------------------------------------------------------------------
    def reply_directly(self, reply=""):
        self.letter.lead_unit = self.letter.mailbox.unit
        self._set_reply(reply)
        deadlines.meet(self.letter, [Stage.RESPOND], self.now)

    def dispatch(self, unit=None, assisting=()):
        self._assign(unit, assisting)
        self.letter.dispatched_at = self.now

    def reassign(self, unit=None, assisting=()):
        if unit is not None and unit.pk == self.letter.lead_unit_id:
            raise TransitionError("改派须选择另一个承办单位。")
        self._assign(unit, assisting)

    def _assign(self, unit, assisting):
        targets = self.letter.mailbox.unit.dispatch_targets()
        if unit is None or not targets.filter(pk=unit.pk).exists():
            raise TransitionError("请选择本信箱可以派单的承办单位。")
        assisting = [u for u in assisting if u.pk != unit.pk]
        if assisting and targets.filter(pk__in=[u.pk for u in assisting]).count() != len(assisting):
            raise TransitionError("协办单位须是本信箱可以派单的承办单位。")
        reply = self.letter.deadlines.filter(stage=Stage.REPLY).first()
        self.due_before = reply.due_at if reply else None
        self.letter.lead_unit = unit
        self.letter.returns_refused = False
        self.letter.save()
        self.letter.assisting_units.set(assisting)
        deadlines.start(self.letter, Stage.RESPOND, self.now, level=unit.level)
        extended = sum(
            e.data["days"] for e in self.letter.events.filter(transition="approve_extension")
        )
        reply = deadlines.start(
            self.letter, Stage.REPLY, self.letter.received_at, level=unit.level, extra=extended
        )
        self.due_after = reply.due_at
        self.data = {"unit": unit.name, "assisting": [u.name for u in assisting]}
        self.after_commit.append(lambda: notify.unit_handlers(self.letter, unit, "新派单"))

    def merge(self, original=None):
        if original is None or original.pk == self.letter.pk:
            raise TransitionError("请填写要并入的原信件查询码。")
        self.letter.duplicate_of = original
        self.data = {"original": original.query_code}
        self._close()

    def not_accept(self, not_accepted=""):
        if not_accepted not in NotAcceptedReason.values:
            raise TransitionError("请选择不予受理的理由。")
        if not self.reason:
            raise TransitionError("请填写告知来信人的途径（如信访、诉讼、依申请公开）。")
        self.letter.not_accepted_reason = not_accepted
        self.data = {"reason": NotAcceptedReason(not_accepted).label}
        self._close()
        self.after_commit.append(lambda: notify.writer(self.letter, "不予受理"))

    def refuse_return(self):
        self.letter.returns_refused = True
        deadlines.meet(self.letter, [Stage.RESPOND], self.now)

    def approve_extension(self):
        request = self.letter.events.filter(transition="request_extension").last()
        days = request.data["days"]
        reply = self.letter.deadlines.get(stage=Stage.REPLY)
        self.due_before = reply.due_at
        self.due_after = deadlines.extend(reply, days).due_at
        self.data = {"days": days}

    def refuse_extension(self):
        pass

    def supervise(self):
        self.letter.supervised = True
        self.after_commit.append(lambda: notify.supervised(self.letter, self.reason))

    def close(self):
        self._close()

    def publish(self, masks=None):
        if not (self.letter.wants_public and self.letter.mailbox.publish_letters):
            raise TransitionError("来信人未同意公开或本信箱不公开来信，不能公开。")
        masks = masks if masks is not None else proposed_masks(self.letter)
        for field in ("subject", "content", "reply"):
            text = getattr(self.letter, field)
            for mask in masks.get(field, []):
                if (
                    not (0 <= mask.start < mask.end <= len(text))
                    or mask.kind not in redaction.KIND_LABELS
                ):
                    raise TransitionError("遮盖范围无效，请重新选择。")
        letter = self.letter
        letter.masks = {f: [[m.start, m.end, m.kind] for m in ms] for f, ms in masks.items()}
        letter.public_subject = redaction.apply(letter.subject, masks.get("subject", []))
        letter.public_content = redaction.apply(letter.content, masks.get("content", []))
        letter.public_reply = redaction.apply(letter.reply, masks.get("reply", []))
        letter.publication = Publication.PUBLISHED
        letter.published_at = letter.published_at or self.now
        self.data = {"masks": sum(len(ms) for ms in masks.values())}

    def withdraw(self):
        letter = self.letter
        letter.publication = Publication.WITHDRAWN
        letter.public_subject = letter.public_content = letter.public_reply = ""
        letter.published_at = None

    # -- the handling unit ------------------------------------------------------------------
    def accept(self):
        deadlines.meet(self.letter, [Stage.RESPOND], self.now)

    def request_return(self):
        if self.letter.returns_refused:
            raise TransitionError("本件退单申请已被驳回，须由本单位办理，不能再次退单。")
        deadlines.meet(self.letter, [Stage.RESPOND], self.now)
        self.after_commit.append(lambda: notify.dispatchers(self.letter, "退单申请"))

    def request_extension(self, days=None):
        try:
            days = int(days)
        except (TypeError, ValueError):
            days = 0
        if not 1 <= days <= settings.LETTER_MAX_EXTENSION_DAYS:
            raise TransitionError(
                f"延期天数须为 1 至 {settings.LETTER_MAX_EXTENSION_DAYS} 个工作日。"
            )
        self.data = {"days": days}
        self.after_commit.append(lambda: notify.dispatchers(self.letter, "延期申请"))

    def report_progress(self):
        deadlines.meet(self.letter, [Stage.FEEDBACK], self.now)

    def submit_reply(self, reply=""):
        self._set_reply(reply)

    def _set_reply(self, reply):
        reply = (reply or "").strip()
        if not reply:
            raise TransitionError("请填写答复内容。")
        self.letter.reply = reply

    # -- the unit's reviewer ----------------------------------------------------------------
    def approve_reply(self):
        letter = self.letter
        letter.replied_at = self.now
        letter.reply_unit = letter.lead_unit
        letter.supervised = False
        deadlines.meet(letter, [Stage.RESPOND, Stage.REPLY, Stage.FEEDBACK], self.now)
        if letter.wants_public and letter.mailbox.publish_letters:
            letter.publication = Publication.PENDING
        self.after_commit.append(lambda: notify.writer(letter, "已答复"))

    def reject_reply(self):
        pass

    # -- the writer -------------------------------------------------------------------------
    def rate(self, rating=None, comment=""):
        self._rate(rating, comment)
        self._close()

    def reopen(self, rating=None, comment=""):
        self._rate(rating, comment)
        if rating_transition(self.letter, self.letter.rating) != "reopen":
            raise TransitionError("本件已重办过，评价后即办结。")
        self.letter.reopen_count += 1
        reply = deadlines.start(self.letter, Stage.REPLY, self.now)
        self.due_after = reply.due_at
        self.after_commit.append(
            lambda: notify.unit_handlers(self.letter, self.letter.lead_unit, "不满意重办")
        )

    def _rate(self, rating, comment):
        try:
            rating = Rating(int(rating))
        except (TypeError, ValueError):
            raise TransitionError("请选择满意程度。") from None
        self.letter.rating = rating
        self.letter.rating_comment = (comment or "").strip()[:300]
        self.letter.rated_at = self.now
        self.data = {"rating": rating.label}

    def _close(self):
        self.letter.closed_at = self.now
        deadlines.meet(self.letter, list(Stage), self.now)

    # -- the record -------------------------------------------------------------------------
    def record(self):
        actor_label = ACTOR_LABELS.get(self.role)
        if actor_label is None:
            name = self.user.get_full_name() or self.user.get_username()
            actor_label = f"{name}（{ROLE_LABELS[self.role]}）"
        event = LetterEvent.objects.create(
            letter=self.letter,
            transition=self.transition.name,
            label=self.transition.label,
            from_state=self.from_state,
            to_state=self.letter.state,
            actor=self.user if self.role not in (WRITER, SYSTEM) else None,
            actor_label=actor_label,
            unit=self.unit,
            at=self.now,
            due_before=self.due_before,
            due_after=self.due_after,
            reason=self.reason,
            public=self.transition.public,
            data=self.data,
        )
        for callback in self.after_commit:
            transaction.on_commit(callback)
        return event


def proposed_masks(letter):
    """The masks redaction proposes for each published field (the writer's name included)."""
    names = [letter.name]
    return {
        field: redaction.find(getattr(letter, field), names)
        for field in ("subject", "content", "reply")
    }
