from django.db import models


class SentMail(models.Model):
    """One row per mail the worker sent that has no row of its own to claim (a password
    reset, a workshop's status): the task inserts it before sending, and a second run of the
    same task (a restarted worker) finds it and sends nothing."""

    key = models.CharField(max_length=100, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key
