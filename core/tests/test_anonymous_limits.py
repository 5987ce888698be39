"""Anonymous actions that store rows or send mail are limited per client address through the
shared cache (lib/ratelimit.py): past the limit a clear Swedish 429 with Retry-After, nothing
stored or queued, and other addresses carry on."""

import socket
import uuid

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from learning.models import Evaluation, EvaluationCode, WorkshopRequest
from learning.workshops import make_codes
from lib.ratelimit import seconds_to_wait
from webinars.models import Registration
from webinars.tests.factories import make_session

pytestmark = pytest.mark.django_db

A, B = "198.51.100.1", "198.51.100.2"

LIMITED = [
    ("DIGILYFT_WEBINAR_REGISTRATIONS_PER_HOUR", "webinars:register", [1]),
    ("DIGILYFT_WEBINAR_CHANGES_PER_HOUR", "webinars:confirm", ["x"]),
    ("DIGILYFT_WEBINAR_CHANGES_PER_HOUR", "webinars:cancel", ["x"]),
    ("DIGILYFT_WEBINAR_CHANGES_PER_HOUR", "webinars:erase", ["x"]),
    ("DIGILYFT_EVALUATIONS_PER_HOUR", "learning:evaluate", ["x"]),
    ("DIGILYFT_PERSONAL_BEGINS_PER_HOUR", "invitations:begin", ["x", "y"]),
    ("DIGILYFT_OPT_OUTS_PER_HOUR", "invitations:stop_reminders", ["x", "y"]),
]


@pytest.mark.parametrize("setting, name, args", LIMITED)
def test_every_anonymous_action_is_limited_per_address(settings, setting, name, args):
    setattr(settings, setting, 2)
    url = reverse(name, args=args)
    for _ in range(2):
        assert Client(REMOTE_ADDR=A).post(url).status_code != 429
    over = Client(REMOTE_ADDR=A).post(url)
    assert over.status_code == 429
    assert 1 <= int(over["Retry-After"]) <= 3600
    page = over.content.decode()
    assert "För många försök" in page and "ingenting sparades" in page
    # Another address, and looking at the page, are not affected.
    assert Client(REMOTE_ADDR=B).post(url).status_code != 429
    assert Client(REMOTE_ADDR=A).get(url).status_code != 429


def _register(address, session, org, n=0):
    data = {
        "name": "Anna Andersson",
        "email": f"anna{n}@example.org",
        "organisation": org.pk,
        "target_group": "politician",
        "gender": "woman",
    }
    return Client(REMOTE_ADDR=address).post(reverse("webinars:register", args=[session.pk]), data)


def test_registrations_over_the_limit_store_nothing_and_queue_no_mail(
    settings, org_a, django_capture_on_commit_callbacks
):
    settings.DIGILYFT_WEBINAR_REGISTRATIONS_PER_HOUR = 3
    session = make_session(capacity=100)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [_register(A, session, org_a, n).status_code for n in range(20)]
    assert statuses == [302] * 3 + [429] * 17
    assert Registration.objects.count() == 3
    assert DBTaskResult.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert _register(B, session, org_a, 99).status_code == 302
    assert Registration.objects.count() == 4


def test_evaluations_over_the_limit_store_nothing(settings, org_a):
    settings.DIGILYFT_EVALUATIONS_PER_HOUR = 1
    workshop = WorkshopRequest.objects.create(
        organisation=org_a,
        format=WorkshopRequest.Format.HALF_DAY,
        status=WorkshopRequest.Status.HELD,
        wished_date_1=timezone.localdate(),
        expected_politicians=3,
        expected_officials=3,
    )
    first, second = make_codes(workshop, 2)
    answers = {name: "4" for name in Evaluation.QUESTIONS}
    client = Client(REMOTE_ADDR=A)
    assert client.post(reverse("learning:evaluate", args=[first]), answers).status_code == 302
    assert client.post(reverse("learning:evaluate", args=[second]), answers).status_code == 429
    assert Evaluation.objects.count() == 1
    assert EvaluationCode.objects.filter(used=False).count() == 1


def test_the_open_link_limit_says_when_to_try_again(settings, politician_link):
    settings.DIGILYFT_OPEN_STARTS_PER_HOUR = 1
    url = reverse("assessments:respond_begin", args=[politician_link.token])
    assert Client(REMOTE_ADDR=A).post(url).status_code == 302
    over = Client(REMOTE_ADDR=A).post(url)
    assert over.status_code == 429 and int(over["Retry-After"]) >= 1
    assert politician_link.round.responses.count() == 1


def test_the_counter_says_how_long_to_wait():
    assert seconds_to_wait("t", "k", 1, 60, now=120.0) == 0
    assert seconds_to_wait("t", "k", 1, 60, now=150.0) == 30
    assert seconds_to_wait("t", "k", 1, 60, now=185.0) == 0  # a new window
    assert seconds_to_wait("t", "k", 0, 60) == 0  # 0 turns the limit off


def _redis_up() -> bool:
    try:
        import redis  # noqa: F401
    except ImportError:
        return False
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="needs the redis package and Redis on 127.0.0.1:6379")
def test_the_counters_work_in_redis_too():
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": "digilyft-test",
    }
    scope = f"test-{uuid.uuid4()}"  # fresh keys: nothing else in that Redis is touched
    with override_settings(CACHES={"default": redis_cache, "limits": redis_cache}):
        assert "Redis" in type(caches["limits"]).__name__
        assert [seconds_to_wait(scope, "k", 2, 3600) == 0 for _ in range(3)] == [True, True, False]
        assert seconds_to_wait(scope, "other", 2, 3600) == 0
