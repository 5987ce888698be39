from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Results")

    def ready(self):
        from assessments.signals import round_closed

        from .publication import publish_closed_round

        round_closed.connect(publish_closed_round, dispatch_uid="results.publish")
