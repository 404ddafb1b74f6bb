"""Finding listed wordings in located text, and saying so in the editor's language.

Matching is literal but ignores whitespace inside a line: Chinese needs no spaces, so a stray
space or full-width blank (国家工商 行政管理总局) must not hide an expression from the check.
A line break, though, separates paragraphs, and nothing is matched across it.
"""

from dataclasses import dataclass

# Characters quoted on each side of a match: enough to recognise the sentence in the editor.
CONTEXT_CHARS = 12


@dataclass(frozen=True)
class Entry:
    """One listed wording: what to look for, what to write instead and why."""

    text: str
    replacement: str = ""
    note: str = ""


@dataclass(frozen=True)
class Finding:
    """One occurrence of a listed wording in a page."""

    location: str
    excerpt: str
    entry: Entry


def _squeeze(line):
    """The line without whitespace, and each kept character's index in the original line."""
    kept = [(index, char) for index, char in enumerate(line) if not char.isspace()]
    return "".join(char for _, char in kept), [index for index, _ in kept]


def _excerpt(line, start, end):
    before = line[max(0, start - CONTEXT_CHARS) : start]
    after = line[end : end + CONTEXT_CHARS]
    prefix = "…" if start > CONTEXT_CHARS else ""
    suffix = "…" if end + CONTEXT_CHARS < len(line) else ""
    return " ".join(f"{prefix}{before}{line[start:end]}{after}{suffix}".split())


def find(segments, entries):
    """Every occurrence of every entry in the segments, in reading order."""
    needles = [(entry, "".join(entry.text.split())) for entry in entries]
    needles = [(entry, needle) for entry, needle in needles if needle]
    findings = []
    for segment in segments:
        for line in segment.text.splitlines():
            squeezed, positions = _squeeze(line)
            hits = []
            for entry, needle in needles:
                at = squeezed.find(needle)
                while at != -1:
                    start, end = positions[at], positions[at + len(needle) - 1] + 1
                    hits.append((start, entry, _excerpt(line, start, end)))
                    at = squeezed.find(needle, at + len(needle))
            findings.extend(
                Finding(segment.location, excerpt, entry)
                for _, entry, excerpt in sorted(hits, key=lambda hit: hit[0])
            )
    return findings


def describe_forbidden(finding):
    """「正文 第 3 段（正文段落）：“…”中的「X」为严重错误表述，应为「Y」（说明）。」"""
    entry = finding.entry
    text = f"{finding.location}：“{finding.excerpt}”中的「{entry.text}」为严重错误表述"
    if entry.replacement:
        text += f"，应为「{entry.replacement}」"
    if entry.note:
        text += f"（{entry.note}）"
    return text + "。"


def describe_miswriting(finding):
    entry = finding.entry
    return (
        f"{finding.location}：“{finding.excerpt}”中的「{entry.text}」"
        f"疑为错别字，建议改为「{entry.replacement}」。"
    )
