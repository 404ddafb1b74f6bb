from .deadlines import DeadlinePolicy, LetterDeadline, Measure, Stage
from .letters import (
    SATISFIED_RATINGS,
    Category,
    Letter,
    LetterAttachment,
    LetterEvent,
    NotAcceptedReason,
    Publication,
    Rating,
)
from .mailbox import MailboxPage
from .stats import MonthlyUnitStats
from .units import ROLE_LABELS, HandlingUnit

__all__ = [
    "ROLE_LABELS",
    "SATISFIED_RATINGS",
    "Category",
    "DeadlinePolicy",
    "HandlingUnit",
    "Letter",
    "LetterAttachment",
    "LetterDeadline",
    "LetterEvent",
    "MailboxPage",
    "Measure",
    "MonthlyUnitStats",
    "NotAcceptedReason",
    "Publication",
    "Rating",
    "Stage",
]
