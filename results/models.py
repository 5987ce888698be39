"""Pre-aggregated result cells: the only place analytics read from.

A cell holds additive sums for one round × unit (goal area, goal or prerequisite) × target
group × gender, so that any coarser figure (a whole round, a target group, a county, the
nation) is a SUM over cells in SQL, never a loop over answers. Cells are rebuilt per round
(``results.aggregation.refresh_round``) whenever a response was submitted after the last
rebuild. They hold no individual answer; suppression happens when figures are read
(``results.anonymity``).
"""

from django.db import models

from assessments.models import Round


class UnitKind(models.TextChoices):
    AREA = "area", "goal area"
    GOAL = "goal", "goal"
    PREREQUISITE = "prerequisite", "prerequisite"


class ResultCell(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="result_cells")
    unit_kind = models.CharField(max_length=12, choices=UnitKind.choices)
    unit_id = models.BigIntegerField()
    target_group_id = models.BigIntegerField()
    gender = models.CharField(max_length=20, blank=True)
    # Respondents who answered at least one item of the unit ("don't know" included) …
    respondents = models.PositiveIntegerField()
    # … and those among them with at least one rating, whose unit score is their mean rating.
    rated = models.PositiveIntegerField()
    score_sum = models.FloatField()
    score_sq_sum = models.FloatField()
    # Answer-level counts, for distributions and the share of "don't know".
    count_1 = models.PositiveIntegerField(default=0)
    count_2 = models.PositiveIntegerField(default=0)
    count_3 = models.PositiveIntegerField(default=0)
    count_4 = models.PositiveIntegerField(default=0)
    count_5 = models.PositiveIntegerField(default=0)
    count_dk = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["round", "unit_kind"]),
            models.Index(fields=["unit_kind", "unit_id"]),
        ]

    def __str__(self):
        return (
            f"{self.round_id}/{self.unit_kind}:{self.unit_id}/{self.target_group_id}/{self.gender}"
        )


class RoundResultState(models.Model):
    """When the round's cells were last rebuilt, and whether a submission came since.

    ``stale`` is set in the submitting transaction and cleared, under the same row lock, by
    the rebuild that reads the answers, so a submission is never missed by a rebuild."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="result_state")
    refreshed_at = models.DateTimeField()
    respondents = models.PositiveIntegerField(default=0)
    stale = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.round_id} @ {self.refreshed_at:%Y-%m-%d %H:%M}"
