import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from webinars.tests.factories import run_worker

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["core:home", "core:accessibility", "core:privacy", "login"])
def test_public_pages_answer_in_swedish_by_default(client, name):
    result = client.get(reverse(name))
    assert result.status_code == 200
    assert '<html lang="sv">' in result.content.decode()


def test_english_can_be_chosen_and_sticks(client):
    result = client.post(reverse("set_language"), {"language": "en", "next": "/privacy/"})
    assert result.status_code == 302
    page = client.get("/privacy/").content.decode()
    assert '<html lang="en">' in page
    assert "Privacy and personal data" in page


def test_the_privacy_page_states_what_is_stored_and_for_how_long(client, settings):
    settings.DIGILYFT_UNSUBMITTED_RETENTION_DAYS = 45
    body = client.get(reverse("core:privacy")).content.decode()
    assert "45 dagar" in body
    assert "IP-adress" in body


def test_the_accessibility_statement_names_the_standard_and_the_supervisor(client):
    body = client.get(reverse("core:accessibility")).content.decode()
    assert "WCAG 2.1" in body
    assert "Digg" in body


def test_healthz_reports_the_database(client):
    result = client.get("/healthz")
    assert result.status_code == 200
    assert result.json()["database"] == "ok"
    assert result.json()["status"] == "ok"


def test_healthz_reports_a_broken_database(client, monkeypatch):
    from django.db import connection

    def broken(*args, **kwargs):
        raise RuntimeError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    result = client.get("/healthz")
    assert result.status_code == 503
    assert result.json()["status"] == "error"


def test_a_coordinator_logs_in_and_out(coordinator_a):
    browser = Client()
    result = browser.post(reverse("login"), {"username": "coord-a", "password": PASSWORD})
    assert result.status_code == 302
    assert browser.get(reverse("assessments:coordinator_home")).status_code == 200
    browser.post(reverse("logout"))
    assert browser.get(reverse("assessments:coordinator_home")).status_code == 302


def test_a_wrong_password_is_explained(coordinator_a):
    result = Client().post(reverse("login"), {"username": "coord-a", "password": "wrong"})
    assert result.status_code == 200
    assert 'class="error-box"' in result.content.decode()


# Runs the real worker, which closes database connections between tasks: real transactions.
@pytest.mark.django_db(transaction=True)
def test_password_reset_sends_a_working_link_by_email(
    coordinator_a, django_capture_on_commit_callbacks
):
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(reverse("password_reset"), {"email": coordinator_a.email})
    assert not mail.outbox  # sent by the worker, not the web request
    run_worker()
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1].strip()
    form_page = browser.get(path, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    new = "an-even-longer-new-password-77"
    browser.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    coordinator_a.refresh_from_db()
    assert coordinator_a.check_password(new)


def test_an_expired_reset_link_is_explained(client):
    result = client.get("/accounts/reset/MQ/set-password/", follow=True)
    assert result.status_code == 200
    assert not result.context["validlink"]


def test_responses_and_answers_are_not_in_the_admin(client, staff_user):
    from django.contrib import admin

    from assessments.models import Answer, Response

    assert not admin.site.is_registered(Response)
    assert not admin.site.is_registered(Answer)


def test_swedish_is_used_whatever_the_browser_prefers(client):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="sv">' in body
