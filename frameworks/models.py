"""Versioned frameworks: goal areas, goals, prerequisites, items and their scales.

A version that an assessment round has used is frozen: its content can no longer be
changed or deleted, so that results stay comparable over the years. Staff make a new
version instead (``FrameworkVersion.copy_as_new_version``).
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from lib.localized import Localized

SCALE_MIN = 1
SCALE_MAX = 5


class FrozenVersionError(ValidationError):
    pass


def frozen_error(version) -> FrozenVersionError:
    return FrozenVersionError(
        _(
            "%(version)s has been used by an assessment round and can no longer be changed. "
            "Make a new version instead."
        )
        % {"version": version}
    )


class Framework(models.Model):
    key = models.SlugField(_("key"), max_length=80, unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name = Localized("name")

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self):
        return self.name


class FrameworkVersion(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="versions", verbose_name=_("framework")
    )
    number = models.PositiveIntegerField(_("version number"))
    label_sv = models.CharField(_("label (Swedish)"), max_length=200, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    label = Localized("label")
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_("Coordinators can start rounds on published versions."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["framework__key", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="unique_version_number")
        ]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")

    def __str__(self):
        return f"{self.framework} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.rounds.exists()

    def guard_unfrozen(self):
        if self.pk and self.is_frozen:
            raise frozen_error(self)

    def delete(self, *args, **kwargs):
        self.guard_unfrozen()
        return super().delete(*args, **kwargs)

    @transaction.atomic
    def copy_as_new_version(self) -> "FrameworkVersion":
        """Copy this version's whole content into a new, unfrozen version number."""
        from .loading import copy_version

        return copy_version(self)


class VersionContent(models.Model):
    """Base for everything that belongs to a framework version and freezes with it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.get_version().guard_unfrozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.get_version().guard_unfrozen()
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        try:
            version = self.get_version()
        except ObjectDoesNotExist:  # no parent chosen: the form names the missing field
            return
        if version is not None and version.is_frozen:
            raise frozen_error(version)

    def get_version(self) -> FrameworkVersion:
        raise NotImplementedError


class TargetGroup(VersionContent):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="target_groups"
    )
    key = models.SlugField(_("key"), max_length=40)
    name_sv = models.CharField(_("name (Swedish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    name = Localized("name")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_target_group_key")
        ]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self):
        return self.name

    def get_version(self):
        return self.version


class Prerequisite(VersionContent):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="prerequisites"
    )
    key = models.SlugField(_("key"), max_length=40)
    name_sv = models.CharField(_("name (Swedish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    name = Localized("name")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_prerequisite_key")
        ]
        verbose_name = _("foundational prerequisite")
        verbose_name_plural = _("foundational prerequisites")

    def __str__(self):
        return self.name

    def get_version(self):
        return self.version


class GoalArea(VersionContent):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="goal_areas"
    )
    key = models.SlugField(_("key"), max_length=40)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name = Localized("name")
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description = Localized("description")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_goal_area_key")
        ]
        verbose_name = _("goal area")
        verbose_name_plural = _("goal areas")

    def __str__(self):
        return self.name

    def get_version(self):
        return self.version


class Goal(VersionContent):
    area = models.ForeignKey(GoalArea, on_delete=models.CASCADE, related_name="goals")
    key = models.SlugField(_("key"), max_length=40)
    name_sv = models.CharField(_("name (Swedish)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    name = Localized("name")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["area__order", "order", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.name

    def get_version(self):
        return self.area.version


class UnitKind(models.TextChoices):
    """The units a respondent is scored on: a goal area, a goal or a foundational prerequisite
    (``assessments.ResponseScore``, ``results.PublishedFigure``)."""

    AREA = "area", "goal area"
    GOAL = "goal", "goal"
    PREREQUISITE = "prerequisite", "prerequisite"


class Item(VersionContent):
    """A statement rated on a 1–5 scale (each step described) or answered "don't know"."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(_("key"), max_length=60)
    statement_sv = models.TextField(_("statement (Swedish)"))
    statement_en = models.TextField(_("statement (English)"), blank=True)
    statement = Localized("statement")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    target_groups = models.ManyToManyField(
        TargetGroup, related_name="items", verbose_name=_("target groups that see the item")
    )
    prerequisites = models.ManyToManyField(
        Prerequisite, related_name="items", blank=True, verbose_name=_("prerequisites touched")
    )

    class Meta:
        ordering = ["goal__area__order", "goal__order", "order", "id"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self):
        return self.key

    def get_version(self):
        return self.goal.area.version


class ScaleStep(VersionContent):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="scale_steps")
    value = models.PositiveSmallIntegerField(_("value"))
    description_sv = models.CharField(_("description (Swedish)"), max_length=300)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    description = Localized("description")

    class Meta:
        ordering = ["value"]
        constraints = [
            models.UniqueConstraint(fields=["item", "value"], name="unique_scale_step"),
            models.CheckConstraint(
                condition=models.Q(value__gte=SCALE_MIN, value__lte=SCALE_MAX),
                name="scale_step_in_range",
            ),
        ]
        verbose_name = _("scale step")
        verbose_name_plural = _("scale steps")

    def __str__(self):
        return f"{self.value}: {self.description}"

    def get_version(self):
        return self.item.goal.area.version


def _guard_item_links(sender, instance, action, **kwargs):
    if action.startswith("pre_") and isinstance(instance, Item):
        instance.get_version().guard_unfrozen()


models.signals.m2m_changed.connect(_guard_item_links, sender=Item.target_groups.through)
models.signals.m2m_changed.connect(_guard_item_links, sender=Item.prerequisites.through)
