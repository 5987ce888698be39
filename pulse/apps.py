from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PulseConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pulse"
    verbose_name = _("Resident pulse")

    def ready(self):
        # The round's workbook carries the expectation gap; results may not import pulse, so
        # pulse plugs its sheet in (results/workbook_hooks.py says why).
        from results import workbook_hooks

        from .exports import gap_sheets

        workbook_hooks.register("pulse.expectation_gap", gap_sheets)
