from django.core.management.base import BaseCommand

from assessments.retention import purge_stale_responses


class Command(BaseCommand):
    help = (
        "Delete unsubmitted responses (and their answers) whose round closed more than "
        "DIGILYFT_UNSUBMITTED_RETENTION_DAYS ago. Run daily."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {purge_stale_responses()} unsubmitted response(s).")
