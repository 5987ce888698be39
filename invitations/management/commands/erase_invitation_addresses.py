from django.core.management.base import BaseCommand

from invitations.lists import erase_addresses_of_closed_rounds


class Command(BaseCommand):
    help = (
        "Erase the invitee addresses of every round whose closing date has passed (run daily; "
        "a round closed early has them erased at once). The counts stay."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Erased {erase_addresses_of_closed_rounds()} address(es).")
