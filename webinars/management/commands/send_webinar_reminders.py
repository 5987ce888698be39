from django.core.management.base import BaseCommand

from webinars.tasks import remind_due


class Command(BaseCommand):
    help = (
        "Send the webinar reminders that are due (24 hours and 1 hour before the start). "
        "Run every few minutes; each reminder goes once."
    )

    def handle(self, *args, **options):
        sent = remind_due()
        if options["verbosity"]:
            self.stdout.write(f"Webinar reminders sent: {sent}")
