"""Chinese text for full-text search: folding, index tokens and query analysis.

Chinese has no spaces, so words cannot be split reliably without a dictionary; instead every run
of Han characters becomes overlapping bigrams (社保缴费 → 社保 保缴 缴费), which finds any word of
two or more characters inside longer text. The last character of each run is also kept as a
unigram, so that every character position starts a token and single-character queries work as
a prefix (费 → 费*). Latin letters and digits form lowercased words (5G → 5g, 12345).

Folding maps traditional characters to simplified ones (data/t2s.tsv, from OpenCC), full-width
ASCII to half-width and A–Z to a–z. It is character for character, so positions in folded text
are positions in the original, which is what the highlighter relies on.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

T2S_TABLE = Path(__file__).resolve().parent / "data" / "t2s.tsv"
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
TOKEN_RUN = re.compile(rf"(?P<han>[{HAN}]+)|(?P<word>(?:(?![{HAN}])[^\W_])+)")
DOCUMENT_NUMBER_BRACKETS = re.compile(r"[\[［【(（〔]\s*((?:19|20)\d{2})\s*[\]］】)）〕]")
SPACES = re.compile(r"\s+")
# Bump when tokens change: an index built with other tokens must be rebuilt.
TOKENIZER_VERSION = 1


@cache
def _t2s_table():
    table = {}
    for line in T2S_TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            traditional, simplified = line.split("\t")
            table[ord(traditional)] = simplified
    return table


@cache
def _fold_table():
    table = dict(_t2s_table())
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII ！…～
        table[code] = chr(code - 0xFEE0)
    table[0x3000] = " "  # ideographic space
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code + 32)
    for code in range(0xFF21, 0xFF3B):  # full-width Ａ…Ｚ straight to a…z
        table[code] = chr(code - 0xFEE0 + 32)
    return table


def fold(text):
    """Simplified, half-width, lowercase; exactly as long as `text`."""
    return text.translate(_fold_table())


def t2s_pairs():
    """(traditional, simplified) Han pairs, for engines that fold in their own analysis chain
    (width and case they fold with their own filters)."""
    return [(chr(code), value) for code, value in _t2s_table().items()]


@dataclass(frozen=True)
class Run:
    """A stretch of Han characters or of letters and digits, in folded text."""

    text: str
    start: int
    han: bool


def runs(folded):
    return [
        Run(match.group(), match.start(), match.lastgroup == "han")
        for match in TOKEN_RUN.finditer(folded)
    ]


def run_tokens(run, final=False):
    """The index tokens of one run; a query's final run leaves out the trailing unigram,
    because in a document the same characters may continue."""
    if not run.han:
        return [run.text]
    text = run.text
    if len(text) == 1:
        return [text]
    bigrams = [text[i : i + 2] for i in range(len(text) - 1)]
    return bigrams if final else [*bigrams, text[-1]]


def index_tokens(text):
    """Space-separated tokens of `text` for the embedded engine's full-text table."""
    return " ".join(token for run in runs(fold(text)) for token in run_tokens(run))


def cover(run):
    """The fewest tokens that together contain every character of a run: 营业执照 → 营业 执照.

    A document must contain each of them (anywhere) to match; the full phrase ranks higher.
    """
    text = run.text
    if not run.han or len(text) == 1:
        return [text]
    pieces = [text[i : i + 2] for i in range(0, len(text) - 1, 2)]
    if len(text) % 2:
        pieces.append(text[-2:])
    return pieces


def is_single_han(token):
    return len(token) == 1 and TOKEN_RUN.fullmatch(token).lastgroup == "han"


@dataclass(frozen=True)
class Alternative:
    """One way of saying a search term: the term itself or a synonym of it (folded)."""

    text: str
    pieces: tuple[str, ...]  # each must occur in a matching document
    phrase: tuple[str, ...]  # index tokens of the whole term, in order
    runs: tuple[str, ...]  # the term's Han runs and words, for highlighting

    @classmethod
    def of(cls, folded):
        found = runs(folded)
        if not found:
            return None
        phrase = [t for i, r in enumerate(found) for t in run_tokens(r, i == len(found) - 1)]
        return cls(
            text=folded,
            pieces=tuple(piece for run in found for piece in cover(run)),
            phrase=tuple(phrase),
            runs=tuple(run.text for run in found),
        )

    @property
    def open_ended(self):
        """A phrase ending in one Han character matches it as a prefix: 号 also finds 号文."""
        return is_single_han(self.phrase[-1])


@dataclass(frozen=True)
class Term:
    """A whitespace-separated part of the query; a document matches one of its alternatives."""

    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class QueryPlan:
    """What a backend needs to run a query: terms (all must match) and the document number key."""

    terms: tuple[Term, ...]
    document_number_key: str

    @property
    def highlight_needles(self):
        """Strings to mark in results, longest first: whole terms, their runs, their pieces."""
        needles = {
            needle
            for term in self.terms
            for alternative in term.alternatives
            for needle in (alternative.text, *alternative.runs, *alternative.pieces)
        }
        return sorted(needles, key=lambda needle: (-len(needle), needle))

    @property
    def relaxed_pieces(self):
        """The pieces of the words as typed (no synonyms)."""
        return list(dict.fromkeys(p for term in self.terms for p in term.alternatives[0].pieces))

    @property
    def relaxed_alternatives(self):
        """What may match when relaxed, any one of them: each piece as typed, or a synonym of
        a term whole (all its pieces), so 社保 also finds 社会保障 but never 社会 or 保障 alone."""
        typed = [(piece,) for piece in self.relaxed_pieces]
        synonyms = [a.pieces for term in self.terms for a in term.alternatives[1:]]
        return list(dict.fromkeys([*typed, *synonyms]))


def document_number_key(text):
    """发文字号 in one spelling: folded, no spaces, year in 〔〕 whatever brackets were typed."""
    folded = SPACES.sub("", fold(text))
    return DOCUMENT_NUMBER_BRACKETS.sub(r"〔\1〕", folded)


def analyse(text, synonyms=None):
    """Turn what a citizen typed into a QueryPlan, expanding synonyms (see search.synonyms)."""
    terms = []
    for raw in SPACES.split(fold(text).strip()):
        alternatives = []
        for variant in synonyms.variants(raw) if synonyms else [raw]:
            alternative = Alternative.of(variant)
            if alternative and alternative not in alternatives:
                alternatives.append(alternative)
        if alternatives:
            terms.append(Term(tuple(alternatives)))
    return QueryPlan(tuple(terms), document_number_key(text))
