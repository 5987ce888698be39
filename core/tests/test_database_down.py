"""When the database is down every page answers with a 503 that needs no database, the
autosave with JSON its script shows, /healthz with 503; the 500 page needs no database either.

"Down" is made real at the one place Django talks to the database: every statement raises
``OperationalError`` (what psycopg raises when PostgreSQL refuses or drops the connection),
through ``connection.execute_wrapper``. The pages are rendered while that is in force, so any
query they made would fail them.
"""

import contextlib

import pytest
from django.db import OperationalError, connection
from django.test import Client

from conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls("core.tests.urls_failures")]

ENGLISH_503 = (
    "The service is temporarily unavailable, your answers so far are saved; try again in a minute."
)


@contextlib.contextmanager
def database_down():
    attempts = []

    def refuse(execute, sql, params, many, context):
        attempts.append(sql)
        raise OperationalError("connection refused (test)")

    with connection.execute_wrapper(refuse):
        yield attempts


@pytest.fixture
def logged_in():
    browser = Client(raise_request_exception=False)
    browser.force_login(make_user("coord-down"))
    return browser


def _page(response) -> str:
    return response.content.decode()


def test_a_logged_in_user_gets_a_503_page_not_a_500(logged_in):
    with database_down() as attempts:
        result = logged_in.get("/coordinator/")
    assert attempts, "the page did try the database (the session)"
    assert result.status_code == 503
    assert result["Retry-After"] == "60"
    assert result["Cache-Control"] == "no-store"
    page = _page(result)
    assert '<html lang="sv">' in page
    assert ENGLISH_503 in page
    assert "site.css" in page  # the site's look
    assert "Log out" not in page and "Logga ut" not in page  # no user was needed


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/privacy/", "/accessibility/"])
def test_pages_needing_no_database_answer_a_logged_in_user_as_a_visitor(logged_in, path):
    """They cannot tell who is logged in, so they show what anyone sees, and keep the session."""
    with database_down() as attempts:
        result = logged_in.get(path)
    assert attempts, "the page did try to read the session"
    assert result.status_code == 200
    page = _page(result)
    assert "Logga in" in page and "Logga ut" not in page
    assert "sessionid" not in result.cookies  # neither saved nor deleted
    assert "Logga ut" in _page(logged_in.get(path))  # still logged in afterwards


def test_a_form_sent_to_the_login_page_still_needs_the_database(logged_in):
    with database_down():
        result = logged_in.post("/accounts/login/", {"username": "x", "password": "y"})
    assert result.status_code == 503


def test_a_respondent_link_gives_the_503_page(politician_link):
    browser = Client(raise_request_exception=False)
    with database_down():
        result = browser.get(f"/s/{politician_link.token}/")
    assert result.status_code == 503
    assert ENGLISH_503 in _page(result)


def test_the_503_page_is_in_english_when_english_was_chosen(logged_in):
    logged_in.cookies["django_language"] = "en"
    with database_down():
        result = logged_in.get("/coordinator/")
    assert result.status_code == 503
    page = _page(result)
    assert '<html lang="en">' in page
    assert "<h1>The service is temporarily unavailable</h1>" in page
    assert "Your answers so far are saved. Try again in a minute." in page


def test_the_autosave_gets_json_its_script_shows(politician_link):
    browser = Client(raise_request_exception=False)
    with database_down():
        result = browser.post(f"/s/{politician_link.token}/answer/", {"item": "x", "value": "3"})
    assert result.status_code == 503
    assert result["Retry-After"] == "60"
    data = result.json()
    assert data["saved"] is False
    assert data["retry"] is True
    assert data["error"]


def test_a_failure_outside_the_view_saving_the_session_gives_503_too():
    browser = Client(raise_request_exception=False)
    with database_down():
        result = browser.get("/test-failures/session/")
    assert result.status_code == 503
    assert ENGLISH_503 in _page(result)


def test_healthz_says_503_when_the_database_refuses():
    browser = Client()
    with database_down():
        result = browser.get("/healthz")
    assert result.status_code == 503
    assert result.json()["status"] == "error"
    assert result.json()["database"] == "error: OperationalError"


def test_the_500_page_needs_neither_the_database_nor_the_session(logged_in):
    with database_down() as attempts:
        result = logged_in.get("/test-failures/boom/")
    assert attempts == []  # nothing asked the database: not the session, not the user
    assert result.status_code == 500
    page = _page(result)
    assert '<html lang="sv">' in page
    assert "<h1>Något gick fel</h1>" in page
    assert "Something went wrong on our side" in page  # the plain English line
    assert "site.css" in page


def test_everything_recovers_when_the_database_answers_again(logged_in):
    with database_down():
        assert logged_in.get("/coordinator/").status_code == 503
    result = logged_in.get("/")
    assert result.status_code == 200
    assert "Logga ut" in _page(result)
