"""Recount a ballot from its stored votes and compare with the published result.

    python manage.py recount_ballot <ballot id>

Exit status 0 when the recount matches the published result, 1 on any difference, 2 for a ballot that cannot
be recounted (unknown, or still open: nobody reads results while the ballot is open).
"""

from django.core.management.base import BaseCommand

from voting.models import Ballot
from voting.services.ballots import ballot_recount


class Command(BaseCommand):
    help = "按已存储的选票重新计票，并与公布结果核对。Recount a ballot and compare with the published result."

    def add_arguments(self, parser):
        parser.add_argument("ballot_id", type=int)

    def handle(self, *args, ballot_id: int, **options):
        ballot = Ballot.objects.filter(pk=ballot_id).first()
        if ballot is None:
            self.stderr.write(f"表决 {ballot_id} 不存在。")
            raise SystemExit(2)
        if ballot.status in (Ballot.Status.DRAFT, Ballot.Status.OPEN):
            self.stderr.write(f"表决 {ballot_id} 尚未结束（{ballot.get_status_display()}），不能计票。")
            raise SystemExit(2)
        tally, diffs = ballot_recount(ballot_id=ballot.pk)
        self.stdout.write(f"{ballot.title}  [{ballot.get_status_display()}]")
        self.stdout.write(
            f"应到 roll {tally.roll_size}  实到 present {tally.present}  投票 voted {tally.voted}  "
            f"quorum_met={tally.quorum_met}  runoff_needed={tally.runoff_needed}"
        )
        for c in tally.candidates:
            mark = "当选 elected" if c.elected else ("需再次投票 run-off" if c.tied else "")
            self.stdout.write(
                f"  #{c.id} {c.title}: for {c.for_votes} / against {c.against} / abstain {c.abstain} {mark}"
            )
        if ballot.published_result is None:
            self.stdout.write("结果尚未公布，无可比对的公布结果。Not published: nothing to compare with.")
            return
        if diffs:
            self.stderr.write("重新计票与公布结果不一致 MISMATCH:")
            for d in diffs:
                self.stderr.write(f"  {d}")
            raise SystemExit(1)
        self.stdout.write(
            self.style.SUCCESS("重新计票与公布结果一致 OK: the recount matches the published result.")
        )
