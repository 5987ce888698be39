"""The programme office's own records: budget, partners, reference figures, the selection for
extended support, the report to the funder, and the audit log of changes to them.

Amounts are SEK with öre, stored as exact decimals, never floats.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from frameworks.groups import validate_target_group
from learning.models import Case, WorkshopModule
from registry.models import Organisation
from webinars.models import Session

MONEY = {"max_digits": 14, "decimal_places": 2}


class Activity(models.TextChoices):
    WEBINARS = "webinars", _("Webinars")
    WORKSHOPS = "workshops", _("Workshops")
    TOOLS = "tools", _("Self-assessment tools")
    EXTENDED_SUPPORT = "extended_support", _("Extended support")
    ADMINISTRATION = "administration", _("Administration")


class Grant(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    amount = models.DecimalField(_("grant (SEK)"), **MONEY)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="grant_not_negative")
        ]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")

    def __str__(self):
        return f"{self.year}: {self.amount} SEK"


class Cost(models.Model):
    class Status(models.TextChoices):
        SPENT = "spent", _("Spent")
        COMMITTED = "committed", _("Committed")

    activity = models.CharField(_("activity"), max_length=30, choices=Activity.choices)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (SEK)"), **MONEY)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SPENT
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="cost_positive")]
        verbose_name = _("cost")
        verbose_name_plural = _("costs")

    def __str__(self):
        return f"{self.date} {self.get_activity_display()}: {self.amount} SEK"


class Partner(models.Model):
    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role in the programme"), max_length=200, blank=True)
    modules = models.ManyToManyField(
        WorkshopModule, blank=True, related_name="partners", verbose_name=_("workshop modules")
    )
    sessions = models.ManyToManyField(
        Session, blank=True, related_name="partners", verbose_name=_("webinars")
    )
    cases = models.ManyToManyField(
        Case, blank=True, related_name="partners", verbose_name=_("good examples")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class Consultation(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="consultations")
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=300)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self):
        return f"{self.date} {self.partner}: {self.topic}"


class ReferenceShare(models.Model):
    """The share of women in a target group's whole population, for the gender analysis."""

    target_group = models.CharField(
        _("target group"), max_length=20, validators=[validate_target_group], unique=True
    )
    share_women = models.DecimalField(_("share of women (0–1)"), max_digits=5, decimal_places=4)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(share_women__gte=0) & Q(share_women__lte=1), name="share_in_range"
            )
        ]

    def __str__(self):
        return f"{self.target_group}: {self.share_women}"


class SelectionSettings(models.Model):
    """Weights for choosing organisations for extended support (one row)."""

    need_weight = models.DecimalField(
        _("weight of need"), max_digits=4, decimal_places=2, default=0.5
    )
    engagement_weight = models.DecimalField(
        _("weight of engagement"), max_digits=4, decimal_places=2, default=0.3
    )
    spread_weight = models.DecimalField(
        _("weight of spread"), max_digits=4, decimal_places=2, default=0.2
    )
    places = models.PositiveSmallIntegerField(_("organisations to select"), default=10)

    def __str__(self):
        return "selection settings"


class SelectionOverride(models.Model):
    """A manual decision, with its reason. The newest one per organisation applies."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    include = models.BooleanField(_("include"))
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.organisation}: {'in' if self.include else 'out'}"


class ReportSettings(models.Model):
    title = models.CharField(
        _("title"),
        max_length=200,
        default="Slutrapport: Digitalt kompetenslyft för ledning i kommuner och regioner",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    sender = models.CharField(_("sender"), max_length=300, blank=True)
    recipient = models.CharField(_("recipient"), max_length=300, blank=True)
    reference = models.CharField(
        _("reference number"),
        max_length=100,
        blank=True,
        help_text=_("The government's reference number (diarienummer) for the grant decision."),
    )
    kickoff = models.DateField(_("programme kick-off"), null=True, blank=True)
    reach_target = models.DecimalField(
        _("target: share of organisations reached (0–1)"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(reach_target__gte=0) & Q(reach_target__lte=1)
                | Q(reach_target__isnull=True),
                name="reach_target_is_a_share",
            )
        ]
        verbose_name = _("programme facts and report settings")
        verbose_name_plural = _("programme facts and report settings")

    def __str__(self):
        return self.title


class ReportSection(models.Model):
    key = models.SlugField(max_length=40, unique=True)
    title = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.title


class DeadlineReminder(models.Model):
    """One row per reminder sent, so that each goes once."""

    deadline = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deadline", "days_before"], name="reminder_once")
        ]

    def __str__(self):
        return f"{self.deadline} −{self.days_before}"


class AuditEntry(models.Model):
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Who acted, as text: kept when the account is deleted (``user`` then becomes NULL).
    username = models.CharField(max_length=150, blank=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    action = models.CharField(max_length=20)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.object_type}#{self.object_id} {self.action}"
