from django.core.management.base import BaseCommand

from programme.defaults import load_defaults


class Command(BaseCommand):
    help = "Load the programme's grants per year and partner agencies (idempotent)."

    def handle(self, *args, **options):
        grants, partners = load_defaults()
        self.stdout.write(f"Grants: {grants} new. Partners: {partners} new.")
