"""Precision and recall of `redaction.find` against labelled letters (exact span and kind)."""

from dataclasses import dataclass

from .redaction import find


@dataclass
class Score:
    letters: int
    expected: int
    proposed: int
    correct: int
    misses: list
    extras: list

    @property
    def precision(self):
        return self.correct / self.proposed if self.proposed else 1.0

    @property
    def recall(self):
        return self.correct / self.expected if self.expected else 1.0


def score(cases):
    """`cases`: (text, writer names, [(kind, masked text), …]) per letter."""
    expected_total = proposed_total = correct = 0
    misses, extras = [], []
    for text, names, expected in cases:
        proposed = [(mask.kind, mask.text(text)) for mask in find(text, names)]
        expected_total += len(expected)
        proposed_total += len(proposed)
        unmatched = list(proposed)
        for span in expected:
            if span in unmatched:
                unmatched.remove(span)
                correct += 1
            else:
                misses.append((text, span))
        extras.extend((text, span) for span in unmatched)
    return Score(len(cases), expected_total, proposed_total, correct, misses, extras)
