from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Workshops and good practice")

    def ready(self):
        from django.db.models.signals import post_save

        from registry.models import Organisation

        from .cases import refold_cases_of

        # A case's folded search text holds its organisation's name (Case.search_text).
        post_save.connect(refold_cases_of, sender=Organisation, dispatch_uid="case-refold")
