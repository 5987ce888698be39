from django.conf import settings
from django.core.management.base import BaseCommand

from webinars.registrations import erase_expired


class Command(BaseCommand):
    help = (
        "Erase name and email of webinar registrations whose session ended more than "
        "DIGILYFT_WEBINAR_RETENTION_DAYS ago (the anonymous counts stay). Run daily."
    )

    def handle(self, *args, **options):
        erased = erase_expired(settings.DIGILYFT_WEBINAR_RETENTION_DAYS)
        self.stdout.write(f"Erased the personal data of {erased} registration(s).")
