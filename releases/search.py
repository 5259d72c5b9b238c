"""Full-text search of releases in PostgreSQL.

Each release stores one ``tsvector`` per language (``search_fr``, ``search_de``, ``search_en``,
``search_lb``), computed on save from that language's own title (weight A), lead (B) and body
(C, tags stripped). French, German and English use accent-insensitive stemming configurations;
Luxembourgish, which PostgreSQL cannot stem, uses ``simple_unaccent``. The configurations are
created by ``newsroom/migrations/0002_text_search_configurations.py``.

A query is parsed with ``websearch_to_tsquery`` ("quoted phrases", -excluded, or) in each
configuration and matches a release through any of its four vectors, so a French-only release is
found from the German site too (and shown in French). Results are ranked by the sum of the ranks
and shown with a ``ts_headline`` snippet of the text the reader gets.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import (
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, Concat, Left
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

#: Text search configuration per content language.
CONFIGURATIONS = {"fr": "french_unaccent", "de": "german_unaccent", "en": "english_unaccent", "lb": "simple_unaccent"}

#: Matches ranked at most: the most recent ones. Ranking reads each match's stored vectors, so a
#: common word among 100,000 releases would otherwise cost hundreds of milliseconds. The last page
#: of a search that reached it says so (``releases.views.release_list_context``).
MAX_RANKED = 300

#: Characters of a body (tags stripped) a search snippet is drawn from, after the lead: ``ts_headline``
#: parses all the text it is given (0.7 ms for a 5,000-character body, 0.25 ms for 1,500), and a
#: release says what it is about in its lead and first paragraphs.
HEADLINE_BODY_CHARACTERS = 1500

#: Longest query kept; the rest is cut (a 10,000-character query still gets an answer).
MAX_QUERY_LENGTH = 200

START, STOP = "\x02", "\x03"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_query(text: str) -> str:
    """Remove control characters (PostgreSQL refuses NUL), squeeze spaces and cut to a sane length."""
    text = _CONTROL.sub(" ", text or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def _strip_tags(expression):
    return Func(
        expression, Value(r"<[^>]+>"), Value(" "), Value("g"), function="regexp_replace", output_field=TextField()
    )


def _text(field: str):
    return Coalesce(F(field), Value(""), output_field=TextField())


def vector_for(code: str) -> SearchVector:
    """The weighted vector of a release in language ``code`` (empty when not translated)."""
    config = CONFIGURATIONS[code]
    return (
        SearchVector(_text(f"title_{code}"), config=config, weight="A")
        + SearchVector(_text(f"lead_{code}"), config=config, weight="B")
        + SearchVector(_strip_tags(_text(f"body_{code}")), config=config, weight="C")
    )


def update_search_vectors(queryset: QuerySet) -> int:
    """Recompute the stored vectors of every release in ``queryset`` (derived data, one UPDATE)."""
    return queryset.update(**{f"search_{code}": vector_for(code) for code in CONFIGURATIONS})


def _query(text: str, code: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=CONFIGURATIONS[code])


def search_releases(queryset: QuerySet, text: str) -> QuerySet:
    """Releases of ``queryset`` matching ``text`` in any language, with a ``rank`` annotation.

    The GIN indexes find every match cheaply; only the ``MAX_RANKED`` most recent matches are ranked.
    """
    matches = Q()
    rank = None
    for code in CONFIGURATIONS:
        query = _query(text, code)
        matches |= Q(**{f"search_{code}": query})
        term = Coalesce(SearchRank(F(f"search_{code}"), query), Value(0.0), output_field=FloatField())
        rank = term if rank is None else rank + term
    # The planner picks the path from the statistics of the vectors: a rare word is found through the
    # GIN indexes (a bitmap scan, then a sort of the few matches); a common one by walking the date
    # index newest first and stopping at the MAX_RANKED-th match (at 100,000 releases: 5-50 ms where
    # forcing the bitmap scan cost 450-500 ms and read the whole table). Never a sequential scan.
    recent = queryset.filter(matches).order_by("-publish_at", "-id").values("pk")[:MAX_RANKED]
    return queryset.filter(pk__in=recent).annotate(rank=rank)


def headline_of(code: str, text: str) -> SearchHeadline:
    """A snippet of a release's text in language ``code``, the terms of ``text`` between markers.

    Drawn from the lead and the beginning of the body (``HEADLINE_BODY_CHARACTERS``); a release
    matched only further down shows its opening words.
    """
    # Tags stripped from twice the length kept (markup is a fraction of a body), not the whole body.
    body = Left(_strip_tags(Left(_text(f"body_{code}"), 2 * HEADLINE_BODY_CHARACTERS)), HEADLINE_BODY_CHARACTERS)
    return SearchHeadline(
        Concat(_text(f"lead_{code}"), Value(" "), body, output_field=TextField()),
        _query(text, code),
        config=CONFIGURATIONS[code],
        start_sel=START,
        stop_sel=STOP,
        max_words=35,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def render_headline(raw: str | None) -> SafeString:
    """Escape a headline and turn its markers into ``<mark>``."""
    html = escape(raw or "").replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - everything but our own markers was escaped above
