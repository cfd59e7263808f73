"""Closing a ballot is a confirmation step that warns in plain words when the quorum was not met."""

import pytest

from tests.html import parse

pytestmark = pytest.mark.django_db


def test_closing_a_ballot_below_quorum_warns_in_plain_words_first(client, admin_user, make_ballot):
    from voting.models import Ballot
    from voting.services.ballots import ballot_cast

    ballot, candidates, roll = make_ballot(roll=10)
    for d in roll[:4]:
        ballot_cast(ballot_id=ballot.pk, delegate=d, choices={c.pk: "for" for c in candidates})
    client.force_login(admin_user)
    manage = parse(client.get(f"/workspace/voting/ballots/{ballot.pk}/"))
    close_url = f"/workspace/voting/ballots/{ballot.pk}/close/"
    assert manage.links()[close_url] == "结束表决"  # a link to the confirmation step, nothing closes yet

    confirm = parse(client.get(close_url))
    warning = confirm.find(".quorum-warning")
    assert warning.text == "已投票 4 人，未超过应到 10 人的半数，表决结果无效。确定结束表决？"
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.OPEN

    assert client.post(close_url).status_code == 302
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.CLOSED


def test_closing_a_ballot_with_quorum_asks_without_the_warning(client, admin_user, make_ballot):
    from voting.services.ballots import ballot_cast

    ballot, candidates, roll = make_ballot(roll=4)
    for d in roll[:3]:
        ballot_cast(ballot_id=ballot.pk, delegate=d, choices={c.pk: "for" for c in candidates})
    client.force_login(admin_user)
    confirm = parse(client.get(f"/workspace/voting/ballots/{ballot.pk}/close/"))
    assert confirm.find(".quorum-warning") is None
    assert "已投票 3 人" in confirm.find(".card").text
