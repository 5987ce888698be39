from django.core.management.base import BaseCommand, CommandError

from pulse.loading import DEFAULT_PULSE_FILE, PulseFileError, load_pulse_file


class Command(BaseCommand):
    help = "Load a resident pulse questionnaire version from a YAML data file (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_PULSE_FILE))

    def handle(self, *args, file, **options):
        try:
            version, created = load_pulse_file(file)
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except (PulseFileError, KeyError, TypeError) as exc:
            raise CommandError(f"{file}: {exc}; nothing loaded") from None
        self.stdout.write(f"{version}: {'loaded' if created else 'already present'}")
