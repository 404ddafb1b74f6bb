"""The closed loop of a letter (受理 → 派单 → 签收 → 办理 → 答复 → 审核 → 已答复 → 评价 → 办结) as
one table: every state, and every transition with the states it leaves from, the state it
leads to (None: the state stays, e.g. 督办) and who may take it. `interaction.actions` carries
transitions out; nothing else changes a letter's state.

Roles: `dispatcher` — the 信件调度 group of the mailbox's unit; `handler` / `reviewer` — the
信件办理 / 信件审核 group of the lead unit; `writer` — whoever holds the 查询码 and password;
`system` — the clock. Platform admins may act in every staff role.
"""

from dataclasses import dataclass

from django.db import models


class State(models.TextChoices):
    RECEIVED = "received", "待受理"
    DISPATCHED = "dispatched", "待签收"
    IN_PROGRESS = "in_progress", "办理中"
    RETURN_REQUESTED = "return_requested", "退单待审"
    EXTENSION_REQUESTED = "extension_requested", "延期待批"
    REPLY_SUBMITTED = "reply_submitted", "答复待审核"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"
    NOT_ACCEPTED = "not_accepted", "不予受理"


OPEN_STATES = frozenset(
    {
        State.RECEIVED,
        State.DISPATCHED,
        State.IN_PROGRESS,
        State.RETURN_REQUESTED,
        State.EXTENSION_REQUESTED,
        State.REPLY_SUBMITTED,
    }
)
"""States in which the writer is still waiting for an answer."""

FINAL_STATES = frozenset({State.CLOSED, State.NOT_ACCEPTED})

HANDLING = (State.DISPATCHED, State.IN_PROGRESS, State.EXTENSION_REQUESTED)


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    target: str | None
    roles: tuple
    public: bool = False  # shown on the writer's timeline
    needs_reason: bool = False
    danger: bool = False  # a button that ends or turns back the work


TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "reply_directly", "直接答复", (State.RECEIVED,), State.REPLY_SUBMITTED, ("dispatcher",)
        ),
        Transition(
            "dispatch", "派单", (State.RECEIVED,), State.DISPATCHED, ("dispatcher",), public=True
        ),
        Transition(
            "merge",
            "并单",
            (State.RECEIVED,),
            State.CLOSED,
            ("dispatcher",),
            public=True,
            needs_reason=True,
        ),
        Transition(
            "not_accept",
            "不予受理",
            (State.RECEIVED,),
            State.NOT_ACCEPTED,
            ("dispatcher",),
            public=True,
            danger=True,
        ),
        Transition(
            "accept", "签收", (State.DISPATCHED,), State.IN_PROGRESS, ("handler",), public=True
        ),
        Transition(
            "request_return",
            "申请退单",
            (State.DISPATCHED, State.IN_PROGRESS),
            State.RETURN_REQUESTED,
            ("handler",),
            needs_reason=True,
            danger=True,
        ),
        Transition(
            "reassign",
            "改派",
            (State.RETURN_REQUESTED,),
            State.DISPATCHED,
            ("dispatcher",),
            public=True,
        ),
        Transition(
            "refuse_return",
            "驳回退单",
            (State.RETURN_REQUESTED,),
            State.IN_PROGRESS,
            ("dispatcher",),
            needs_reason=True,
        ),
        Transition(
            "request_extension",
            "申请延期",
            (State.IN_PROGRESS,),
            State.EXTENSION_REQUESTED,
            ("handler",),
            needs_reason=True,
        ),
        Transition(
            "approve_extension",
            "批准延期",
            (State.EXTENSION_REQUESTED,),
            State.IN_PROGRESS,
            ("dispatcher",),
            public=True,
        ),
        Transition(
            "refuse_extension",
            "驳回延期",
            (State.EXTENSION_REQUESTED,),
            State.IN_PROGRESS,
            ("dispatcher",),
            needs_reason=True,
        ),
        Transition(
            "report_progress",
            "进展反馈",
            (State.IN_PROGRESS,),
            None,
            ("handler",),
            public=True,
            needs_reason=True,
        ),
        Transition(
            "submit_reply", "提交答复", (State.IN_PROGRESS,), State.REPLY_SUBMITTED, ("handler",)
        ),
        Transition(
            "approve_reply",
            "审核通过",
            (State.REPLY_SUBMITTED,),
            State.REPLIED,
            ("reviewer",),
            public=True,
        ),
        Transition(
            "reject_reply",
            "退回修改",
            (State.REPLY_SUBMITTED,),
            State.IN_PROGRESS,
            ("reviewer",),
            needs_reason=True,
            danger=True,
        ),
        Transition(
            "supervise",
            "督办",
            tuple(OPEN_STATES - {State.RECEIVED}),
            None,
            ("dispatcher", "system"),
            public=True,
            needs_reason=True,
        ),
        Transition("rate", "评价", (State.REPLIED,), State.CLOSED, ("writer",), public=True),
        Transition(
            "reopen", "不满意重办", (State.REPLIED,), State.IN_PROGRESS, ("writer",), public=True
        ),
        Transition(
            "close", "办结", (State.REPLIED,), State.CLOSED, ("dispatcher", "system"), public=True
        ),
        Transition("publish", "公开", (State.REPLIED, State.CLOSED), None, ("dispatcher",)),
        Transition(
            "withdraw",
            "撤销公开",
            (State.REPLIED, State.CLOSED),
            None,
            ("dispatcher",),
            needs_reason=True,
            danger=True,
        ),
    ]
}


def allowed(state):
    """The transitions that leave `state`."""
    return [t for t in TRANSITIONS.values() if state in t.sources]
