"""The pages: a constituent comments on an article from the draft page and follows it; staff paste, correct,
open, compile, report and publish; an information officer records a forum."""

import re

import pytest
from django.test import Client

from legislation.models import Article, Draft, Forum, Opinion

from .texts import REAL_SHAPED

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_constituent_comments_on_an_article_and_tracks_it(client, open_draft):
    draft_id = open_draft["id"]
    article = open_draft["articles"][4]
    page = client.get(f"/legislation/drafts/{draft_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert article["text"] in html and 'name="website"' in html
    comment_url = f"/legislation/drafts/{draft_id}/articles/{article['id']}/"
    assert comment_url in html
    form_page = client.get(comment_url).content.decode()
    assert article["text"] in form_page and f'name="article" value="{article["id"]}"' in form_page
    # an invalid submission comes back on the article's page, the text kept
    r = client.post(
        f"/legislation/drafts/{draft_id}/opinions/", {"article": article["id"], "content": "好", "phone": "1"}
    )
    assert (
        r.status_code == 400
        and article["text"] in r.content.decode()
        and ">好</textarea>" in r.content.decode()
    )
    r = client.post(
        f"/legislation/drafts/{draft_id}/opinions/",
        {
            "article": article["id"],
            "content": "第五条应写明服务时限。",
            "name": "刘一",
            "phone": "13900001111",
        },
    )
    assert r.status_code == 303
    code = r["Location"].rstrip("/").split("/")[-1]
    o = Opinion.objects.get(tracking_code=code)
    assert (o.article_id, o.phone, o.source) == (article["id"], "13900001111", "public")
    t = client.get(r["Location"]).content.decode()
    assert code in t and "第五条应写明服务时限。" in t and "刘一" not in t and "13900001111" not in t
    # the count shows on the draft page, never the name
    html = client.get(f"/legislation/drafts/{draft_id}/").content.decode()
    assert "刘一" not in html and "意见 1" in html
    # the lookup form leads to the same page
    r = client.post("/legislation/track/", {"code": code.lower()})
    assert r.status_code == 303
    assert client.get(r["Location"]).status_code == 200


def test_bad_opinions_change_nothing(client, open_draft, other_staff, client_for, draft_payload):
    draft_id = open_draft["id"]
    url = f"/legislation/drafts/{draft_id}/opinions/"
    assert client.post(url, {"content": ""}).status_code == 400
    assert client.post(url, {"content": "长" * 2001}).status_code == 400
    assert client.post(url, {"content": "好", "phone": "12345"}).status_code == 400
    assert client.post(url, {"content": "好", "website": "http://spam"}).status_code == 400
    # another draft's article
    other = (
        client_for(other_staff).post("/api/v1/drafts/", draft_payload(3, stations=[]), format="json").json()
    )
    foreign = Article.objects.filter(draft_id=other["id"]).first().pk
    assert client.post(url, {"content": "好", "article": foreign}).status_code == 400
    # a draft not yet open is not there
    assert client.post(f"/legislation/drafts/{other['id']}/opinions/", {"content": "好"}).status_code == 404
    assert Opinion.objects.count() == 0


def test_public_opinions_are_rate_limited(client, open_draft, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "legislative_opinion": "2/h"}
    url = f"/legislation/drafts/{open_draft['id']}/opinions/"
    assert [client.post(url, {"content": f"意见{i}"}).status_code for i in range(3)] == [303, 303, 429]
    assert Opinion.objects.count() == 2


def test_staff_paste_correct_open_compile_report_publish(staff, point):
    c = _login(staff)
    assert c.get("/workspace/legislation/").status_code == 200
    assert c.get("/workspace/legislation/new/").status_code == 200
    r = c.post(
        "/workspace/legislation/new/",
        {
            "title": "商洛市物业管理条例（草案）",
            "issuer": "市人大常委会法工委",
            "stage": "一审稿",
            "opens_on": "2026-12-01",
            "closes_on": "2026-12-31",
            "stations": [str(point.pk)],
            "text": REAL_SHAPED,
        },
    )
    assert r.status_code == 303
    draft = Draft.objects.get()
    assert draft.articles.count() == 9 and list(draft.stations.all()) == [point]
    manage = f"/workspace/legislation/drafts/{draft.pk}/"
    assert "第三条之一" in c.get(manage).content.decode()
    # correct one article, then the whole text
    a = draft.articles.get(label="第七条")
    assert (
        c.post(
            f"/workspace/legislation/articles/{a.pk}/",
            {"chapter": a.chapter, "text": "本条例自公布之日起施行。"},
        ).status_code
        == 303
    )
    assert Article.objects.get(pk=a.pk).text == "本条例自公布之日起施行。"
    r = c.post(
        f"/workspace/legislation/drafts/{draft.pk}/resplit/", {"text": REAL_SHAPED + "第八条　附加条款。"}
    )
    assert r.status_code == 303 and draft.articles.count() == 10
    assert c.post(f"/workspace/legislation/drafts/{draft.pk}/move/", {"action": "open"}).status_code == 303
    # after opening the text can no longer change
    assert (
        c.post(f"/workspace/legislation/drafts/{draft.pk}/resplit/", {"text": "第一条 改。"}).status_code
        == 409
    )
    anon = Client()
    art = draft.articles.get(label="第四条")
    for text in ("第四条应当包括共有部分的所有权人。", "建议第四条写明共有部分所有权人也是业主。"):
        assert (
            anon.post(
                f"/legislation/drafts/{draft.pk}/opinions/", {"article": art.pk, "content": text}
            ).status_code
            == 303
        )
    page = c.get(f"/workspace/legislation/drafts/{draft.pk}/compile/").content.decode()
    ids = [int(x) for x in re.findall(r'data-opinion="(\d+)"', page)]
    assert len(ids) == 2 and "合并到本组第一条" in page
    act = "/workspace/legislation/opinions/{}/act/"
    assert c.post(act.format(ids[1]), {"action": "merge", "into": ids[0]}).status_code == 303
    assert c.post(act.format(ids[0]), {"action": "forward"}).status_code == 303
    c.post(f"/workspace/legislation/drafts/{draft.pk}/move/", {"action": "close"})
    assert c.post(f"/workspace/legislation/drafts/{draft.pk}/move/", {"action": "report"}).status_code == 303
    report = c.get(f"/workspace/legislation/drafts/{draft.pk}/report/")
    assert "第四条应当包括共有部分的所有权人。" in report.content.decode()
    assert c.get(f"/workspace/legislation/drafts/{draft.pk}/report/?file=xlsx").status_code == 200
    assert (
        c.post(act.format(ids[0]), {"action": "outcome", "outcome": "adopted", "note": "已采纳"}).status_code
        == 303
    )
    assert c.post(f"/workspace/legislation/drafts/{draft.pk}/move/", {"action": "publish"}).status_code == 303
    fb = anon.get(f"/legislation/drafts/{draft.pk}/feedback/").content.decode()
    assert "第四条" in fb
    # a new stage from the manage page
    assert c.get(f"/workspace/legislation/new/?previous={draft.pk}").status_code == 200


def test_informant_records_a_forum_at_their_point(informant, open_draft, point, other_point):
    c = _login(informant)
    assert c.get("/workspace/legislation/").status_code == 200
    url = f"/workspace/legislation/drafts/{open_draft['id']}/forum/"
    assert c.get(url).status_code == 200
    body = {
        "station": str(point.pk),
        "held_on": "2026-12-02",
        "place": "社区活动室",
        "attendance": "15",
        "opinions": "第三条：建议增加社区参与。\n第二十条之一：不存在的条。",
    }
    r = c.post(url, body)
    assert (
        r.status_code == 200 and Forum.objects.count() == 0
    )  # an article the draft lacks: shown on the form
    body["opinions"] = "第三条：建议增加社区参与。\n整体上应更简明。"
    assert c.post(url, body).status_code == 303
    forum = Forum.objects.get()
    ops = list(forum.opinions.order_by("id"))
    assert [o.article.label if o.article else None for o in ops] == ["第三条", None]
    assert all(o.source == "forum" and o.station == point for o in ops)
    # another point is not theirs
    body["station"] = str(other_point.pk)
    assert c.post(url, body).status_code == 200 and Forum.objects.count() == 1
    # compile pages are staff only
    assert c.get(f"/workspace/legislation/drafts/{open_draft['id']}/compile/").status_code == 403


def test_other_area_staff_see_nothing(other_staff, open_draft):
    c = _login(other_staff)
    for url in (
        f"/workspace/legislation/drafts/{open_draft['id']}/",
        f"/workspace/legislation/drafts/{open_draft['id']}/compile/",
        f"/workspace/legislation/drafts/{open_draft['id']}/report/",
    ):
        assert c.get(url).status_code == 404
    assert (
        c.post(f"/workspace/legislation/drafts/{open_draft['id']}/move/", {"action": "close"}).status_code
        == 404
    )
    assert Draft.objects.get().status == "open"
