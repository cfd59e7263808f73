import pytest

from liaison.accounts.models import User
from tests.factories import UserFactory
from voting.models import Vote
from voting.services.ballots import ballot_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(tree):
    return UserFactory(
        username="root", is_superuser=True, is_staff=True, role=User.Role.ADMIN, area=tree.city
    )


def test_admin_screens_load_and_secret_votes_name_nobody(client, superuser, make_ballot):
    ballot, cands, roll = make_ballot(secret=True)
    roll[0].name = "欧阳秘密"
    roll[0].save()
    ballot_cast(ballot_id=ballot.pk, delegate=roll[0], choices={c.pk: "for" for c in cands})
    client.force_login(superuser)
    for url in [
        "/admin/voting/ballot/",
        f"/admin/voting/ballot/{ballot.pk}/change/",
        "/admin/voting/ballotpaper/",
        "/admin/voting/vote/",
        "/admin/voting/projectproposal/",
        "/admin/voting/livelihoodproject/",
        "/admin/voting/proposalwindow/",
    ]:
        assert client.get(url).status_code == 200, url
    vote = Vote.objects.filter(ballot=ballot).first()
    page = client.get(f"/admin/voting/vote/{vote.pk}/change/").content.decode()
    assert "欧阳秘密" not in page and "field-paper" not in page and "id_paper" not in page
    # the turnout record names the delegate, as it must
    assert "欧阳秘密" in client.get("/admin/voting/ballotpaper/").content.decode()


def test_admin_action_opens_through_the_service(client, superuser, make_ballot):
    ballot, _, _ = make_ballot(candidates=2, seats=2, open=False)
    client.force_login(superuser)
    r = client.post(
        "/admin/voting/ballot/", {"action": "open_ballots", "_selected_action": [ballot.pk]}, follow=True
    )
    assert "差额" in r.content.decode()
    ballot.refresh_from_db()
    assert ballot.status == "draft"
