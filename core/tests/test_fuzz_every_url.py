"""Every URL pattern of the project, fuzzed (hypothesis): each pattern's path converters are
filled with real values (this test's round, links, organisation, webinar, users) and with
forged ones (huge numbers, odd text), then asked with GET and with a POST of odd fields, as an
anonymous visitor, a coordinator and staff (the admin's patterns as staff only: anyone else is
sent to its login). No answer may be a 5xx. Bounded: every pattern once per run (one example,
its values drawn per pattern), no shrinking (a failure lists every 5xx of the example at once)."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter
from django.urls.resolvers import RegexPattern
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from invitations.lists import add_to_list, parse_rows
from webinars.tests.factories import make_session

from .test_fuzz_bad_input import odd_text, path_segment

pytestmark = pytest.mark.django_db

EVERY_URL = settings(
    max_examples=1,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the report lists every 5xx
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Field names the project's forms use, each sent with odd values in a POST.
FIELD_NAMES = [
    "link", "language", "addresses", "days", "open_links", "invited_count", "name", "email",
    "q", "page", "action", "gender", "item", "value", "status", "to_status", "amount", "year",
    "organisation", "target_group", "form", "section", "heading", "text", "code", "reason",
    "username", "password", "next", "opens_on", "closes_on", "kind", "version", "goal",
]  # fmt: skip
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def every_pattern():
    """(the pattern's parts from the root, whether it is the admin's) for every URL pattern."""

    def walk(resolver, parts, admin):
        for entry in resolver.url_patterns:
            here = [*parts, entry.pattern]
            if isinstance(entry, URLResolver):
                yield from walk(entry, here, admin or entry.app_name == "admin")
            elif isinstance(entry, URLPattern):
                yield here, admin

    return list(walk(get_resolver(), [], False))


PATTERNS = every_pattern()


def known_values(open_round, politician_link, session, users) -> dict:
    """Real values per converter kind, so that requests also reach past the look-ups."""
    invitation_token = "x" * 43
    ints = [open_round.pk, politician_link.pk, open_round.organisation_id, session.pk]
    ints += [user.pk for user in users]
    strings = [politician_link.token, politician_link.short_code, invitation_token, "sv"]
    return {"int": ints, "str": strings}


def value_for(converter, known, draw) -> str:
    if isinstance(converter, IntConverter):
        number = draw(
            st.one_of(st.sampled_from(known["int"]), st.integers(0, 10**30), st.just(2**63))
        )
        return str(number)
    if isinstance(converter, UUIDConverter):
        return str(draw(st.uuids()))
    if isinstance(converter, SlugConverter):
        return draw(st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True))
    segment = draw(st.one_of(st.sampled_from(known["str"]), path_segment))
    if isinstance(converter, PathConverter):
        return segment + draw(st.sampled_from(["", "/change/", "/x/../", "/" + segment]))
    return segment


def path_of(parts, known, draw) -> str:
    path = "/"
    for pattern in parts:
        if isinstance(pattern, RegexPattern):
            regex = pattern._regex.lstrip("^").rstrip("$").replace(r"\Z", "")
            text = draw(st.from_regex(regex or r"\A\Z", fullmatch=True)) if regex else ""
            path += text.replace("?", "").replace("#", "")
            continue
        converters = pattern.converters
        route = str(pattern)
        path += ROUTE_PARAMETER.sub(
            lambda m, c=converters: value_for(c[m.group("name")], known, draw), route
        )
    return path


@pytest.fixture
def world(open_round, politician_link, coordinator_a, staff_user):
    add_to_list(politician_link, parse_rows([(1, ["invited@example.org"])], "sv"))
    session = make_session()
    known = known_values(open_round, politician_link, session, [coordinator_a, staff_user])
    return known, coordinator_a, staff_user


@EVERY_URL
@given(data=st.data())
def test_every_url_pattern_answers_below_500_whoever_asks_whatever(world, data):
    known, coordinator, staff = world
    browsers = {"anonymous": Client(raise_request_exception=False)}
    for persona, user in (("coordinator", coordinator), ("staff", staff)):
        browsers[persona] = Client(raise_request_exception=False)
        browsers[persona].force_login(user)
    failures = []
    for parts, is_admin in PATTERNS:
        path = path_of(parts, known, data.draw)
        fields = data.draw(
            st.dictionaries(st.sampled_from(FIELD_NAMES), odd_text, max_size=6), label="fields"
        )
        for persona, browser in browsers.items():
            if is_admin and persona != "staff":
                continue
            for method in ("get", "post"):
                answer = getattr(browser, method)(path, fields if method == "post" else None)
                if answer.status_code >= 500:
                    failures.append(f"{method.upper()} {path!r} as {persona}: {answer.status_code}")
        if path.startswith("/accounts/"):  # logging out, a new password: sign in again
            browsers["coordinator"].force_login(coordinator)
            browsers["staff"].force_login(staff)
    assert not failures, "\n".join(failures)
