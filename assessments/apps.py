from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from frameworks import models as frameworks

        from .questionnaire import forget_pages

        # The pages a respondent sees are kept per process (questionnaire.build_pages).
        for model in (
            frameworks.FrameworkVersion,
            frameworks.GoalArea,
            frameworks.Goal,
            frameworks.Item,
            frameworks.ScaleStep,
        ):
            post_save.connect(forget_pages, sender=model, dispatch_uid=f"pages-{model.__name__}")
            post_delete.connect(
                forget_pages, sender=model, dispatch_uid=f"pages-d-{model.__name__}"
            )
        m2m_changed.connect(
            forget_pages, sender=frameworks.Item.target_groups.through, dispatch_uid="pages-m2m"
        )
