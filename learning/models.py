"""Workshop modules, workshop requests and their workflow, evaluations, and the library of
good-practice cases.

Modules and cases refer to goals by their key (``ledning-1`` …), which stays the same across
framework versions, so the catalogue need not be rewritten when a new version is made.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Round
from frameworks.groups import validate_target_group
from lib.cellkey import new_record_key
from lib.choices import Gender
from lib.folding import fold
from lib.localized import Localized
from lib.tokens import new_token
from registry.models import Organisation


class WelfareArea(models.TextChoices):
    SOCIAL_SERVICES = "social_services", _("Social services")
    ELDERLY_CARE = "elderly_care", _("Elderly care")
    HEALTH_CARE = "health_care", _("Health care")
    SCHOOL = "school", _("School")
    URBAN_DEVELOPMENT = "urban_development", _("Urban development")
    ADMINISTRATION = "administration", _("Administration")
    CULTURE_LEISURE = "culture_leisure", _("Culture and leisure")


class WorkshopModule(models.Model):
    key = models.SlugField(_("key"), max_length=80, unique=True)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title = Localized("title")
    target_groups = models.JSONField(
        _("target groups"), default=list, help_text=_("Keys, e.g. politician, official.")
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    objectives_sv = models.TextField(_("learning objectives (Swedish)"))
    objectives_en = models.TextField(_("learning objectives (English)"), blank=True)
    objectives = Localized("objectives")
    exercises_sv = models.TextField(_("exercises (Swedish)"), blank=True)
    exercises_en = models.TextField(_("exercises (English)"), blank=True)
    exercises = Localized("exercises")
    materials_sv = models.TextField(_("materials (Swedish)"), blank=True)
    materials_en = models.TextField(_("materials (English)"), blank=True)
    materials = Localized("materials")
    facilitator_notes_sv = models.TextField(_("facilitator notes (Swedish)"), blank=True)
    facilitator_notes_en = models.TextField(_("facilitator notes (English)"), blank=True)
    facilitator_notes = Localized("facilitator_notes")
    is_active = models.BooleanField(
        _("in the catalogue"),
        default=True,
        help_text=_("Retired modules can no longer be requested."),
    )

    class Meta:
        ordering = ["key"]
        verbose_name = _("workshop module")
        verbose_name_plural = _("workshop modules")

    def __str__(self):
        return self.title


class ModuleGoal(models.Model):
    module = models.ForeignKey(WorkshopModule, on_delete=models.CASCADE, related_name="goal_links")
    goal_key = models.SlugField(_("goal key"), max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["module", "goal_key"], name="unique_module_goal")
        ]
        indexes = [models.Index(fields=["goal_key"])]

    def __str__(self):
        return f"{self.module.key} → {self.goal_key}"


class Case(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PROPOSED = "proposed", _("Proposed, awaiting review")
        REJECTED = "rejected", _("Not published")

    key = models.SlugField(_("key"), max_length=100, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        help_text=_("The real organisation the case is about. Empty for a made-up example."),
    )
    example_organisation = models.CharField(
        _("made-up organisation"),
        max_length=120,
        blank=True,
        help_text=_("Only for a made-up example, e.g. Exempelkommun."),
    )
    example_kind = models.CharField(
        _("kind of made-up organisation"),
        max_length=20,
        choices=Organisation.Kind.choices,
        blank=True,
    )
    welfare_area = models.CharField(_("welfare area"), max_length=30, choices=WelfareArea.choices)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title = Localized("title")
    summary_sv = models.TextField(_("summary (Swedish)"))
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary = Localized("summary")
    what_was_done_sv = models.TextField(_("what was done (Swedish)"))
    what_was_done_en = models.TextField(_("what was done (English)"), blank=True)
    what_was_done = Localized("what_was_done")
    what_it_gave_sv = models.TextField(_("what it gave (Swedish)"))
    what_it_gave_en = models.TextField(_("what it gave (English)"), blank=True)
    what_it_gave = Localized("what_it_gave")
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    link = models.URLField(_("link"), blank=True)
    is_illustrative = models.BooleanField(
        _("made-up example"),
        default=False,
        help_text=_(
            "Invented to show a kind of work, attributed to a made-up organisation; every "
            "page that shows it says so. Only the demo loads such examples."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The searchable texts folded (lib.folding), kept in step on every save, so SQLite finds
    # "bistand" in "bistånd"; PostgreSQL folds with unaccent() instead.
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        ordering = ["title_sv"]
        verbose_name = _("good-practice case")
        verbose_name_plural = _("good-practice cases")
        constraints = [
            # A true case belongs to a real organisation; a made-up one never does.
            models.CheckConstraint(
                condition=(
                    Q(is_illustrative=False, organisation__isnull=False, example_organisation="")
                    | (
                        Q(is_illustrative=True, organisation__isnull=True)
                        & ~Q(example_organisation="")
                    )
                ),
                name="case_true_with_organisation_or_made_up_without",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = self.folded_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    # The case's own texts (the full-text search reads these), then the organisation's name.
    SEARCHED_TEXTS = (
        "title_sv",
        "summary_sv",
        "what_was_done_sv",
        "what_it_gave_sv",
        "title_en",
        "summary_en",
    )
    SEARCHED_FIELDS = (*SEARCHED_TEXTS, "example_organisation")

    def folded_text(self) -> str:
        """What the search reads, folded: the searched texts and the organisation's name."""
        texts = [getattr(self, name) for name in self.SEARCHED_FIELDS]
        if self.organisation_id:
            texts.append(self.organisation.name)
        return fold(" ".join(texts))

    @property
    def organisation_name(self) -> str:
        return self.example_organisation if self.is_illustrative else self.organisation.name

    @property
    def organisation_kind(self) -> str:
        return self.example_kind if self.is_illustrative else self.organisation.kind


class CaseGoal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goal_links")
    goal_key = models.SlugField(_("goal key"), max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "goal_key"], name="unique_case_goal")
        ]
        indexes = [models.Index(fields=["goal_key"])]

    def __str__(self):
        return f"{self.case.key} → {self.goal_key}"


class WorkshopRequest(models.Model):
    class Format(models.TextChoices):
        HALF_DAY = "half_day", _("Half day")
        FULL_DAY = "full_day", _("Full day")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        HELD = "held", _("Held")
        EVALUATED = "evaluated", _("Evaluated")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.REQUESTED, Status.CONFIRMED)

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="workshops",
        verbose_name=_("organisation"),
    )
    round = models.ForeignKey(
        Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="workshops"
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    wished_date_1 = models.DateField(_("first wished date"))
    wished_date_2 = models.DateField(_("second wished date"), null=True, blank=True)
    expected_politicians = models.PositiveSmallIntegerField(_("expected politicians"), default=0)
    expected_officials = models.PositiveSmallIntegerField(
        _("expected leading officials"), default=0
    )
    expected_key_persons = models.PositiveSmallIntegerField(
        _("expected other key persons"), default=0
    )
    message = models.TextField(_("message to the programme office"), blank=True)
    scheduled_start = models.DateTimeField(_("date and time"), null=True, blank=True)
    facilitator = models.CharField(_("facilitator"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    evaluation_token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False
    )
    evaluation_closes_on = models.DateField(
        _("evaluation closes on"),
        null=True,
        blank=True,
        help_text=_("From this day no more evaluations are taken and the results are shown."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=["requested", "confirmed"]),
                name="one_open_workshop_request_per_organisation",
            )
        ]
        verbose_name = _("workshop request")
        verbose_name_plural = _("workshop requests")

    def __str__(self):
        return f"{self.organisation} – {self.get_format_display()} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def expected_total(self) -> int:
        return self.expected_politicians + self.expected_officials + self.expected_key_persons


class RequestedModule(models.Model):
    request = models.ForeignKey(WorkshopRequest, on_delete=models.CASCADE, related_name="modules")
    module = models.ForeignKey(WorkshopModule, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["request", "module"], name="module_once_per_request")
        ]

    def __str__(self):
        return f"{self.request_id}: {self.module.key}"


class RequestedGoal(models.Model):
    """Why the proposal picked a goal, with the figures, as they were when requested."""

    request = models.ForeignKey(WorkshopRequest, on_delete=models.CASCADE, related_name="goals")
    goal_key = models.SlugField(max_length=40)
    goal_name = models.CharField(max_length=300)
    reasons = models.TextField()

    def __str__(self):
        return f"{self.request_id}: {self.goal_key}"


class StatusChange(models.Model):
    request = models.ForeignKey(WorkshopRequest, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.request_id}: {self.from_status} → {self.to_status}"

    @property
    def to_status_label(self) -> str:
        """The status moved to, in words in the active language (a key no longer known as
        itself)."""
        try:
            return WorkshopRequest.Status(self.to_status).label
        except ValueError:
            return self.to_status


class Participant(models.Model):
    """Who took part, for the programme's reach figures: no name, only group and gender."""

    request = models.ForeignKey(
        WorkshopRequest, on_delete=models.CASCADE, related_name="participants"
    )
    target_group = models.CharField(
        _("target group"), max_length=20, validators=[validate_target_group]
    )
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    registered_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.request_id}: {self.target_group}"


class EvaluationCode(models.Model):
    """A single-use participant link for a workshop's evaluation. Only the SHA-256 of the code
    is stored; the code itself is shown once, on the page the coordinator prints.

    Nothing ties a code to the evaluation it was spent on: no key either way, and ``used_on``
    keeps the day only, like the evaluation's own ``submitted_on``."""

    request = models.ForeignKey(
        WorkshopRequest, on_delete=models.CASCADE, related_name="evaluation_codes"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    used = models.BooleanField(default=False)
    used_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(used=False, used_on__isnull=True) | Q(used=True, used_on__isnull=False),
                name="evaluation_code_used_on_iff_used",
            )
        ]

    def __str__(self):
        return f"{self.request_id}: evaluation code"


class Evaluation(models.Model):
    """One participant's anonymous evaluation, stored when an ``EvaluationCode`` is spent."""

    request = models.ForeignKey(
        WorkshopRequest, on_delete=models.CASCADE, related_name="evaluations"
    )
    relevance = models.PositiveSmallIntegerField()
    usefulness = models.PositiveSmallIntegerField()
    facilitation = models.PositiveSmallIntegerField()
    overall = models.PositiveSmallIntegerField()
    # Days only: a time of day would let an evaluation be matched to a code or a log line.
    submitted_on = models.DateField(default=timezone.localdate)
    # Random, meaningless: the means are perturbed by the sum of these (lib.cellkey).
    record_key = models.BigIntegerField(default=new_record_key, null=True, editable=False)

    QUESTIONS = ("relevance", "usefulness", "facilitation", "overall")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(relevance__range=(1, 5))
                & Q(usefulness__range=(1, 5))
                & Q(facilitation__range=(1, 5))
                & Q(overall__range=(1, 5)),
                name="evaluation_in_scale",
            )
        ]

    def __str__(self):
        return f"{self.request_id}: evaluation"
