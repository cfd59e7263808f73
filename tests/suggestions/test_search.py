"""The staff search finds every word a person would type, however jieba happened to split the text."""

import pytest
from django.core.management import call_command

from suggestions.models import Suggestion

pytestmark = pytest.mark.django_db


def _found(client, q: str) -> set[str]:
    r = client.get("/api/v1/suggestions/", {"q": q, "page_size": 50})
    assert r.status_code == 200, r.content
    return {row["title"] for row in r.json()["results"]}


@pytest.fixture
def texts(api, station):
    for title, content in [
        ("东街路灯不亮", "东街路灯不亮已经一个月了，晚上黑灯瞎火。"),
        ("北新街停车难", "建议规划建设公共停车场，车位被长期占用。"),
        ("村道路面坑洼", "村道路面坑洼不平，雨天积水。"),
        ("自来水发黄", "这几天自来水发黄有异味。"),
    ]:
        r = api.post(
            "/api/v1/suggestions/", {"title": title, "content": content, "station": station.pk}, format="json"
        )
        assert r.status_code == 201


@pytest.mark.parametrize(
    "q, titles",
    [
        ("路灯", {"东街路灯不亮"}),  # jieba: 东街/路/灯不亮
        ("路灯不亮", {"东街路灯不亮"}),
        ("灯", {"东街路灯不亮"}),  # one character
        ("停车", {"北新街停车难"}),
        ("停车场", {"北新街停车难"}),
        ("道路", {"村道路面坑洼"}),  # jieba: 村道/路面
        ("路面", {"村道路面坑洼"}),
        ("水", {"自来水发黄", "村道路面坑洼"}),  # 积水 too
        ("东街 路灯", {"东街路灯不亮"}),  # every word must occur
        ("路灯 停车", set()),
        ("地铁", set()),
    ],
)
def test_search_finds_words_inside_run_on_phrases(client_for, staff, texts, q, titles):
    assert _found(client_for(staff), q) == titles


def test_queue_page_search_finds_them_too(client, staff, texts):
    client.force_login(staff)
    r = client.get("/workspace/suggestions/", {"q": "路灯"})
    assert [s.title for s in r.context["items"]] == ["东街路灯不亮"]


def test_reindex_command_rebuilds_rows_indexed_the_old_way(client_for, staff, texts):
    # What the search column held before: jieba's search-mode tokens only.
    Suggestion.objects.filter(title="东街路灯不亮").update(search_text="东街 路 灯不亮 已经 一个 一个月 晚上")
    assert _found(client_for(staff), "路灯") == set()
    call_command("reindex_search", verbosity=0)
    assert _found(client_for(staff), "路灯") == {"东街路灯不亮"}
