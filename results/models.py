"""Published results: the read model every page, export, comparison and endpoint reads.

A round's figures are computed once, when the round closes (``results.publication``), with
suppression already applied, and never change after. A ``PublishedFigure`` is one figure as
it may be shown: a unit (goal area, goal or prerequisite) for the whole round, one target
group or one gender. A shown figure keeps additive sums over its respondents, so that
comparison figures (county, nation) are a SUM over shown figures in SQL; a suppressed one
keeps no numbers at all. Cross cells (target group × gender) are never stored.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Round
from frameworks.models import UnitKind


class Publication(models.Model):
    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="publication")
    published_on = models.DateField(_("published"))
    # Submitted responses with at least one rating: the only ones that count anywhere.
    respondents = models.PositiveIntegerField(_("respondents"))
    # 1 for the publication at closing; each audited staff correction adds one.
    edition = models.PositiveSmallIntegerField(_("edition"), default=1)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self):
        return f"{self.round} ({self.published_on})"


class PublishedFigure(models.Model):
    class Status(models.TextChoices):
        SHOWN = "shown", _("shown")
        # Fewer than the threshold, or hidden so that such a group cannot be worked out.
        SUPPRESSED = "suppressed", _("suppressed")
        # Hidden because, with the target groups beside it, it would reveal a group smaller
        # than the threshold (e.g. the only woman among the politicians).
        LINKED = "linked", _("hidden: would reveal a small group")

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="figures")
    # Denormalised from the publication, so that comparisons filter rounds without a join.
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="published_figures")
    unit_kind = models.CharField(max_length=12, choices=UnitKind.choices)
    unit_id = models.BigIntegerField()
    # NULL: all target groups. '' gender: all genders; else "woman", "man" or "other".
    target_group_id = models.BigIntegerField(null=True)
    gender = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    # Only for shown figures: respondents with at least one rating in the unit, and sums
    # over them (their unit score is their mean rating; "don't know" left out).
    respondents = models.PositiveIntegerField(null=True)
    score_sum = models.FloatField(null=True)
    score_sq_sum = models.FloatField(null=True)
    count_1 = models.PositiveIntegerField(null=True)
    count_2 = models.PositiveIntegerField(null=True)
    count_3 = models.PositiveIntegerField(null=True)
    count_4 = models.PositiveIntegerField(null=True)
    count_5 = models.PositiveIntegerField(null=True)
    count_dk = models.PositiveIntegerField(null=True)
    # The cell key (results.disclosure): the sum of the respondents' record keys mod 2³².
    # Every number above is exact; every output shows them perturbed by this key.
    cell_key = models.BigIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["round", "unit_kind"]),
            models.Index(fields=["unit_kind", "target_group_id", "gender", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="shown", respondents__isnull=False)
                | (~models.Q(status="shown") & models.Q(respondents__isnull=True)),
                name="only_shown_figures_keep_numbers",
            )
        ]

    def __str__(self):
        return (
            f"{self.round_id}/{self.unit_kind}:{self.unit_id}/{self.target_group_id}/{self.gender}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Published figures cannot be changed."))
        super().save(*args, **kwargs)


class PoolCell(models.Model):
    """What one published round adds to pooled figures (national, county, kommungrupp) for
    one unit: its whole round, each target group and each gender, with exact sums and the
    cell key. Written at publication, only for the units whose whole-round figure is shown,
    so a pooled figure is made of whole organisations that pass on their own; within them it
    pools respondents, so the women of the whole country are one figure even where no
    organisation's own women figure can be shown. Never read by a page directly: a pooled
    figure is shown only at the threshold and perturbed (``results.figures.pooled``)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="pool")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="pool_cells")
    unit_kind = models.CharField(max_length=12, choices=UnitKind.choices)
    unit_id = models.BigIntegerField()
    target_group_id = models.BigIntegerField(null=True)
    gender = models.CharField(max_length=10, blank=True)
    respondents = models.PositiveIntegerField()
    score_sum = models.FloatField()
    score_sq_sum = models.FloatField()
    count_1 = models.PositiveIntegerField()
    count_2 = models.PositiveIntegerField()
    count_3 = models.PositiveIntegerField()
    count_4 = models.PositiveIntegerField()
    count_5 = models.PositiveIntegerField()
    count_dk = models.PositiveIntegerField()
    cell_key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["round", "unit_kind", "target_group_id", "gender"])]

    def __str__(self):
        return f"pool {self.round_id}/{self.unit_kind}:{self.unit_id}"
