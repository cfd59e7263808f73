import io

import pytest
from django.apps import apps

from liaison.accounts.models import User
from stations.models import Delegate
from tests.factories import DelegateFactory, UserFactory
from voting.models import Ballot, BallotPaper, LivelihoodProject, ProjectProposal

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(tree, unit, admin_user):
    for i in range(12):
        d = DelegateFactory(level=Delegate.Level.COUNTY, area=tree.county)
        if i < 3:
            UserFactory(username=f"delegate{i + 1:02d}", role=User.Role.DELEGATE, delegate=d)
    cfg = apps.get_app_config("voting")
    cfg.seed_demo(io.StringIO())
    counts = (
        ProjectProposal.objects.count(),
        Ballot.objects.count(),
        BallotPaper.objects.count(),
        LivelihoodProject.objects.count(),
    )
    assert counts[0] == 8 and counts[1] == 2 and counts[2] > 0 and counts[3] >= 1
    assert (
        Ballot.objects.filter(status="open").count() == 1
        and Ballot.objects.filter(status="published").count() == 1
    )
    cfg.seed_demo(io.StringIO())
    assert counts == (
        ProjectProposal.objects.count(),
        Ballot.objects.count(),
        BallotPaper.objects.count(),
        LivelihoodProject.objects.count(),
    )
