from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lib.importing import ImportRejected
from registry.importing import import_registry, read_text

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "organisations.csv"


class Command(BaseCommand):
    help = "Load or update the registry of organisations from a CSV file (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            default=str(DEFAULT_FILE),
            help="CSV file (default: Sweden's registry)",
        )

    def handle(self, *args, file, **options):
        try:
            text = read_text(file)
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{file} is not UTF-8 text ({exc.reason} at byte {exc.start}); nothing imported"
            ) from None
        try:
            result = import_registry(text)
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(rejected.errors)} error(s) in {file}; nothing imported"
            ) from None
        self.stdout.write(
            f"Organisations: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
