"""Webinar series and sessions, registrations (no account), reminders and attendance.

A registration counts only once its email address is confirmed. Personal data (name, email)
is erased on request or after the retention period; the anonymous facts that reach figures
need (organisation, target group, gender, attendance) stay.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from frameworks.groups import target_group_labels, validate_target_group
from lib.choices import Gender
from lib.localized import Localized
from lib.tokens import new_token
from registry.models import Organisation


class Series(models.Model):
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title = Localized("title")
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description = Localized("description")
    target_groups = models.JSONField(_("target groups"), default=list)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("webinar series")
        verbose_name_plural = _("webinar series")

    def __str__(self):
        return self.title


class Session(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="sessions")
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title = Localized("title")
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description = Localized("description")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    stream_link = models.URLField(
        _("stream link"), blank=True, help_text=_("Shown to confirmed participants only.")
    )
    recording_link = models.URLField(_("recording link"), blank=True)
    goal_keys = models.JSONField(
        _("goals it deals with"),
        default=list,
        blank=True,
        help_text=_("Goal keys such as ledning-1, so that workshop proposals can suggest it."),
    )

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]
        verbose_name = _("webinar session")
        verbose_name_plural = _("webinar sessions")

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%Y-%m-%d %H:%M})"

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    def confirmed_count(self) -> int:
        return self.registrations.filter(status=Registration.Status.CONFIRMED).count()

    def is_full(self) -> bool:
        return self.capacity is not None and self.confirmed_count() >= self.capacity


class Speaker(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("organisation or partner agency"), max_length=200, blank=True)

    def __str__(self):
        return self.name


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for email confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="registrations")
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="webinar_registrations",
        verbose_name=_("organisation"),
    )
    target_group = models.CharField(
        _("target group"), max_length=20, validators=[validate_target_group]
    )
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    language = models.CharField(max_length=5, default="sv")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reminded_24h_at = models.DateTimeField(null=True, blank=True)
    reminded_1h_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(default=False)
    attended_minutes = models.PositiveIntegerField(default=0)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=~Q(status="cancelled") & ~Q(email=""),
                name="one_active_registration_per_email",
            )
        ]
        indexes = [models.Index(fields=["session", "status"])]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self):
        return f"{self.session_id}: {self.get_status_display()}"

    @property
    def target_group_name(self) -> str:
        """The group's name as the framework versions give it (``frameworks.groups``)."""
        return target_group_labels([self.target_group])[self.target_group]

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.CONFIRMED, self.Status.WAITING)
