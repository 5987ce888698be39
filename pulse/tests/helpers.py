import re

from django.test import Client
from django.urls import reverse

from pulse.answering import started_token


def answer_url(pulse) -> str:
    return reverse("pulse:answer", args=[pulse.token])


def form_data(pulse, value="4", **extra) -> dict:
    """Every statement answered ``value``, with a fresh form token."""
    data = {f"s{s.pk}": value for s in pulse.version.statements.all()}
    data["started"] = started_token(pulse)
    data.update(extra)
    return data


def answer_from_a_fresh_browser(pulse, value="4", **extra):
    return Client().post(answer_url(pulse), form_data(pulse, value, **extra))


def started_from_page(html: str) -> str:
    return re.search(r'name="started" value="([^"]+)"', html).group(1)
