from django.core.management import call_command

from invitations.lists import add_to_list, parse_rows


def invite(link, *addresses, language="sv"):
    rows = [(n, [address]) for n, address in enumerate(addresses, start=1)]
    return add_to_list(link, parse_rows(rows, language))


def run_worker():
    """Run the database-backed worker until the queue is empty, as in production."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
