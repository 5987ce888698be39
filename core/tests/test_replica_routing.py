"""Reads of published figures go to the read replica, everything else to the primary
(lib/replica.py). Here the replica is a stand-in (the router's decisions, the fallback, the
cookie); core/tests/test_cluster.py runs a real streaming replica."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from api.models import ApiToken
from lib import replica
from results.models import PublishedFigure

router = replica.PublishedReadsRouter()


@pytest.fixture
def a_replica(monkeypatch, settings):
    """A replica configured and fit to read (its check stands in for PostgreSQL's)."""
    settings.DATABASE_REPLICA_CHECK_SECONDS = 60
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 5
    settings.DATABASE_REPLICA_PRIMARY_WINDOW_SECONDS = 10
    monkeypatch.setattr(replica, "configured", lambda: True)
    lag = {"seconds": 0.0, "asked": 0}

    def lag_seconds():
        lag["asked"] += 1
        if lag["seconds"] is None:
            raise OperationalError("connection refused")
        return lag["seconds"]

    monkeypatch.setattr(replica, "lag_seconds", lag_seconds)
    replica.reset()
    yield lag
    replica.reset()


def reading_view(request):
    """Says where a published figure, a user and a token would be read from."""
    where = [
        router.db_for_read(PublishedFigure),
        router.db_for_read(get_user_model()),
        router.db_for_read(ApiToken),
    ]
    return HttpResponse(" ".join(alias or "default" for alias in where))


def get(path="/results/", **cookies):
    request = RequestFactory().get(path)
    request.COOKIES.update(cookies)
    return request


def test_without_a_replica_everything_reads_from_the_primary():
    assert not replica.configured()  # the suite's own database (conftest.py)
    assert replica.reads_published(reading_view)(get()).content == b"default default default"
    assert router.db_for_read(PublishedFigure) is None  # Django's own choice: the primary


def test_published_figures_are_read_from_the_replica_accounts_and_tokens_not(a_replica):
    assert replica.reads_published(reading_view)(get()).content == b"replica default default"
    # Outside such a view, and for every write, the primary.
    assert router.db_for_read(PublishedFigure) is None  # Django's own choice: the primary
    assert router.db_for_write(PublishedFigure) == "default"
    assert router.allow_migrate("replica", "results") is False
    assert router.allow_migrate("default", "results") is True


def test_a_browser_that_just_wrote_reads_from_the_primary(a_replica):
    def post(request):
        return HttpResponse("closed")

    response = replica.RecentWriterMiddleware(post)(RequestFactory().post("/close/"))
    cookie = response.cookies[replica.COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"]
    request = get(**{replica.COOKIE: cookie.value})
    assert replica.reads_published(reading_view)(request).content.startswith(b"default")
    # A forged cookie counts for nothing.
    request = get(**{replica.COOKIE: "1:forged:forged"})
    assert replica.reads_published(reading_view)(request).content.startswith(b"replica")


def test_no_cookie_without_a_replica_or_for_a_read():
    def view(request):
        return HttpResponse("ok")

    response = replica.RecentWriterMiddleware(view)(RequestFactory().post("/close/"))
    assert replica.COOKIE not in response.cookies


def test_a_replica_that_is_down_or_behind_is_not_read(a_replica, caplog, settings):
    caplog.set_level(logging.WARNING, logger="digilyft.replica")
    view = replica.reads_published(reading_view)
    a_replica["seconds"] = None
    assert view(get()).content.startswith(b"default")
    assert "does not answer" in caplog.text
    assert view(get()).content.startswith(b"default")
    assert a_replica["asked"] == 1  # asked once per DATABASE_REPLICA_CHECK_SECONDS
    settings.DATABASE_REPLICA_CHECK_SECONDS = 0
    a_replica["seconds"] = 7.5
    assert view(get()).content.startswith(b"default")
    assert "7.5 s behind" in caplog.text
    a_replica["seconds"] = 0.2
    assert view(get()).content.startswith(b"replica")


def test_a_replica_that_fails_during_the_view_gets_the_view_run_on_the_primary(
    a_replica, monkeypatch, caplog
):
    caplog.set_level(logging.WARNING, logger="digilyft.replica")
    monkeypatch.setattr(replica, "_replica_failed", lambda: True)
    calls = []

    def view(request):
        calls.append(router.db_for_read(PublishedFigure) or "default")
        if calls[-1] == "replica":
            raise OperationalError("server closed the connection unexpectedly")
        return HttpResponse("figures")

    response = replica.reads_published(view)(get())
    assert response.status_code == 200 and calls == ["replica", "default"]
    assert "a read from the replica failed" in caplog.text
    # Until the next check, the replica is left alone.
    assert replica.reads_published(view)(get()).status_code == 200
    assert calls[-1] == "default"


def test_an_error_of_the_primary_is_not_hidden(a_replica, monkeypatch):
    monkeypatch.setattr(replica, "_replica_failed", lambda: False)

    def view(request):
        raise OperationalError("the primary is down")

    with pytest.raises(OperationalError):
        replica.reads_published(view)(get())


def test_a_streamed_body_is_read_from_the_replica_too(a_replica):
    def view(request):
        return StreamingHttpResponse(
            router.db_for_read(PublishedFigure).encode() + b"\n" for _ in range(2)
        )

    response = replica.reads_published(view)(get())
    assert b"".join(response.streaming_content) == b"replica\nreplica\n"
