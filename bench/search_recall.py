#!/usr/bin/env python3
"""Recall of the staff search (`?q=`) on the suggestions in the database (the demo data by default).

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python manage.py seed_demo
    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/search_recall.py [--query 路灯 ...]

For each query, a word a person would type into the search box, the expected hits are the suggestions whose
title or content contains it (a plain substring test in Python); the found ones are what
`suggestions.search.filter_text` returns through the database (the indexed search column). It prints, per
query, the expected and found counts, recall and precision, then the micro-averaged recall (all expected hits
together) and the macro average (the mean of the per-query recalls). Nothing is written.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    # Run as a script, this file's directory would come first on sys.path: put the project root there.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
    sys.path.insert(0, str(ROOT))

# Two-, three- and four-character words of the demo opinions' titles and texts, as people type them: some are
# jieba words of their own, many are split differently inside a longer phrase (路灯 in 东街路灯不亮, 停车 in
# 公共停车场, 道路 in 通村道路), a few are single characters.
QUERIES = [
    "路灯",
    "停车",
    "垃圾",
    "学校",
    "公交",
    "小区",
    "幼儿园",
    "医保",
    "养老",
    "养老金",
    "河道",
    "噪音",
    "施工",
    "灌溉",
    "水渠",
    "工资",
    "融资",
    "滑坡",
    "充电",
    "信号",
    "宽带",
    "红绿灯",
    "管道",
    "污水",
    "核桃",
    "香菇",
    "卫生",
    "老人",
    "公路",
    "便民",
    "公示",
    "电商",
    "贷款",
    "消防",
    "基站",
    "维修",
    "老旧小区",
    "停车场",
    "道路",
    "路面",
    "停水",
    "斑马线",
    "自来水",
    "水质",
    "电动车",
    "楼道",
    "独居",
    "门口",
    "物业",
    "塌陷",
    "路灯不亮",
    "灯",
    "水",
]


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    os.environ.setdefault("DEBUG", "True")
    import django

    django.setup()


def measure(queries: list[str]) -> list[dict]:
    from suggestions import search
    from suggestions.models import Suggestion

    texts = list(Suggestion.objects.values_list("id", "title", "content"))
    rows = []
    for q in queries:
        expected = {pk for pk, title, content in texts if q in title or q in content}
        found = set(search.filter_text(Suggestion.objects.all(), q).values_list("id", flat=True))
        hit = len(expected & found)
        rows.append(
            {
                "q": q,
                "expected": len(expected),
                "found": len(found),
                "hit": hit,
                "recall": hit / len(expected) if expected else None,
                "precision": hit / len(found) if found else None,
            }
        )
    return rows


def _pct(x) -> str:
    return "—" if x is None else f"{x:6.1%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--query", action="append", help="measure these queries instead of the built-in list")
    args = parser.parse_args()
    setup()
    from django.db import connection

    from suggestions.models import Suggestion

    rows = measure(args.query or QUERIES)
    print(f"{Suggestion.objects.count():,} suggestions on {connection.vendor}; {len(rows)} queries")
    print(f"{'query':<8} {'expected':>8} {'found':>6} {'hits':>6} {'recall':>7} {'precision':>9}")
    for r in rows:
        print(
            f"{r['q']:<8} {r['expected']:>8} {r['found']:>6} {r['hit']:>6} {_pct(r['recall']):>7} "
            f"{_pct(r['precision']):>9}"
        )
    measured = [r for r in rows if r["expected"]]
    expected = sum(r["expected"] for r in measured)
    hits = sum(r["hit"] for r in measured)
    found = sum(r["found"] for r in measured)
    print(f"queries with expected hits: {len(measured)}")
    print(f"micro recall:    {_pct(hits / expected if expected else None)} ({hits} of {expected})")
    print(
        f"macro recall:    {_pct(sum(r['recall'] for r in measured) / len(measured) if measured else None)}"
    )
    print(f"micro precision: {_pct(hits / found if found else None)} ({hits} of {found})")
    print(f"queries with full recall: {sum(r['recall'] == 1 for r in measured)} of {len(measured)}")


if __name__ == "__main__":
    main()
