"""Personal invitation tokens: derived, never stored.

The token of an invitation is an HMAC of its id under the server's secret key, so the worker
can write it into the first mail and every reminder, while the database keeps only its SHA-256
(``Invitation.token_hash``): a copy of the database alone opens no questionnaire.
"""

import base64

from django.utils.crypto import salted_hmac

from lib.tokens import hash_token

__all__ = ["hash_token", "token_for"]

SALT = "digilyft.invitation"


def token_for(invitation_id: int) -> str:
    digest = salted_hmac(SALT, str(invitation_id), algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()
