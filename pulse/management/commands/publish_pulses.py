from django.core.management.base import BaseCommand

from pulse.publication import publish_due


class Command(BaseCommand):
    help = "Publish the figures of every resident pulse whose closing date has passed (daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"{publish_due()} pulse(s) published")
