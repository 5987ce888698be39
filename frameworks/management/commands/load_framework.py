from django.core.management.base import BaseCommand, CommandError

from frameworks.loading import DEFAULT_FRAMEWORK_FILE, FrameworkFileError, load_framework_file


class Command(BaseCommand):
    help = "Load a framework version from a YAML data file (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_FRAMEWORK_FILE))

    def handle(self, *args, file, **options):
        try:
            version, created = load_framework_file(file)
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except (FrameworkFileError, KeyError, TypeError) as exc:
            raise CommandError(f"{file}: {exc}; nothing loaded") from None
        state = "loaded" if created else "already present"
        self.stdout.write(f"{version}: {state}")
