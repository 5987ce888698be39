"""Staff need a TOTP code (django-otp) before any staff page; coordinators do not."""

import os
import re
import subprocess
import sys
import uuid
from base64 import b32decode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import make_user

SETUP = "/accounts/second-factor/setup/"
VERIFY = "/accounts/second-factor/"


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.DIGILYFT_STAFF_OTP_REQUIRED = True


@pytest.fixture
def device(staff_user):
    return TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)


def code_for(device, offset_steps=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token() if not offset_steps else _token_at(totp, offset_steps):06d}"


def _token_at(totp, offset_steps):
    totp.time = totp.time + offset_steps * totp.step
    return totp.token()


def _dummy(converter) -> object:
    name = type(converter).__name__
    return {"IntConverter": 1, "UUIDConverter": uuid.uuid4()}.get(name, "x")


def _every_path(patterns=None, prefix="", namespace=None):
    """One concrete path per URL pattern of the project, with dummy arguments."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _every_path(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            converters = pattern.pattern.converters
            kwargs = {key: _dummy(conv) for key, conv in converters.items()}
            try:
                yield name, reverse(name, kwargs=kwargs)
            except Exception:  # a pattern with positional groups: not a page we can guess
                continue


def test_staff_without_a_device_is_sent_to_setup_from_every_staff_page(client, staff_user):
    client.force_login(staff_user)
    checked = 0
    for name, path in _every_path():
        if name in ("login", "logout", "set_language", "core:healthz") or "second_factor" in name:
            continue
        if name.startswith("password_reset") or path.startswith("/api/"):
            continue
        response = client.get(path)
        assert response.status_code == 302, (name, path, response.status_code)
        assert response["Location"].startswith(SETUP + "?next="), (name, path)
        checked += 1
    assert checked > 50


def test_the_admin_is_behind_the_code_too(client, staff_user, device):
    client.force_login(staff_user)
    response = client.get("/admin/registry/organisation/")
    assert response.status_code == 302
    assert response["Location"] == VERIFY + "?next=%2Fadmin%2Fregistry%2Forganisation%2F"


def test_a_post_to_a_staff_page_without_a_code_changes_nothing(client, staff_user, device):
    client.force_login(staff_user)
    response = client.post("/admin/auth/user/add/", {"username": "intruder"})
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert not type(staff_user).objects.filter(username="intruder").exists()


def test_staff_with_a_right_code_get_in(client, staff_user, device):
    client.force_login(staff_user)
    response = client.post(VERIFY, {"code": code_for(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("programme:overview")).status_code == 200


def test_a_code_works_only_once(client, staff_user, device):
    client.force_login(staff_user)
    code = code_for(device)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.logout()
    client.force_login(staff_user)
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post(VERIFY, {"code": code}).status_code == 400


def test_a_wrong_code_is_refused_with_a_clear_message(client, staff_user, device):
    client.force_login(staff_user)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 400
    assert "Koden stämmer inte" in response.content.decode()
    assert client.get(reverse("programme:overview")).status_code == 302


def test_a_malformed_code_is_refused_without_counting(client, staff_user, device):
    client.force_login(staff_user)
    for code in ("12345", "abcdef", "１２３４５６", "²²²²²²", "1" * 19):
        response = client.post(VERIFY, {"code": code})
        assert response.status_code == 400
        assert "sex siffror" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_wrong_codes_are_throttled_even_before_a_right_one(client, staff_user, device):
    client.force_login(staff_user)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    assert client.post(VERIFY, {"code": wrong}).status_code == 400
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "För många felaktiga koder" in response.content.decode()
    assert client.get(reverse("programme:overview")).status_code == 302


def test_spaces_in_a_code_do_not_matter(client, staff_user, device):
    client.force_login(staff_user)
    code = code_for(device)
    assert client.post(VERIFY, {"code": f" {code[:3]} {code[3:]} "}).status_code == 302


def _secret_from(page: str) -> bytes:
    groups = re.search(r'<code class="otp-secret">([A-Z2-7 ]+)</code>', page).group(1)
    secret = groups.replace(" ", "")
    return b32decode(secret + "=" * (-len(secret) % 8))


def _setup_token(page: str) -> str:
    return re.search(r'name="setup" value="([^"]+)"', page).group(1)


def test_setting_up_shows_a_qr_code_and_the_key_and_stores_nothing(client, staff_user):
    client.force_login(staff_user)
    response = client.get(SETUP)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and len(_secret_from(page)) == 20
    assert response["Cache-Control"].startswith("max-age=0")
    assert not TOTPDevice.objects.exists()


def test_setting_up_with_the_first_code_stores_the_device_and_lets_in(client, staff_user):
    client.force_login(staff_user)
    page = client.get(SETUP + "?next=/admin/").content.decode()
    code = f"{TOTP(_secret_from(page)).token():06d}"
    response = client.post(SETUP, {"setup": _setup_token(page), "code": code, "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert TOTPDevice.objects.get(user=staff_user).confirmed
    assert client.get("/admin/").status_code == 200
    # With a device, the setup page no longer offers a new one.
    assert client.get(SETUP)["Location"] == VERIFY


def test_setting_up_with_a_wrong_code_stores_nothing(client, staff_user):
    client.force_login(staff_user)
    page = client.get(SETUP).content.decode()
    wrong = f"{(TOTP(_secret_from(page)).token() + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"setup": _setup_token(page), "code": wrong})
    assert response.status_code == 400
    assert "Koden stämmer inte" in response.content.decode()
    assert _secret_from(response.content.decode()) == _secret_from(page)
    assert not TOTPDevice.objects.exists()


def test_a_forged_or_foreign_setup_is_refused(client, staff_user):
    other = make_user("other-staff", is_staff=True)
    client.force_login(other)
    page = client.get(SETUP).content.decode()
    code = f"{TOTP(_secret_from(page)).token():06d}"
    client.force_login(staff_user)
    for token in (_setup_token(page), "forged", ""):
        response = client.post(SETUP, {"setup": token, "code": code})
        assert response.status_code == 400
        assert "Skanna den nya koden" in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_coordinators_are_not_asked_for_a_code(client_a):
    assert client_a.get(reverse("assessments:coordinator_home")).status_code == 200
    assert client_a.get(SETUP).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(VERIFY)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_setting_turns_the_requirement_off(client, staff_user, settings):
    settings.DIGILYFT_STAFF_OTP_REQUIRED = False
    client.force_login(staff_user)
    assert client.get(reverse("programme:overview")).status_code == 200


def test_the_requirement_is_on_unless_the_environment_turns_it_off():
    script = "from django.conf import settings; print(settings.DIGILYFT_STAFF_OTP_REQUIRED)"
    env = {k: v for k, v in os.environ.items() if k != "STAFF_OTP_REQUIRED"}
    env["DJANGO_SETTINGS_MODULE"] = "digilyft.settings"
    run = [sys.executable, "-c", "import django; django.setup(); " + script]
    assert subprocess.run(run, env=env, capture_output=True, text=True).stdout.strip() == "True"
    env["STAFF_OTP_REQUIRED"] = "false"
    assert subprocess.run(run, env=env, capture_output=True, text=True).stdout.strip() == "False"
