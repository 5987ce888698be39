"""The resident pulse: a short questionnaire residents answer about their organisation.

A questionnaire version (``PulseVersion`` with its ``PulseStatement`` s) is loaded from a file
(``pulse/data/resident_pulse.yaml``) and frozen once a pulse uses it, like a framework version
(``frameworks.models``). A ``Pulse`` is one organisation's run of it, with one public link.

Nothing here stores who answered: no address, no time of day, no device key. A response keeps
the day it was submitted, the optional age band and gender, and a record key with no meaning
for the cell-key noise of published figures (``results.disclosure``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frameworks.models import SCALE_MAX, SCALE_MIN
from lib import cellkey
from lib.choices import Gender
from lib.localized import Localized, active_language
from lib.periods import STATUS_LABELS, period_status
from lib.tokens import new_token
from registry.models import Organisation


def frozen_error(version) -> ValidationError:
    return ValidationError(
        _("%(version)s has been used by a pulse and can no longer be changed. Make a new version.")
        % {"version": version}
    )


class PulseVersion(models.Model):
    key = models.SlugField(_("key"), max_length=80)
    number = models.PositiveIntegerField(_("version number"))
    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name = Localized("name")
    label_sv = models.CharField(_("label (Swedish)"), max_length=200, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    label = Localized("label")
    # The five described steps of the one agreement scale: [{"sv": …, "en": …}, …].
    scale = models.JSONField(_("scale"))
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["key", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["key", "number"], name="unique_pulse_version")
        ]
        verbose_name = _("pulse questionnaire version")
        verbose_name_plural = _("pulse questionnaire versions")

    def __str__(self):
        return f"{self.name} v{self.number}"

    def save(self, *args, **kwargs):
        self.guard_unfrozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.guard_unfrozen()
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.pulses.exists()

    def guard_unfrozen(self):
        if self.pk and self.is_frozen:
            raise frozen_error(self)

    def scale_steps(self) -> list[tuple[int, str]]:
        """(value, description in the active language) for 1–5."""
        language = active_language()
        return [
            (SCALE_MIN + i, step.get(language) or step["sv"]) for i, step in enumerate(self.scale)
        ]


class PulseStatement(models.Model):
    class Topic(models.TextChoices):
        ATTITUDE = "attitude", _("Attitude to digital services")
        LIVES_UP = "lives_up", _("Lives up to expectations")
        USE = "use", _("Use of e-services")
        EASE = "ease", _("Ease of e-services")
        TRUST = "trust", _("Trust in the handling of personal data")
        LEFT_OUTSIDE = "left_outside", _("Left outside")

    version = models.ForeignKey(PulseVersion, on_delete=models.CASCADE, related_name="statements")
    key = models.SlugField(_("key"), max_length=60)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    # Keys of the default framework's goals the statement speaks to.
    goal_keys = models.JSONField(_("goals"), default=list)
    statement_sv = models.TextField(_("statement (Swedish)"))
    statement_en = models.TextField(_("statement (English)"), blank=True)
    statement = Localized("statement")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_pulse_statement")
        ]
        verbose_name = _("pulse statement")
        verbose_name_plural = _("pulse statements")

    def __str__(self):
        return self.key

    def save(self, *args, **kwargs):
        self.version.guard_unfrozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.version.guard_unfrozen()
        return super().delete(*args, **kwargs)

    def text_for(self, organisation) -> str:
        """The statement in the active language with the organisation's name in it."""
        return self.statement.replace("{organisation}", organisation.name)


class Pulse(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="pulses",
        verbose_name=_("organisation"),
    )
    version = models.ForeignKey(
        PulseVersion, on_delete=models.PROTECT, related_name="pulses", verbose_name=_("version")
    )
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    closed_early_on = models.DateField(_("closed early"), null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="pulse_closes_after_opening",
            )
        ]
        verbose_name = _("resident pulse")
        verbose_name_plural = _("resident pulses")

    def __str__(self):
        return f"{self.organisation}: {self.opens_on:%Y-%m-%d}–{self.closes_on:%Y-%m-%d}"

    @property
    def status(self) -> str:
        return period_status(self.opens_on, self.closes_on, self.closed_early_on is not None)

    def get_status_display(self):
        return STATUS_LABELS[self.status]


class AgeBand(models.TextChoices):
    UNDER_30 = "16-29", _("16–29 years")
    FROM_30 = "30-44", _("30–44 years")
    FROM_45 = "45-64", _("45–64 years")
    FROM_65 = "65-79", _("65–79 years")
    FROM_80 = "80+", _("80 years or older")


class PulseResponse(models.Model):
    """One resident's answers. The day only: a time would join it to a web server's log line."""

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="responses")
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    submitted_on = models.DateField(_("submitted"), default=timezone.localdate)
    record_key = models.BigIntegerField(default=cellkey.new_record_key, editable=False)

    class Meta:
        verbose_name = _("pulse response")
        verbose_name_plural = _("pulse responses")

    def __str__(self):
        return f"{_('pulse response')} #{self.pk}"


class PulseAnswer(models.Model):
    """One statement's answer: 1–5, or empty for "don't know"."""

    response = models.ForeignKey(PulseResponse, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey(PulseStatement, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "statement"], name="one_pulse_answer_per_statement"
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True)
                | models.Q(value__gte=SCALE_MIN, value__lte=SCALE_MAX),
                name="pulse_answer_in_scale",
            ),
        ]
        verbose_name = _("pulse answer")
        verbose_name_plural = _("pulse answers")

    def __str__(self):
        return f"{_('pulse answer')} #{self.pk}"


class PulsePublication(models.Model):
    """A pulse's figures, computed once when it closes (``pulse.publication``)."""

    pulse = models.OneToOneField(Pulse, on_delete=models.CASCADE, related_name="publication")
    published_on = models.DateField(_("published"))

    class Meta:
        verbose_name = _("pulse publication")
        verbose_name_plural = _("pulse publications")

    def __str__(self):
        return f"{self.pulse} ({self.published_on})"


class PulseFigure(models.Model):
    """One statement's figure as it may be shown: the whole pulse, one age band or one gender.
    A shown figure keeps the perturbed numbers it shows and, for pooling later, the additive
    sums over its respondents; a hidden one keeps no numbers."""

    class Status(models.TextChoices):
        SHOWN = "shown", _("shown")
        SUPPRESSED = "suppressed", _("suppressed")
        LINKED = "linked", _("hidden: would reveal a small group")

    publication = models.ForeignKey(
        PulsePublication, on_delete=models.CASCADE, related_name="figures"
    )
    statement = models.ForeignKey(PulseStatement, on_delete=models.PROTECT, related_name="+")
    # "": the whole pulse; "age" or "gender" with ``group`` the band or gender.
    breakdown = models.CharField(max_length=8, blank=True)
    group = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    # Shown figures only: respondents and the share who agree (4 or 5), as published (noisy).
    shown_respondents = models.PositiveIntegerField(null=True)
    shown_percent = models.PositiveSmallIntegerField(null=True)
    # Shown figures only: additive sums over the cell (respondents who rated, of them agreeing,
    # the cell key), so that pooled figures can be made in SQL.
    rated = models.PositiveIntegerField(null=True)
    agreeing = models.PositiveIntegerField(null=True)
    cell_key = models.BigIntegerField(null=True)

    class Meta:
        ordering = ["statement__order", "breakdown", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "statement", "breakdown", "group"],
                name="one_pulse_figure_per_cell",
            )
        ]

    def __str__(self):
        return f"{self.statement_id} {self.breakdown} {self.group}: {self.status}"
