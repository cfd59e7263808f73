"""Similar opinions grouped, with the similarity the suggestions app ranks by (suggestions.search): the
idf-weighted cosine of jieba tokens, Chinese characters and bigrams. suggestions.search takes any text, so it
is reused here as it is."""

from collections.abc import Callable, Sequence
from typing import TypeVar

from suggestions import search

T = TypeVar("T")
THRESHOLD = 0.4  # measured on paraphrased opinions: 0.42–0.7 within a topic, ≤ 0.06 across


def signature(text: str) -> set[str]:
    return search.signature("", text, search.index_text(text))


def group_similar(
    items: Sequence[T], *, text: Callable[[T], str] = lambda o: o.content, threshold: float | None = None
) -> list[list[T]]:
    """Greedy single-pass grouping in the given order: each item joins the first group whose first item is at
    least `threshold` similar, or starts a new one. Groups keep the order of their first item."""
    threshold = THRESHOLD if threshold is None else threshold
    groups: list[tuple[set[str], list[T]]] = []
    for item in items:
        sig = signature(text(item))
        for head, members in groups:
            if search.similarity(sig, head) >= threshold:
                members.append(item)
                break
        else:
            groups.append((sig, [item]))
    return [members for _head, members in groups]
