"""Highlighting in Python, from the original text, the same for every backend.

Matches are found in the folded text (traditional and full-width forms fold, lengths do not
change), so a query in 繁体 marks the simplified words it found. The output is HTML: the text is
escaped and every match is wrapped in <mark>.
"""

from html import escape

from .chinese import fold

SNIPPET_LENGTH = 120
LEAD_IN = 30  # characters shown before the first match


def match_spans(text, needles):
    """Non-overlapping (start, end) spans of `needles` in `text`, longer needles first."""
    folded = fold(text)
    taken = [False] * len(text)
    spans = []
    for needle in needles:
        start = folded.find(needle)
        while start != -1:
            end = start + len(needle)
            if not any(taken[start:end]):
                spans.append((start, end))
                taken[start:end] = [True] * len(needle)
            start = folded.find(needle, start + 1)
    return _merge(sorted(spans))


def _merge(spans):
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text, spans, offset=0):
    """`text` escaped, with the spans (relative to `offset`) wrapped in <mark>."""
    parts, position = [], 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if end <= 0 or start >= len(text):
            continue
        start, end = max(start, 0), min(end, len(text))
        parts += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def highlight_title(title, needles):
    return mark(title, match_spans(title, needles))


def snippet(body, needles, length=SNIPPET_LENGTH, cut_before=False, cut_after=False):
    """A window of `body` around the densest stretch of matches, with ellipses where cut
    (`cut_before`/`cut_after`: `body` is itself a passage of a longer text)."""
    body = " ".join(body.split())
    spans = match_spans(body, needles)
    start = 0
    if len(body) > length:
        start = max(0, _densest_start(spans, length) - LEAD_IN) if spans else 0
        start = min(start, len(body) - length)
    window = body[start : start + length]
    prefix = "…" if start > 0 or cut_before else ""
    suffix = "…" if start + length < len(body) or cut_after else ""
    return prefix + mark(window, spans, offset=start) + suffix


def _densest_start(spans, length):
    """Start of the span after which the most matched characters fit in one window."""
    spans = spans[:200]  # a common character can match thousands of times; the start will do
    best_start, best_weight = spans[0][0], -1
    for i, (start, _end) in enumerate(spans):
        weight = sum(e - s for s, e in spans[i:] if e <= start + length)
        if weight > best_weight:
            best_start, best_weight = start, weight
    return best_start
