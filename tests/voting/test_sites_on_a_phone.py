"""On a phone (390 px wide), a project's sites table keeps its names readable: they do not break into one
character per line, and the page does not scroll sideways."""

import datetime as dt

import pytest

from voting.services.ballots import ballot_cast, ballot_close, ballot_publish
from voting.services.projects import project_create, site_add, site_assign_leads

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "商州区城关街道东关社区老旧小区加装电梯点位"


def test_sites_table_names_stay_readable_on_a_phone(page, make_ballot, unit):
    ballot, cands, roll = make_ballot(roll=16)
    for d in roll[:12]:
        ballot_cast(
            ballot_id=ballot.pk,
            delegate=d,
            choices={cands[0].pk: "for", cands[1].pk: "against", cands[2].pk: "abstain"},
        )
    ballot_close(ballot_id=ballot.pk)
    ballot_publish(ballot_id=ballot.pk)
    project = project_create(
        candidate_id=cands[0].pk,
        unit=unit,
        budget=200,
        target_date=dt.date(2027, 6, 30),
        lead_delegates=roll,
    )
    for i in range(3):  # a site led by the whole group of delegates, as in the 幸福账单 of a county
        site = site_add(project_id=project.pk, name=f"{NAME}{i + 1}")
        site_assign_leads(site_id=site.pk, delegates=[d.pk for d in roll])

    page.goto(f"/projects/{project.pk}/")
    name_cell = page.locator("td", has_text=f"{NAME}1")
    font = float(name_cell.evaluate("td => getComputedStyle(td).fontSize").removesuffix("px"))
    box = name_cell.bounding_box()
    assert box["width"] >= 12 * font  # a name reads on a line or two, not one character per line
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
