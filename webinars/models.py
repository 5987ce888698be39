"""Webinar series and sessions, registrations (no account), reminders and attendance.

A registration counts only once its email address is confirmed. Personal data (name, email)
is erased on request or after the retention period; the anonymous facts that reach figures
need (organisation, target group, gender, attendance) stay.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from frameworks.groups import target_group_labels, validate_target_group
from lib.cellkey import new_record_key
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
    # An attendance certificate is offered when the imported attendance meets either minimum;
    # with neither set the series offers none.
    certificate_min_minutes = models.PositiveIntegerField(
        _("minutes attended for a certificate"),
        null=True,
        blank=True,
        help_text=_("Empty: no minimum in minutes."),
    )
    certificate_min_share = models.PositiveSmallIntegerField(
        _("share attended for a certificate (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Per cent of the session's length. Empty: no minimum share."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(certificate_min_share__isnull=True)
                | Q(certificate_min_share__range=(1, 100)),
                name="certificate_share_is_a_percentage",
            )
        ]
        verbose_name = _("webinar series")
        verbose_name_plural = _("webinar series")

    def __str__(self):
        return self.title


class Session(models.Model):
    class Captions(models.TextChoices):
        NONE = "none", _("No captions")
        AUTOMATIC = "automatic", _("Automatic captions, not checked")
        CHECKED = "checked", _("Captions checked")

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
    caption_status = models.CharField(
        _("captions of the recording"),
        max_length=20,
        choices=Captions.choices,
        default=Captions.NONE,
        help_text=_(
            "Recordings published by a public body must have correct captions (the accessibility law for public-sector websites). Automatic captions count only once someone has checked them."  # noqa: E501
        ),
    )
    evaluation_closes_on = models.DateField(
        _("evaluation closes on"),
        null=True,
        blank=True,
        help_text=_("Set when the evaluation links are sent; from this day the results show."),
    )
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

    @property
    def captions_checked(self) -> bool:
        return self.caption_status == self.Captions.CHECKED

    @property
    def length_minutes(self) -> int:
        return max(1, round((self.ends_at - self.starts_at).total_seconds() / 60))

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
    # When this registration's evaluation link was mailed (claimed first, so it goes once).
    # Which link it was is not kept: nothing ties an evaluation to a registration.
    evaluation_sent_at = models.DateTimeField(null=True, blank=True)

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


class EvaluationCode(models.Model):
    """A single-use link to a session's anonymous evaluation, mailed to one registrant. Only
    the SHA-256 of the code is stored, and no key to the registration: the mail is the only
    place code and person meet. ``used_on`` keeps the day only, like the evaluation's own."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="evaluation_codes")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    used = models.BooleanField(default=False)
    used_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(used=False, used_on__isnull=True) | Q(used=True, used_on__isnull=False),
                name="webinar_evaluation_code_used_on_iff_used",
            )
        ]

    def __str__(self):
        return f"{self.session_id}: evaluation code"


class Evaluation(models.Model):
    """One participant's anonymous evaluation of a session, stored when a code is spent."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="evaluations")
    relevance = models.PositiveSmallIntegerField()
    usefulness = models.PositiveSmallIntegerField()
    overall = models.PositiveSmallIntegerField()
    # Days only: a time of day would let an evaluation be matched to a code or a log line.
    submitted_on = models.DateField(default=timezone.localdate)
    # Random, meaningless: the means are perturbed by the sum of these (lib.cellkey).
    record_key = models.BigIntegerField(default=new_record_key, null=True, editable=False)

    QUESTIONS = ("relevance", "usefulness", "overall")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(relevance__range=(1, 5))
                & Q(usefulness__range=(1, 5))
                & Q(overall__range=(1, 5)),
                name="webinar_evaluation_in_scale",
            )
        ]

    def __str__(self):
        return f"{self.session_id}: evaluation"
