"""Recompute every monthly statistics cell from the suggestions and referrals.

Run it after a bulk import or an upgrade on a large database (the first dashboard would otherwise do it);
the nightly beat task does the same.
"""

import time

from django.core.management.base import BaseCommand

from suggestions.models import MonthlyStats, MonthlyUnitStats
from suggestions.stats import refresh


class Command(BaseCommand):
    help = "Recompute the monthly statistics cells of the suggestions dashboard."

    def handle(self, *args, **options):
        started = time.perf_counter()
        self.stdout.write("Recomputing the statistics cells…")
        done = refresh(full=True)
        if done is None:
            self.stderr.write("Another process is updating the statistics right now; try again in a minute.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{done:,} months × areas, {MonthlyStats.objects.count():,} cells and "
                f"{MonthlyUnitStats.objects.count():,} unit cells in {time.perf_counter() - started:.1f} s."
            )
        )
