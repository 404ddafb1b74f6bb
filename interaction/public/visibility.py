"""Which saves of a letter can change what the public sees: those of a letter that is published,
or was and has been withdrawn. Only these retire cached pages and touch the search index."""

from ..models import Publication

SEEN_IN_PUBLIC = frozenset({Publication.PUBLISHED, Publication.WITHDRAWN})


def shows_in_public(letter):
    return letter.publication in SEEN_IN_PUBLIC
