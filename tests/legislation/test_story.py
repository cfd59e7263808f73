"""The story of issue 15 through the API: paste → split → open → public opinions and a forum → merge and
forward → report → outcomes → feedback (no personal data anywhere public) → a second stage and its diff."""

import io
import json

from openpyxl import load_workbook

from liaison.notifications.models import Notification

from .texts import REAL_SHAPED, numbered_draft

PHONE = "13812345678"
NAME = "王小明"


def _no_personal_data(response):
    body = response.content.decode()
    assert PHONE not in body and "1381234" not in body and NAME not in body


def test_the_whole_consultation(
    api, client_for, staff, point, draft_payload, django_capture_on_commit_callbacks
):
    c = client_for(staff)
    # 1. paste a 50-article draft: split correctly
    r = c.post("/api/v1/drafts/", draft_payload(50), format="json")
    assert r.status_code == 201, r.content
    draft_id = r.json()["id"]
    assert r.json()["articles"] == 50 and r.json()["status"] == "draft"
    # the draft is not public before it is opened
    assert api.get(f"/api/v1/drafts/{draft_id}/").status_code == 404
    assert c.post(f"/api/v1/drafts/{draft_id}/open/").json()["status"] == "open"
    detail = api.get(f"/api/v1/drafts/{draft_id}/").json()
    arts = detail["articles"]
    assert [a["number"] for a in arts] == list(range(1, 51))
    assert arts[9]["text"].endswith("（二）公开办事流程。") and arts[0]["chapter"].startswith("第一章")
    assert set(arts[0]) == {"id", "number", "sub", "label", "chapter", "text", "opinions"}
    a3, a7 = arts[2]["id"], arts[6]["id"]

    # 2. public opinions on two articles, one with a name and phone
    codes = []
    for article, content, extra in [
        (a3, "第三条的职责应当写明由社区居委会负责。", {"name": NAME, "phone": PHONE}),
        (a3, "建议第三条明确由社区居委会负责落实这项职责。", {}),
        (a7, "第七条应增加对老年人的上门服务。", {}),
    ]:
        r = api.post(
            f"/api/v1/drafts/{draft_id}/opinions/",
            {"article": article, "content": content, **extra},
            format="json",
        )
        assert r.status_code == 201, r.content
        assert set(r.json()) == {"tracking_code"}
        codes.append(r.json()["tracking_code"])
    # a forum with three opinions, entered by staff
    r = c.post(
        "/api/v1/forums/",
        {
            "draft": draft_id,
            "station": point.pk,
            "held_on": detail["opens_on"],
            "attendance": 18,
            "place": "城关街道会议室",
            "opinions": [
                {"article": a7, "content": "第七条应当增加上门服务老年人的内容。"},
                {"article": a3, "content": "第三条职责主体不清。"},
                {"content": "草案整体应当增加法律责任一章。"},
            ],
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    forum_ids = r.json()["opinions"]
    assert len(forum_ids) == 3

    # 3. compilation: similar ones grouped; merge the duplicate and forward
    comp = c.get(f"/api/v1/drafts/{draft_id}/compilation/").json()
    by_label = {x["label"]: x for x in comp["articles"]}
    assert set(by_label) == {"第三条", "第七条", None}
    groups3 = by_label["第三条"]["groups"]
    assert len(groups3[0]) == 2  # the two 居委会 opinions side by side
    first, dup = groups3[0][0]["id"], groups3[0][1]["id"]
    assert (
        c.post(f"/api/v1/legislative-opinions/{dup}/merge/", {"into": first}, format="json").status_code
        == 200
    )
    seventh = [o["id"] for g in by_label["第七条"]["groups"] for o in g]
    assert len(seventh) == 2
    assert (
        c.post(
            f"/api/v1/legislative-opinions/{seventh[1]}/merge/", {"into": seventh[0]}, format="json"
        ).status_code
        == 200
    )
    for pk in (first, seventh[0], forum_ids[2]):
        assert c.post(f"/api/v1/legislative-opinions/{pk}/forward/").json()["status"] == "forwarded"

    # 4. closed and reported; the report groups the forwarded ones by article, counts per source
    assert c.post(f"/api/v1/drafts/{draft_id}/close/").json()["status"] == "closed"
    assert (
        api.post(f"/api/v1/drafts/{draft_id}/opinions/", {"content": "晚了"}, format="json").status_code
        == 409
    )
    assert c.post(f"/api/v1/drafts/{draft_id}/report/").json()["status"] == "reported"
    rep = c.get(f"/api/v1/drafts/{draft_id}/report/").json()
    assert [x["label"] for x in rep["articles"]] == ["第三条", "第七条", None]
    assert rep["sources"]["public"] == 2 and rep["sources"]["forum"] == 1
    assert rep["articles"][0]["opinions"][0]["merged"] == 1
    _no_personal_data(c.get(f"/api/v1/drafts/{draft_id}/report/"))
    xlsx = c.get(f"/api/v1/drafts/{draft_id}/report/?file=xlsx")
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    cells = [str(v) for row in wb.active.iter_rows(values_only=True) for v in row if v is not None]
    assert any("居委会" in v for v in cells) and PHONE not in "".join(cells) and NAME not in "".join(cells)

    # 5. outcomes; feedback published; the submitter who left a phone is told
    assert (
        c.post(
            f"/api/v1/legislative-opinions/{first}/outcome/",
            {"outcome": "adopted", "note": "已修改第三条"},
            format="json",
        ).status_code
        == 200
    )
    assert (
        c.post(
            f"/api/v1/legislative-opinions/{seventh[0]}/outcome/", {"outcome": "partly"}, format="json"
        ).status_code
        == 200
    )
    assert c.post(f"/api/v1/drafts/{draft_id}/publish-feedback/").status_code == 409  # one outcome missing
    c.post(f"/api/v1/legislative-opinions/{forum_ids[2]}/outcome/", {"outcome": "not_adopted"}, format="json")
    with django_capture_on_commit_callbacks(execute=False):
        assert c.post(f"/api/v1/drafts/{draft_id}/publish-feedback/").json()["status"] == "feedback_published"
    sms = Notification.objects.filter(kind="legislation_feedback")
    assert [n.address for n in sms] == [PHONE]
    fb = api.get(f"/api/v1/drafts/{draft_id}/feedback/")
    _no_personal_data(fb)
    fb = fb.json()
    row3 = next(a for a in fb["articles"] if a["label"] == "第三条")
    assert (row3["received"], row3["forwarded"], row3["adopted"]) == (3, 1, 1)
    assert fb["total"] == {"received": 6, "forwarded": 3, "adopted": 2}
    # each submitter sees the outcome: the merged duplicate follows the opinion it was merged into
    for code in codes[:2]:
        t = api.get(f"/api/v1/legislative-opinions/track/{code}/")
        _no_personal_data(t)
        assert t.json()["outcome"] == "adopted" and t.json()["outcome_note"] == "已修改第三条"
    for path in (f"/api/v1/drafts/{draft_id}/", "/api/v1/drafts/"):
        _no_personal_data(api.get(path))

    # 6. a second stage: article 3 changed, article 51 added; the diff shows the change and the opinions
    changed = {3: "社区居民委员会应当履行第3项职责，保障居民的合法权益。"}
    r = c.post(
        "/api/v1/drafts/",
        draft_payload(51, stage="二审稿", previous=draft_id, text=numbered_draft(51, changed=changed)),
        format="json",
    )
    assert r.status_code == 201, r.content
    second = r.json()["id"]
    assert r.json()["previous_id"] == draft_id
    c.post(f"/api/v1/drafts/{second}/open/")
    d = api.get(f"/api/v1/drafts/{second}/diff/")
    _no_personal_data(d)
    rows = {x["label"]: x for x in d.json()["articles"]}
    assert rows["第三条"]["change"] == "changed"
    assert [o["content"] for o in rows["第三条"]["forwarded_opinions"]] == [
        "第三条的职责应当写明由社区居委会负责。"
    ]
    assert rows["第三条"]["forwarded_opinions"][0]["outcome"] == "adopted"
    assert {"op": "+", "text": "居民委员会"} in rows["第三条"]["words"] or any(
        w["op"] == "+" for w in rows["第三条"]["words"]
    )
    assert rows["第五十一条"]["change"] == "added" and rows["第七条"]["change"] == "same"
    assert rows["第七条"]["forwarded_opinions"] == []
    json.dumps(d.json())


def test_real_shaped_text_through_the_api(client_for, staff, draft_payload):
    r = client_for(staff).post("/api/v1/drafts/", draft_payload(text=REAL_SHAPED), format="json")
    assert r.status_code == 201
    d = client_for(staff).get(f"/api/v1/drafts/{r.json()['id']}/").json()
    assert [a["label"] for a in d["articles"]][3:5] == ["第三条之一", "第三条之二"]
    assert d["preamble"] == "商洛市物业管理条例（草案征求意见稿）"
