from django.core.management.base import BaseCommand

from learning.catalogue import load_cases, load_modules


class Command(BaseCommand):
    help = (
        "Load the default workshop modules and the true good-practice cases (idempotent). "
        "Made-up examples are loaded only by load_demo."
    )

    def handle(self, *args, **options):
        modules = load_modules()
        cases = load_cases()
        self.stdout.write(f"Workshop modules: {modules} new. Good-practice cases: {cases} new.")
