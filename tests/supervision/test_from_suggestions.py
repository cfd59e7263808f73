"""Staff raise a supervision topic from a cluster of similar opinions; the opinions' tracking side can list it."""

import pytest

from supervision.models import Topic
from supervision.selectors import topics_for_suggestion

pytestmark = pytest.mark.django_db


def _submit(tree, title):
    from suggestions.services.intake import suggestion_submit

    return suggestion_submit(title=title, content="晚上路灯经常不亮，行人摔倒。", area=tree.village)


def test_topic_from_a_cluster_of_suggestions(tree, staff, other_staff, client_for, api):
    a, b = _submit(tree, "东关社区路灯不亮"), _submit(tree, "北新街路灯坏了")
    body = {"title": "城区路灯维护不到位", "description": "多条群众意见反映", "suggestions": [a.pk, b.pk]}

    # another county's staff cannot see these suggestions: 404, nothing created
    assert (
        client_for(other_staff).post("/api/v1/topics/from-suggestions/", body, format="json").status_code
        == 404
    )
    assert (
        client_for(staff)
        .post("/api/v1/topics/from-suggestions/", {**body, "suggestions": []}, format="json")
        .status_code
        == 400
    )
    assert (
        client_for(staff)
        .post("/api/v1/topics/from-suggestions/", {**body, "suggestions": [a.pk, 999999]}, format="json")
        .status_code
        == 404
    )
    assert not Topic.objects.exists()

    r = client_for(staff).post("/api/v1/topics/from-suggestions/", body, format="json")
    assert r.status_code == 201 and r.json()["status"] == "proposed"
    topic = Topic.objects.get(pk=r.json()["id"])
    assert topic.proposer_kind == "staff" and topic.area == tree.county
    assert set(topic.suggestions.all()) == {a, b}
    assert [t.title for t in topics_for_suggestion(a.pk)] == ["城区路灯维护不到位"]
    assert list(topics_for_suggestion(_submit(tree, "无关").pk)) == []
    # the public topic page says how many opinions fed it, without showing them
    html = api.get(f"/supervision/topics/{topic.pk}/").content.decode()
    assert "本议题由2条群众意见建议汇集而成" in html and "东关社区路灯不亮" not in html


def test_submitters_see_on_their_tracking_page_that_their_opinion_fed_a_topic(tree, staff, client_for, api):
    a, b = _submit(tree, "东关社区路灯不亮"), _submit(tree, "北新街路灯坏了")
    unrelated = _submit(tree, "公交站台缺少遮雨棚")
    body = {"title": "城区路灯维护不到位", "description": "多条群众意见反映", "suggestions": [a.pk, b.pk]}
    assert client_for(staff).post("/api/v1/topics/from-suggestions/", body, format="json").status_code == 201

    track = api.get(f"/api/v1/track/{a.tracking_code}/").json()
    assert [t["title"] for t in track["topics"]] == ["城区路灯维护不到位"]
    assert api.get(f"/api/v1/track/{unrelated.tracking_code}/").json()["topics"] == []
    page = api.get(f"/track/{b.tracking_code}/").content.decode()
    assert "城区路灯维护不到位" in page and "已被纳入人大监督议题" in page
    assert "已被纳入人大监督议题" not in api.get(f"/track/{unrelated.tracking_code}/").content.decode()
