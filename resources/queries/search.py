"""The library's French full-text search.

PostgreSQL: the ``search_vector`` column (title weight A, summary B, body C, text search configuration
``french_unaccent`` = French stemming over unaccented words, see migration 0002) matched with a
``websearch`` query of the same configuration and ranked by ``SearchRank``: « demarche » finds
« démarches administratives », « sécurité » finds « securite », a word in the title ranks above the same
word in the body. SQLite (the embedded default of ``make run``): every accent-free word must appear in
``search_text``.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import F

from territories.text import normalize

CONFIG = "french_unaccent"
MAX_WORDS = 8
MAX_LENGTH = 200


def ranks_by_relevance(queryset):
    """Whether ``search`` orders ``queryset``'s matches by relevance (PostgreSQL) or leaves its order."""
    return connections[queryset.db].vendor == "postgresql"


def search(queryset, text):
    """``queryset`` narrowed to the resources matching ``text``, best match first (PostgreSQL) or in its
    own order (SQLite)."""
    text = (text or "").replace("\x00", "")[:MAX_LENGTH]
    words = normalize(text).split()[:MAX_WORDS]
    if not words:
        return queryset
    if ranks_by_relevance(queryset):
        query = SearchQuery(" ".join(words), config=CONFIG, search_type="websearch")
        return (
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at", "-pk")
        )
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset
