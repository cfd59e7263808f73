"""The public diff of two stages of a law, article by article, word by word (jieba words), with the opinions
forwarded on the earlier stage beside each changed article.

Articles are paired by their number (第X条 / 第X条之Y): what a reader of both texts compares. An article only
in the later stage is `added`, only in the earlier one `removed`."""

import difflib
from dataclasses import dataclass, field

from suggestions.search import _jieba

from .models import Article, Draft, Opinion


@dataclass
class ArticleDiff:
    key: tuple[int, int]
    label: str
    change: str  # added / removed / changed / same
    before: str
    after: str
    chapter: str = ""
    words: list[tuple[str, str]] = field(default_factory=list)  # (op, text): op in "", "+", "-"
    forwarded_opinions: list[Opinion] = field(default_factory=list)


def _tokens(text: str) -> list[str]:
    return list(_jieba().cut(text))


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """(op, text) runs: "" unchanged, "-" removed, "+" added; adjacent runs of one op joined."""
    a, b = _tokens(before), _tokens(after)
    out: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("", "".join(a[i1:i2]))
        else:
            add("-", "".join(a[i1:i2]))
            add("+", "".join(b[j1:j2]))
    return out


def draft_diff(draft: Draft) -> list[ArticleDiff]:
    """The diff of `draft` against its previous stage; empty without one. Three queries."""
    previous = draft.previous
    if previous is None:
        return []
    fields = ("id", "number", "sub", "label", "chapter", "text", "position")
    old = {a.key: a for a in Article.objects.filter(draft=previous).only(*fields)}
    new = {a.key: a for a in Article.objects.filter(draft=draft).only(*fields)}
    forwarded: dict[int, list[Opinion]] = {}
    for o in (
        Opinion.objects.filter(draft=previous, status=Opinion.Status.FORWARDED, article__isnull=False)
        .only("id", "article_id", "content", "source", "outcome")
        .order_by("id")
    ):
        forwarded.setdefault(o.article_id, []).append(o)
    out = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        before, after = (a.text if a else ""), (b.text if b else "")
        if a is None:
            change = "added"
        elif b is None:
            change = "removed"
        else:
            change = "same" if before == after else "changed"
        out.append(
            ArticleDiff(
                key=key,
                label=(b or a).label,
                chapter=(b or a).chapter,
                change=change,
                before=before,
                after=after,
                words=word_diff(before, after) if change == "changed" else [],
                forwarded_opinions=forwarded.get(a.pk, []) if a is not None and change != "same" else [],
            )
        )
    return out
