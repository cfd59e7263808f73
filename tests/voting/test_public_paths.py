"""The 群众提 step and the results are reachable from where people look: the menu, the 幸福账单, the lists.
And a proposal answered with a redirect to its result page (post/redirect/get)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.html import parse
from voting.models import ProjectProposal, ProposalWindow
from voting.services.proposals import proposal_shortlist, proposal_submit

pytestmark = pytest.mark.django_db

NEW, LIST, RESULTS = "/proposals/new/", "/proposals/", "/ballots/"


@pytest.mark.parametrize("url", ["/", "/delegates/", "/suggest/", "/projects/", "/supervision/"])
def test_the_menu_leads_to_proposing_a_project_and_to_the_results(client, tree, url):
    nav = parse(client.get(url)).find("nav.site-nav")
    links = nav.links()
    assert links[NEW] == "我要提项目"
    assert links[RESULTS] == "票决结果"


def test_bill_page_offers_proposing_with_the_open_windows_dates(client, tree, window):
    page = parse(client.get("/projects/"))
    box = page.find("#propose")
    assert box.links()[NEW] == "我要提项目"
    assert f"{window.opens_on:%Y-%m-%d} 至 {window.closes_on:%Y-%m-%d}" in box.text
    assert "商州区" in box.text
    sub = page.find("nav.section-nav").links()
    assert {LIST, NEW, RESULTS, "/projects/"} <= set(sub)


def test_bill_page_says_when_collection_has_not_started(client, tree):
    box = parse(client.get("/projects/")).find("#propose")
    assert "征集尚未开始" in box.text
    assert NEW not in box.links()
    today = timezone.localdate()
    ProposalWindow.objects.create(
        area=tree.county,
        year=today.year + 1,
        opens_on=today + dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=40),
    )
    box = parse(client.get("/projects/")).find("#propose")
    assert "征集尚未开始" in box.text
    assert f"{today + dt.timedelta(days=10):%Y-%m-%d}" in box.text


def test_public_proposal_list_shows_each_status_and_links_on(client, tree, window):
    shortlisted = proposal_shortlist(
        proposal_id=proposal_submit(title="老旧小区加装电梯", description="…", area=tree.township).pk
    )
    submitted = proposal_submit(title="农村饮水安全提升", description="…", area=tree.township)
    page = parse(client.get(LIST))
    rows = {li.find("a").text: li.find(".tag").text for li in page.find_all("ul.proposal-list li")}
    assert rows == {shortlisted.title: "已列入候选", submitted.title: "待筛选"}
    assert {NEW, RESULTS} <= set(page.find("nav.section-nav").links())


def test_a_proposal_redirects_to_its_result_page(client, tree, window):
    r = client.post(
        NEW,
        {"title": "修缮村道", "description": "村道坑洼", "area": tree.township.pk, "phone": "13812341234"},
    )
    p = ProjectProposal.objects.get()
    assert r.status_code == 303 and r["Location"] == reverse("voting:proposal-done", args=[p.code])
    done = client.get(r["Location"])
    assert parse(done).find(".big-code").text == p.code
    assert "13812341234" not in done.content.decode()
    assert ProjectProposal.objects.count() == 1
    assert client.get(reverse("voting:proposal-done", args=["NOSUCH12"])).status_code == 404
