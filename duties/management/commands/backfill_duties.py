import sys

from django.core.management.base import BaseCommand

from duties.backfill import backfill
from duties.tally import tallies_rebuild


class Command(BaseCommand):
    help = "从已有数据生成代表履职记录（可重复运行）/ Build the duty ledger from existing data (idempotent)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild-tallies",
            action="store_true",
            help="只按履职记录重算全部履职计数 / Only recompute every year's tallies from the ledger",
        )

    def handle(self, *args, **options):
        if options["rebuild_tallies"]:
            rows = tallies_rebuild()
            self.stdout.write(f"backfill_duties: {rows} tallies rebuilt from the ledger")
            return
        tty = sys.stdout.isatty()

        def progress(name: str, done: int, total: int) -> None:
            width = 30
            filled = width * done // total if total else width
            line = f"{name:<18} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
            if tty:
                self.stdout.write("\r" + line, ending="" if done < total else "\n")
            elif done == total:
                self.stdout.write(line)

        made = backfill(progress=progress)
        self.stdout.write(f"backfill_duties: {sum(made.values())} new entries " + str(made))
