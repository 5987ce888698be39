"""Digilyft's own system checks (core/checks.py)."""

from django.core import checks

from core.checks import (
    no_separate_api_address_header,
    proxy_count_behind_a_trusted_proxy,
    shared_state_with_several_app_servers,
)


def _ids(messages):
    return [message.id for message in messages]


def test_deploy_check_warns_when_the_proxy_is_trusted_but_not_counted(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.DIGILYFT_TRUSTED_PROXY_COUNT = 0
    assert _ids(proxy_count_behind_a_trusted_proxy(None)) == ["digilyft.W001"]
    assert "digilyft.W001" in _ids(checks.run_checks(include_deployment_checks=True))
    assert "digilyft.W001" not in _ids(checks.run_checks())  # a deployment check only
    settings.DIGILYFT_TRUSTED_PROXY_COUNT = 1
    assert proxy_count_behind_a_trusted_proxy(None) == []
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.DIGILYFT_TRUSTED_PROXY_COUNT = 0
    assert proxy_count_behind_a_trusted_proxy(None) == []


def test_the_old_api_address_header_is_reported_as_unused(monkeypatch):
    monkeypatch.delenv("DIGILYFT_API_CLIENT_ADDRESS_HEADER", raising=False)
    assert no_separate_api_address_header(None) == []
    monkeypatch.setenv("DIGILYFT_API_CLIENT_ADDRESS_HEADER", "HTTP_X_REAL_IP")
    assert _ids(no_separate_api_address_header(None)) == ["digilyft.W002"]


LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://r:6379/0"}
DATABASE_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"}


def test_one_app_server_may_keep_its_caches_to_itself(settings):
    settings.DIGILYFT_APP_SERVERS = 1
    settings.CACHES = {"default": LOCMEM, "limits": LOCMEM}
    assert shared_state_with_several_app_servers(None) == []


def test_several_app_servers_with_a_cache_in_each_process_are_warned_about(settings):
    settings.DIGILYFT_APP_SERVERS = 2
    settings.CACHES = {"default": LOCMEM, "limits": DATABASE_CACHE}
    [warning] = shared_state_with_several_app_servers(None)
    assert warning.id == "digilyft.W003"
    assert 'CACHES["default"]' in warning.msg and 'CACHES["limits"]' not in warning.msg
    assert "digilyft.W003" in _ids(checks.run_checks(include_deployment_checks=True))
    assert "digilyft.W003" not in _ids(checks.run_checks())  # a deployment check only
    settings.CACHES = {"default": REDIS, "limits": LOCMEM}
    [warning] = shared_state_with_several_app_servers(None)
    assert 'CACHES["limits"]' in warning.msg and 'CACHES["default"]' not in warning.msg


def test_several_app_servers_need_sessions_all_of_them_read(settings):
    settings.DIGILYFT_APP_SERVERS = 3
    settings.CACHES = {"default": LOCMEM, "limits": REDIS}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    [warning] = shared_state_with_several_app_servers(None)
    assert "sessions" not in warning.msg  # the database is shared
    for engine in ("cache", "cached_db"):  # cached_db: a logout stays unseen by the others
        settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{engine}"
        [warning] = shared_state_with_several_app_servers(None)
        assert "sessions are cached in a cache that is kept in each process" in warning.msg
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.file"
    settings.CACHES = {"default": REDIS, "limits": REDIS}
    [warning] = shared_state_with_several_app_servers(None)
    assert warning.msg.endswith("each app server counts and remembers on its own.")
    assert "sessions are files" in warning.msg


def test_several_app_servers_sharing_redis_are_clean(settings):
    settings.DIGILYFT_APP_SERVERS = 2
    settings.CACHES = {"default": REDIS, "limits": REDIS}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    assert shared_state_with_several_app_servers(None) == []
