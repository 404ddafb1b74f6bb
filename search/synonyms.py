"""Synonym expansion at query time, from the groups platform admins keep (SynonymGroup).

Expanding the query rather than the index means an edited group takes effect on the next search
on every backend alike, with no reindexing, and bigram analysis never has to reason about
multi-token synonyms. A term that contains a group member (社保缴费 contains 社保) gets one
alternative per other member (社会保险缴费); the longest member found wins, so 住房公积金 is
read as itself and not as 住房 + 公积金.
"""

from django.core.cache import cache

from .chinese import fold

CACHE_KEY = "search:synonyms"


class Synonyms:
    def __init__(self, groups):
        self.members = {}
        for group in groups:
            folded = list(dict.fromkeys(fold(term) for term in group))
            for term in folded:
                self.members[term] = folded
        self.by_length = sorted(self.members, key=len, reverse=True)

    def variants(self, term):
        """`term` first, then the term with its longest member replaced by each other member."""
        for member in self.by_length:
            if member in term:
                return [term] + [
                    term.replace(member, other, 1)
                    for other in self.members[member]
                    if other != member
                ]
        return [term]


def current_synonyms():
    """The synonym groups in force, cached until a group changes (see search.signals)."""
    from .models import SynonymGroup

    groups = cache.get(CACHE_KEY)
    if groups is None:
        groups = [group.term_list() for group in SynonymGroup.objects.all()]
        cache.set(CACHE_KEY, groups, timeout=None)
    return Synonyms(groups)


def forget_synonyms():
    cache.delete(CACHE_KEY)
