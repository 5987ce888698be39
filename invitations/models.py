"""Invitation lists: one row per invited address, per round and target group.

Unlinkable by construction: an invitation holds the address, the SHA-256 of its personal token,
its language and where it stands (``status``); it has no key to a response and no response has
a key to it, and neither side keeps a time of day of anything the other side also records. The
token itself is never stored: the worker derives it from the row's id and the server's secret
key when it writes a mail (``invitations.tokens``).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models import Round, RoundLink


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Not sent yet")
        # The coordinator asked for it to be sent; the worker has not had the mail server
        # accept it yet (``invitations.tasks.send_invitations``).
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        BOUNCED = "bounced", _("Bounced or failed")
        STARTED = "started", _("Started")
        SUBMITTED = "submitted", _("Submitted")

    class Language(models.TextChoices):
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")

    link = models.ForeignKey(RoundLink, on_delete=models.CASCADE, related_name="invitations")
    # Denormalised from the link, so that one address is invited once per round.
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    # Erased ("") when the round closes; the counts stay.
    email = models.EmailField(_("email address"), blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.SWEDISH
    )
    # Set by the worker when it sends the first mail; NULL until then.
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    # The SHA-256 of the secret of the draft that spent the invitation (invitations.personal):
    # lets that one draft finish its submit after a crash, while any other is refused. The
    # draft's secret is deleted from the response when it is submitted, so this joins nothing.
    claim = models.CharField(max_length=64, null=True, editable=False)  # noqa: DJ001
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # While a run of the sending task sends it: that run (a ``SendingRun``). A run that died
    # mid-send leaves it queued and claimed by a run whose lease ran out, and the next run
    # sends it (``invitations.tasks``). Cleared once the mail server has answered. The lease's
    # time lives on the run, never on the invitation.
    claimed_by = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    # The smallest "days before closing" of a reminder already sent; NULL before any. Each
    # reminder is claimed by lowering it, so a reminder goes at most once.
    reminded_days_before = models.PositiveSmallIntegerField(null=True, blank=True)
    opted_out = models.BooleanField(_("no more reminders"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "email"], condition=~Q(email=""), name="invited_once_per_round"
            )
        ]
        indexes = [models.Index(fields=["link", "status"])]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{_('invitation')} #{self.pk}"


class SendingRun(models.Model):
    """One run of ``invitations.tasks.send_invitations``, alive while ``until`` is ahead: the
    run moves it on as it sends, so a run that stops moving it has died, and the invitations
    it claimed are free for the next run. Deleted when the run ends."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()

    def __str__(self):
        return f"{self.round_id}: {self.until:%Y-%m-%d %H:%M:%S}"


class ReminderDay(models.Model):
    """One reminder of a round: sent this many days before its closing date."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reminder_days")
    days_before = models.PositiveSmallIntegerField(_("days before closing"))

    class Meta:
        ordering = ["-days_before"]
        constraints = [
            models.UniqueConstraint(fields=["round", "days_before"], name="one_reminder_per_day"),
            models.CheckConstraint(
                condition=Q(days_before__gte=1, days_before__lte=60), name="reminder_within_60_days"
            ),
        ]

    def __str__(self):
        return f"{self.round_id}: {self.days_before}"
