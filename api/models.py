"""API tokens: a coordinator's or the programme office's own key to the API.

Only the SHA-256 of a token is stored (``lib.tokens``); the token itself is shown once, when
it is created. Revoking a token deletes it. A token reads what its holder may read on the
pages (``api.tokens``) and never lifts the anonymity rules: it reads published figures and
counts only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("what it is for"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the token, so that its holder can tell it from their others.
    prefix = models.CharField(max_length=12, editable=False)
    created_on = models.DateField(_("created"), default=timezone.localdate, editable=False)

    class Meta:
        ordering = ["-created_on", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
