from django.core.management.base import BaseCommand

from results.aggregation import ensure_fresh, refresh_all


class Command(BaseCommand):
    help = "Rebuild result cells: stale rounds only, or every round with --all."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="rebuild every round")

    def handle(self, *args, all=False, **options):
        count = refresh_all() if all else ensure_fresh()
        self.stdout.write(f"Rebuilt the results of {count} round(s).")
