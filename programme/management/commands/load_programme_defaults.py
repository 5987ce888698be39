from django.core.management.base import BaseCommand

from programme.defaults import load_defaults
from programme.report import create_default_sections


class Command(BaseCommand):
    help = "Load the programme's grants per year and partner agencies (idempotent)."

    def handle(self, *args, **options):
        grants, partners = load_defaults()
        sections = create_default_sections()
        self.stdout.write(
            f"Grants: {grants} new. Partners: {partners} new. Report sections: {sections} new."
        )
