from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A municipality (kommun) or region, identified by its SCB code."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        REGION = "region", _("Region")

    code = models.CharField(_("SCB code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    county_code = models.CharField(_("county code"), max_length=4)
    county_name = models.CharField(_("county"), max_length=80)
    kommungrupp = models.CharField(_("municipality group"), max_length=4, blank=True)
    kommungrupp_name = models.CharField(_("municipality group name"), max_length=120, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["county_code"]), models.Index(fields=["kommungrupp"])]

    def __str__(self):
        return self.name


class Coordinator(models.Model):
    """An account that runs assessment rounds for one organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinator",
        verbose_name=_("account"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="coordinators",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")

    def __str__(self):
        return f"{self.user.get_username()} ({self.organisation})"
