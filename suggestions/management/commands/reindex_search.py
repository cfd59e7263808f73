"""Rebuild the search column of every suggestion (suggestions.search.index_text).

Migration 0008 runs it once; run it by hand after changing how the column is built.
"""

import time

from django.core.management.base import BaseCommand

from suggestions.search import reindex


class Command(BaseCommand):
    help = "Rebuild the search column of every suggestion."

    def handle(self, *args, **options):
        started = time.perf_counter()
        changed = reindex()
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{changed:,} suggestions re-indexed in {time.perf_counter() - started:.1f} s."
                )
            )
