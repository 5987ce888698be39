"""An organisation's action plan: the goals it works on, a target level per goal, the
activities it does, and the history of every change.

Goals are kept by key (``ledning-1`` …), like workshop modules and cases, so that a plan made
on one framework version can be followed up on the next."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Round
from frameworks.models import Goal
from learning.models import WorkshopRequest
from lib import numbers
from lib.localized import active_language
from registry.models import Organisation


class ActionPlan(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="plans", verbose_name=_("organisation")
    )
    workshop = models.ForeignKey(
        WorkshopRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    # The round whose results the plan starts from: its baseline when followed up.
    round = models.ForeignKey(
        Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self):
        return f"{self.organisation} ({self.created_at:%Y-%m-%d})"


class PlanGoalQuerySet(models.QuerySet):
    def with_names(self):
        """Each goal with ``framework_name_en``: the English name of the framework goal it was
        copied from (same key, same Swedish name), for ``PlanGoal.name``. One subquery, no
        loop; a goal no framework knows (or without an English name) gets none."""
        english = (
            Goal.objects.filter(
                key=models.OuterRef("goal_key"), name_sv=models.OuterRef("goal_name")
            )
            .exclude(name_en="")
            .order_by("-pk")
            .values("name_en")[:1]
        )
        return self.annotate(framework_name_en=models.Subquery(english))


class PlanGoal(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    goal_key = models.SlugField(_("goal key"), max_length=40)
    goal_name = models.CharField(_("goal"), max_length=300)
    reasons = models.TextField(_("why this goal"), blank=True)
    target = models.DecimalField(
        _("target level"),
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1.0")), MaxValueValidator(Decimal("5.0"))],
    )

    objects = PlanGoalQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "goal_key"], name="goal_once_per_plan"),
            models.CheckConstraint(
                condition=models.Q(target__isnull=True) | models.Q(target__range=(1, 5)),
                name="plan_target_in_scale",
            ),
        ]

    def __str__(self):
        return f"{self.plan_id}: {self.goal_key}"

    @property
    def name(self) -> str:
        """The goal's name in the reader's language. The plan keeps the Swedish name it was
        made with (``goal_name``); the English one comes from the framework goal, looked up by
        ``PlanGoal.objects.with_names()`` (without it, or unknown to the framework: Swedish)."""
        english = getattr(self, "framework_name_en", None)
        if english and active_language() == "en":
            return english
        return self.goal_name


class Activity(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="activities")
    goal = models.ForeignKey(
        PlanGoal, on_delete=models.CASCADE, related_name="activities", verbose_name=_("goal")
    )
    what = models.CharField(_("what"), max_length=300)
    responsible = models.CharField(
        _("responsible role"),
        max_length=120,
        help_text=_("A role, not a person's name, e.g. “head of IT”."),
    )
    due_on = models.DateField(_("by when"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return self.what


class PlanEvent(models.Model):
    """One change to a plan: who did what, when. Written only by ``plans.actions``."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Plan made")
        TARGET = "target", _("Target set")
        ADDED = "added", _("Activity added")
        STATUS = "status", _("Status changed")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="events")
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    goal = models.ForeignKey(
        PlanGoal, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_value = models.CharField(max_length=20, blank=True)
    to_value = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.plan_id}: {self.kind}"

    def _label(self, value):
        if self.kind in (self.Kind.ADDED, self.Kind.STATUS) and value in Activity.Status.values:
            return Activity.Status(value).label
        if self.kind == self.Kind.TARGET and value:
            # Stored as "3.5", read as the language writes it: "3,5" in Swedish.
            return numbers.decimal(value, 1)
        return value

    @property
    def from_label(self):
        return self._label(self.from_value)

    @property
    def to_label(self):
        return self._label(self.to_value)
