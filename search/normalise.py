"""One spelling for what a citizen typed, so that counts and best-bet triggers compare alike.

「社保 5G」, 「 社保　　５Ｇ 」 and 「社保 5g」 are one search, and so are 社会保险 and 社會保險:
text is NFKC-normalised (full-width letters, digits and punctuation become half-width), folded
like the index folds it (traditional characters to simplified, Latin to lower case), stripped,
its runs of spaces collapsed to one, and cut to the longest query the search accepts.
"""

import unicodedata

from .chinese import fold
from .query import MAX_QUERY_LENGTH


def normalise_query(text):
    folded = fold(unicodedata.normalize("NFKC", text)).lower()
    return " ".join(folded.split())[:MAX_QUERY_LENGTH].rstrip()
