"""The resident's side of a pulse: reading the form, the quiet checks against bots, and the
cookie that lets a browser answer once.

- One answer per browser: after an answer the browser keeps a signed cookie that says only
  "answered" (no key, nothing on the server pairs with it).
- A honeypot field people never see, and a minimum answering time read from a signed token in
  the form (the time the page was served; kept in the form, never stored): a form that fails
  either is dropped quietly — the sender sees the usual thank-you, nothing is stored.
- The number of answers per client address is limited by the shared limiter (the view wears
  ``lib.ratelimit.limit_per_address``).
"""

import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from lib.choices import Gender

from .models import AgeBand, Pulse

DONT_KNOW = "dk"
SCALE = {str(value): value for value in range(1, 6)}
HONEYPOT = "website"
STARTED = "started"
_SALT = "digilyft.pulse.started"
_COOKIE_SALT = "digilyft.pulse.answered"
_COOKIE_PREFIX = "digilyft_p"


def started_token(pulse: Pulse) -> str:
    """The signed time the form was served, for the minimum answering time."""
    return signing.dumps({"p": pulse.pk, "t": int(time.time())}, salt=_SALT)


def looks_like_a_bot(pulse: Pulse, post) -> bool:
    """True when the honeypot is filled in, the form token is missing or not this pulse's,
    or the form came back sooner than ``DIGILYFT_PULSE_MIN_SECONDS`` after it was served."""
    if post.get(HONEYPOT, ""):
        return True
    try:
        started = signing.loads(post.get(STARTED, ""), salt=_SALT, max_age=timedelta(days=2))
    except signing.BadSignature:
        return True
    if not isinstance(started, dict) or started.get("p") != pulse.pk:
        return True
    return time.time() - started.get("t", 0) < settings.DIGILYFT_PULSE_MIN_SECONDS


@dataclass
class Answers:
    values: dict[int, int | None] = field(default_factory=dict)  # statement id: 1–5 or None
    age_band: str = ""
    gender: str = ""
    errors: list[str] = field(default_factory=list)


def read_answers(pulse: Pulse, statements, post) -> Answers:
    """The answers in a posted form. Unanswered statements are left out; a value that is not
    one of the choices is an error, and so is a form with no statement answered."""
    answers = Answers()
    for statement in statements:
        raw = post.get(f"s{statement.pk}", "")
        if raw == "":
            continue
        if raw == DONT_KNOW:
            answers.values[statement.pk] = None
        elif raw in SCALE:
            answers.values[statement.pk] = SCALE[raw]
        else:
            answers.errors.append(_("An answer was not one of the choices. Choose again."))
    answers.age_band = post.get("age_band", "")
    answers.gender = post.get("gender", "")
    if answers.age_band not in ("", *AgeBand.values) or answers.gender not in (
        "",
        *Gender.values,
    ):
        answers.errors.append(_("An answer was not one of the choices. Choose again."))
    if not answers.values and not answers.errors:
        answers.errors.append(_("Answer at least one statement before you send."))
    return answers


def _cookie_name(pulse: Pulse) -> str:
    return f"{_COOKIE_PREFIX}{pulse.pk}"


def _cookie_path(pulse: Pulse) -> str:
    return reverse("pulse:answer", args=[pulse.token])


def has_answered(request, pulse: Pulse) -> bool:
    value = request.get_signed_cookie(_cookie_name(pulse), default=None, salt=_COOKIE_SALT)
    return value == "1"


def mark_answered(http_response, pulse: Pulse):
    """The browser's note that it has answered: "1", signed, under the pulse's own path."""
    http_response.set_signed_cookie(
        _cookie_name(pulse),
        "1",
        salt=_COOKIE_SALT,
        max_age=timedelta(days=400),
        path=_cookie_path(pulse),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return http_response
