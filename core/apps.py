from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from . import checks, login_limits  # noqa: F401 (registers the checks and the receiver)
