from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Results")

    def ready(self):
        from assessments.signals import response_submitted

        from .aggregation import mark_stale

        response_submitted.connect(mark_stale, dispatch_uid="results.mark_stale")
