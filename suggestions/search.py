"""Chinese text search and "similar suggestions" with jieba.

The search column holds, space separated and each once: jieba's search-mode tokens of title and content, and
every Chinese character and every pair of adjacent Chinese characters (bigram) of the text. jieba alone
misses words a person types when they sit inside a phrase it segments otherwise (东街路灯不亮 is
东街/路/灯不亮, so 路灯 was not found); the characters and bigrams make every word findable: a query word of
one or two characters is looked up as itself, a longer one as all of its bigrams (a jieba token of the text
may also match it whole). Words that are not Chinese (numbers, Latin letters) are matched as jieba tokens.

On PostgreSQL a GIN index on `to_tsvector('simple', search_text)` (migration 0002) answers the lookups; the
`simple` configuration neither stems nor drops words, so each token is one lexeme. On SQLite the same terms
are matched with LIKE, which is fine at a single county's scale. Changing what goes into the column means
re-indexing the rows (`manage.py reindex_search`; migration 0008 ran it).
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


_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _grams(text: str) -> list[str]:
    """Every Chinese character and every pair of adjacent ones, run by run (never across punctuation)."""
    out = []
    for run in _CJK_RUN.findall(text):
        out.extend(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def index_text(*parts: str) -> str:
    """The search column: jieba's search-mode tokens (long words and their parts), then the Chinese characters
    and bigrams (see the module docstring); each once, space separated."""
    text = " ".join(p for p in parts if p)
    seen: dict[str, None] = {}
    for t in _clean(_jieba().cut_for_search(text)):
        seen.setdefault(t, None)
    for t in _clean(_grams(text)):
        seen.setdefault(t, None)
    return " ".join(seen)


def query_tokens(q: str) -> list[str]:
    """Tokens of a user's query, in order, without duplicates; at most MAX_QUERY_TOKENS."""
    seen: dict[str, None] = {}
    for t in _clean(_jieba().cut(q or "")):
        seen.setdefault(t, None)
    return list(seen)[:MAX_QUERY_TOKENS]


def _is_cjk(token: str) -> bool:
    return all(_CJK.match(ch) for ch in token)


def token_terms(token: str) -> list[str]:
    """The index terms that must all occur for a query token to match: a Chinese word of up to two characters
    is a term itself, a longer one is its bigrams; anything else is matched as the jieba token it is."""
    if not _is_cjk(token) or len(token) <= 2:
        return [token]
    return _clean(dict.fromkeys(token[i : i + 2] for i in range(len(token) - 1))) or [token]


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


def _matching(qs: QuerySet, groups: list[list[str]], *, any_group: bool) -> QuerySet:
    """Rows where every term of one group (any_group) or of every group occurs: one indexed condition."""
    if _is_postgres():
        joiner = " | " if any_group else " & "
        tsquery = joiner.join("(" + " & ".join(_ts_escape(t) for t in g) + ")" for g in groups)
        return qs.extra(
            where=["to_tsvector('simple', suggestions_suggestion.search_text) @@ to_tsquery('simple', %s)"],
            params=[tsquery],
        )
    cond = Q(pk__in=[]) if any_group else Q()
    for g in groups:
        every = Q()
        for t in g:
            every &= Q(search_text__contains=t)
        cond = (cond | every) if any_group else (cond & every)
    return qs.filter(cond)


def filter_text(qs: QuerySet, q: str) -> QuerySet:
    """Every word of `q` must occur (AND)."""
    tokens = query_tokens(q)
    if not tokens:
        return qs
    return _matching(qs, [token_terms(t) for t in tokens], any_group=False)


def filter_any(qs: QuerySet, tokens: list[str]) -> QuerySet:
    """At least one of `tokens` occurs (OR): the candidate set for similarity ranking."""
    if not tokens:
        return qs.none()
    return _matching(qs, [token_terms(t) for t in tokens], any_group=True)


def signature(title: str, content: str, search_text: str) -> set[str]:
    """What similarity compares: the search column's terms (jieba tokens, Chinese characters and bigrams)
    plus the text's Chinese characters (stopwords included).

    Characters catch paraphrases that share no word (照明灯/路灯, 停水/自来水); measured on hand-written
    paraphrases this ranks better than tokens alone, and the bigrams change little (see bench/README.md,
    Suggestions and Search recall).
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


def reindex(model=None, *, batch_size: int = 1000) -> int:
    """Rebuild the search column of every suggestion whose column differs from what index_text() makes now;
    returns how many changed. Batches by primary key; writes only the column (no `updated_at`: the statistics
    do not count it, and no history: the history leaves it out). `model` lets a migration pass its own."""
    if model is None:
        from .models import Suggestion as model
    changed, last = 0, 0
    while True:
        rows = list(
            model.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "title", "content", "search_text")[:batch_size]
        )
        if not rows:
            return changed
        last = rows[-1].pk
        stale = []
        for row in rows:
            text = index_text(row.title, row.content)
            if text != row.search_text:
                row.search_text = text
                stale.append(row)
        model.objects.bulk_update(stale, ["search_text"], batch_size=batch_size)
        changed += len(stale)
