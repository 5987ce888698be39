"""Login lockout per username and client (django-axes, in the database) and password-reset
mails limited per address (lib/ratelimit.py, in the shared cache)."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from lib.ratelimit import allow
from webinars.tests.factories import run_worker

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_that_username_on_that_client(coordinator_a, settings):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(attacker, "coord-a", "wrong").status_code == 200
    locked = _login(attacker, "coord-a", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert '<html lang="sv">' in page
    assert "Glömt lösenordet?" in page
    assert "15" in page
    # Even the right password is refused now, from this client, without being checked.
    assert _login(attacker, "coord-a", PASSWORD).status_code == 429


def test_a_lockout_does_not_touch_the_same_user_elsewhere_nor_other_users(
    coordinator_a, coordinator_b, settings
):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(attacker, "coord-a", "wrong")
    assert _login(attacker, "coord-a", PASSWORD).status_code == 429
    # The owner, on their own device, logs in.
    owner = Client(REMOTE_ADDR="198.51.100.1")
    assert _login(owner, "coord-a", PASSWORD).status_code == 302
    # Another user on the attacker's address (a shared office network) logs in too.
    assert _login(Client(REMOTE_ADDR="203.0.113.7"), "coord-b", PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures(coordinator_a, settings):
    browser = Client(REMOTE_ADDR="198.51.100.1")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(browser, "coord-a", "wrong")
    assert _login(browser, "coord-a", PASSWORD).status_code == 302
    browser.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(browser, "coord-a", "wrong").status_code == 200


def test_the_forwarded_address_counts_only_behind_configured_proxies(coordinator_a, settings):
    # Without a configured proxy, a forged X-Forwarded-For does not give new tries.
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").post(
            reverse("login"), {"username": "coord-a", "password": "wrong"}
        )
    assert _login(Client(REMOTE_ADDR="203.0.113.7"), "coord-a", PASSWORD).status_code == 429
    # Behind one proxy of ours, the client is what it appended.
    settings.DIGILYFT_TRUSTED_PROXY_COUNT = 1
    behind = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="forged, 192.0.2.9")
    assert _login(behind, "coord-a", PASSWORD).status_code == 302


def test_password_spraying_from_one_address_is_limited_across_usernames(
    coordinator_a, coordinator_b, settings
):
    settings.DIGILYFT_LOGIN_FAILURES_PER_ADDRESS_PER_HOUR = 6
    sprayer = Client(REMOTE_ADDR="203.0.113.7")
    # One wrong password each for many usernames: django-axes never locks any of them.
    for n in range(settings.DIGILYFT_LOGIN_FAILURES_PER_ADDRESS_PER_HOUR):
        assert _login(sprayer, f"user-{n}", "wrong").status_code == 200
    refused = _login(sprayer, "user-99", "wrong")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    # Not even the right password is checked from that address now.
    assert _login(sprayer, "coord-b", PASSWORD).status_code == 429
    # The real user on another address logs in.
    assert _login(Client(REMOTE_ADDR="198.51.100.1"), "coord-a", PASSWORD).status_code == 302


def test_the_spraying_limit_counts_wrong_passwords_only(coordinator_a, settings):
    settings.DIGILYFT_LOGIN_FAILURES_PER_ADDRESS_PER_HOUR = 2
    office = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(4):
        assert _login(office, "coord-a", PASSWORD).status_code == 302
        office.post(reverse("logout"))
    assert _login(office, "coord-a", "wrong").status_code == 200
    assert _login(office, "coord-a", PASSWORD).status_code == 302


def _reset(client, address):
    return client.post(reverse("password_reset"), {"email": address})


# Runs the real worker, which closes database connections between tasks: real transactions.
@pytest.mark.django_db(transaction=True)
def test_password_reset_mails_are_limited_per_address(
    coordinator_a, coordinator_b, settings, django_capture_on_commit_callbacks
):
    settings.DIGILYFT_PASSWORD_RESET_LIMIT = 3
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(10):
            result = _reset(Client(REMOTE_ADDR=f"192.0.2.{n}"), "Coord-A@example.org")
            # Over the limit the visitor sees the same page: nothing tells what happened.
            assert result.status_code == 302
            assert result["Location"] == reverse("password_reset_done")
    assert not mail.outbox  # the web requests only queued the mails
    run_worker()
    assert len(mail.outbox) == 3
    assert {m.to[0] for m in mail.outbox} == {"coord-a@example.org"}
    # Another person's reset is not affected.
    with django_capture_on_commit_callbacks(execute=True):
        _reset(Client(), "coord-b@example.org")
    run_worker()
    assert len(mail.outbox) == 4
    assert mail.outbox[-1].to == ["coord-b@example.org"]


def test_the_password_reset_page_still_shows(client):
    result = client.get(reverse("password_reset"))
    assert result.status_code == 200
    assert 'name="email"' in result.content.decode()


def test_the_counter_is_per_scope_key_and_window():
    assert [allow("t", "a", 2, 3600) for _ in range(3)] == [True, True, False]
    assert allow("t", "b", 2, 3600) is True
    assert allow("other", "a", 2, 3600) is True


def test_a_password_reset_task_that_runs_twice_sends_once(coordinator_a):
    from types import SimpleNamespace

    from core.mail import send_password_reset

    context = SimpleNamespace(task_result=SimpleNamespace(id="0a1b"))
    args = (coordinator_a.pk, coordinator_a.email, "testserver", "http", "sv")
    assert send_password_reset.func(context, *args) == 1
    assert send_password_reset.func(context, *args) == 0
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body
