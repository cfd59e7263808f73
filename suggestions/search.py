"""Chinese text search and "similar suggestions" with jieba.

The search column holds jieba's search-mode tokens of title and content, separated by spaces. On PostgreSQL
a GIN index on `to_tsvector('simple', search_text)` (migration 0002) answers token queries; the `simple`
configuration neither stems nor drops words, so a jieba token is one lexeme. On SQLite the same tokens are
matched with LIKE, which is fine at a single county's scale.
"""

import logging
import re
from functools import lru_cache

from django.db import connection
from django.db.models import Q, QuerySet

logger = logging.getLogger(__name__)

# Function words and punctuation that carry no topic; kept short on purpose.
STOPWORDS = frozenset(
    "的 了 和 与 及 是 在 有 我 我们 你 您 他 她 它 这 那 这个 那个 就 都 也 还 很 太 要 会 能 请 希望 建议 "
    "问题 反映 一个 一些 没有 不 把 被 对 给 让 从 到 为 以 之 其 等 啊 吧 呢 吗 哦 嗯 "
    "领导 相关 部门 尽快 解决 情况 目前 现在 因为 所以 但是 而且 如果".split()
)
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
MAX_QUERY_TOKENS = 8


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _clean(tokens) -> list[str]:
    out = []
    for t in tokens:
        t = t.strip().lower()
        if not t or _PUNCT.match(t) or t in STOPWORDS:
            continue
        out.append(t)
    return out


def index_text(*parts: str) -> str:
    """The search column: search-mode tokens (long words and their parts), each once, space separated."""
    text = " ".join(p for p in parts if p)
    seen: dict[str, None] = {}
    for t in _clean(_jieba().cut_for_search(text)):
        seen.setdefault(t, None)
    return " ".join(seen)


def query_tokens(q: str) -> list[str]:
    """Tokens of a user's query, in order, without duplicates; at most MAX_QUERY_TOKENS."""
    seen: dict[str, None] = {}
    for t in _clean(_jieba().cut(q or "")):
        seen.setdefault(t, None)
    return list(seen)[:MAX_QUERY_TOKENS]


def keywords(text: str, n: int = 8) -> list[str]:
    """The n most telling words of a text (TF-IDF), for finding similar suggestions."""
    from jieba import analyse

    _jieba()
    words = [w.lower() for w in analyse.extract_tags(text, topK=n * 2)]
    return [w for w in _clean(words)][:n]


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _ts_escape(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


def filter_text(qs: QuerySet, q: str) -> QuerySet:
    """Every token of `q` must occur (AND)."""
    tokens = query_tokens(q)
    if not tokens:
        return qs
    if _is_postgres():
        tsquery = " & ".join(_ts_escape(t) for t in tokens)
        return qs.extra(
            where=["to_tsvector('simple', suggestions_suggestion.search_text) @@ to_tsquery('simple', %s)"],
            params=[tsquery],
        )
    cond = Q()
    for t in tokens:
        cond &= Q(search_text__contains=t)
    return qs.filter(cond)


def filter_any(qs: QuerySet, tokens: list[str]) -> QuerySet:
    """At least one of `tokens` occurs (OR): the candidate set for similarity ranking."""
    if not tokens:
        return qs.none()
    if _is_postgres():
        tsquery = " | ".join(_ts_escape(t) for t in tokens)
        return qs.extra(
            where=["to_tsvector('simple', suggestions_suggestion.search_text) @@ to_tsquery('simple', %s)"],
            params=[tsquery],
        )
    cond = Q()
    for t in tokens:
        cond |= Q(search_text__contains=t)
    return qs.filter(cond)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def signature(title: str, content: str, search_text: str) -> set[str]:
    """What similarity compares: the jieba tokens plus the single Chinese characters of the text.

    Characters catch paraphrases that share no word (照明灯/路灯, 停水/自来水); measured on hand-written
    paraphrases this ranks better than tokens alone (see bench/README.md, Suggestions).
    """
    return set(search_text.split()) | set(_CJK.findall(f"{title}{content}"))


@lru_cache(maxsize=1)
def _idf() -> tuple[dict, float]:
    _jieba()
    from jieba import analyse

    t = analyse.default_tfidf
    return t.idf_freq, t.median_idf


def similarity(a: set[str], b: set[str]) -> float:
    """Cosine of two term sets, each term weighted by its inverse document frequency (jieba's table), so
    shared rare words count for more than shared common ones."""
    if not a or not b:
        return 0.0
    idf, median = _idf()
    w = {t: idf.get(t, median) ** 2 for t in a | b}
    shared = sum(w[t] for t in a & b)
    if not shared:
        return 0.0
    return shared / ((sum(w[t] for t in a) * sum(w[t] for t in b)) ** 0.5)
