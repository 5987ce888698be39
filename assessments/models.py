"""Assessment rounds, their per-target-group links, and anonymous responses.

Nothing here stores who a respondent is: a response is reached only through a random
secret kept in the respondent's own browser (a signed cookie), no IP address or user agent
is kept, and background questions are optional.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frameworks.models import SCALE_MAX, SCALE_MIN, FrameworkVersion, Item, TargetGroup, UnitKind
from lib import cellkey
from lib.anonymity import answers_short
from lib.choices import Gender
from lib.periods import STATUS_LABELS, period_status
from lib.tokens import new_token
from registry.models import Organisation

# Letters and digits that cannot be mistaken for one another when typed from a screen.
SHORT_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
SHORT_CODE_LENGTH = 8


def new_short_code() -> str:
    """About 40 random bits: short enough to type from a screen in a meeting, and far too many
    to try (a wrong code is a 404, and the open link's own limits apply behind it)."""
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


class Round(models.Model):
    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        FOLLOW_UP = "follow_up", _("Follow-up")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("organisation"),
    )
    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("framework version"),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BASELINE)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    closed_early_at = models.DateTimeField(_("closed early"), null=True, blank=True)
    # Off: only personal invitation links are accepted (invitations.personal).
    open_links = models.BooleanField(
        _("open links accepted"),
        default=True,
        help_text=_("Whether anyone with a target group's shared link can answer."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="round_closes_after_opening",
            )
        ]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")

    def __str__(self):
        return f"{self.organisation}: {self.name}"

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.closed_early_at is None and self.opens_on <= today <= self.closes_on

    @property
    def status(self) -> str:
        return period_status(self.opens_on, self.closes_on, self.closed_early_at is not None)

    def get_status_display(self):
        return STATUS_LABELS[self.status]


class RoundLink(models.Model):
    """The anonymous link for one target group of a round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="links")
    target_group = models.ForeignKey(TargetGroup, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # The short address of the shared link (/k/<code>/), for typing it from a screen.
    short_code = models.CharField(
        max_length=16, unique=True, default=new_short_code, editable=False
    )
    invited_count = models.PositiveIntegerField(
        _("number invited"),
        null=True,
        blank=True,
        help_text=_(
            "How many in this target group were sent the shared link (for the response rate); "
            "with an invitation list, those invited through the shared link besides the list."
        ),
    )

    # Places taken on the shared link: respondents let in by its "begin" (each keeps the place
    # to submit; ``questionnaire.begin_response``). Counted with the link row locked, so that
    # a begin compares against an exact figure. A count only: no response says it holds one.
    shared_begins = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["target_group__order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "target_group"], name="one_link_per_group")
        ]
        verbose_name = _("round link")
        verbose_name_plural = _("round links")

    def __str__(self):
        return f"{self.round} – {self.target_group}"

    @property
    def invited(self) -> int | None:
        """The number invited (invitations, plus those typed for the shared link); needs the
        counts of ``assessments.rounds.link_counts``. With invitations it is their number plus
        the typed one; without, the typed number alone (see ``invitations.counting``)."""
        if self.invitation_count:
            return self.invitation_count + (self.invited_count or 0)
        return self.invited_count

    @property
    def response_rate(self) -> float | None:
        """Submitted over invited, 0–1 (never above 1: see ``invitations.counting``)."""
        invited = self.invited
        return self.submitted / invited if invited else None

    @property
    def answers_short(self) -> int:
        """More submitted answers needed before this group's results can be published
        (``results.anonymity.answers_short``); needs ``submitted``."""
        return answers_short(self.submitted)


def new_record_key() -> int:
    return cellkey.new_record_key()


class Response(models.Model):
    Gender = Gender  # lib.choices: the one list of genders every app uses

    link = models.ForeignKey(RoundLink, on_delete=models.CASCADE, related_name="responses")
    # Denormalised from the link so that analytics group by round without a join.
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    # The device's key to its draft. Removed on submit, so that nothing links a device to a
    # submitted response. NULL (not "") so that many removed secrets stay unique.
    secret = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, default=new_token, editable=False
    )
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    # Days only: a time of day would let a response be joined to a web server's log line.
    started_on = models.DateField(_("started"), default=timezone.localdate)
    submitted_on = models.DateField(_("submitted"), null=True, blank=True)
    # A random number with no meaning, for the cell-key perturbation of published figures
    # (results.disclosure): a cell's noise comes from the sum of its respondents' keys. It
    # links to nothing and is never shown.
    record_key = models.BigIntegerField(default=new_record_key, null=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["round", "submitted_on"])]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self):
        return f"{_('response')} #{self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_on is not None


class Answer(models.Model):
    """One rating. ``value`` is 1–5, or empty for "don't know"."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item"),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True)
                | models.Q(value__gte=SCALE_MIN, value__lte=SCALE_MAX),
                name="answer_in_scale",
            ),
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{_('answer')} #{self.pk}"


class ResponseScore(models.Model):
    """One submitted response's answers summed over one unit (a goal area, a goal or a
    prerequisite): written with the submit, in its transaction (``assessments.scores``), so
    that publishing a round aggregates one row per respondent and unit instead of every answer.

    ``rated`` answers were ratings, summing to ``value_sum`` (the respondent's score in the
    unit is ``value_sum / rated``), with ``count_1`` … ``count_5`` of each value and
    ``dont_know`` "don't know". The response's round, target group, gender and record key are
    copied beside them (none of them changes once a response is submitted), so that the
    aggregation reads this table alone. Derived wholly from the submitted response and its
    answers, which no longer change; deleting the response deletes its scores."""

    # Indexed by the unique constraint, which begins with it.
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="scores", db_index=False
    )
    # Copies of the response's, so not checked again by the database (that check made scoring
    # half as slow again); the response's own foreign key is.
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    gender = models.CharField(max_length=20, blank=True)
    record_key = models.BigIntegerField()
    unit_kind = models.CharField(max_length=12, choices=UnitKind.choices)
    unit_id = models.PositiveIntegerField()
    rated = models.PositiveSmallIntegerField()
    value_sum = models.PositiveSmallIntegerField()
    count_1 = models.PositiveSmallIntegerField()
    count_2 = models.PositiveSmallIntegerField()
    count_3 = models.PositiveSmallIntegerField()
    count_4 = models.PositiveSmallIntegerField()
    count_5 = models.PositiveSmallIntegerField()
    dont_know = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "unit_kind", "unit_id"], name="one_score_per_unit"
            )
        ]
        verbose_name = _("response score")
        verbose_name_plural = _("response scores")

    def __str__(self):
        return f"{self.response} {self.unit_kind} {self.unit_id}"
