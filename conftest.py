"""Shared fixtures: the default framework, and the personas every view is tested against —
staff, the coordinator of organisation A, the coordinator of organisation B, and an
anonymous respondent."""

import os
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told it is safe. It is: the loop belongs to Playwright, not to Django.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def _swedish_by_default(settings):
    settings.LANGUAGE_CODE = "sv"


@pytest.fixture(autouse=True)
def _no_pages_from_an_earlier_test():
    """build_pages keeps each (version, target group)'s pages in the process. A rolled-back
    test can give its ids to the next test's different framework content (SQLite reuses them),
    which production never does: every test starts without kept pages."""
    from assessments.questionnaire import forget_pages

    forget_pages()


@pytest.fixture(autouse=True)
def _staff_second_factor_off(settings):
    """The product asks staff for a TOTP code by default (DIGILYFT_STAFF_OTP_REQUIRED); tests
    of other things log staff in with a password only. core/tests/test_second_factor.py turns
    it back on and tests it."""
    settings.DIGILYFT_STAFF_OTP_REQUIRED = False


# Set on a test that did reach the database (a skipped one never does, and may be the first).
_RAN_WITH_THE_DATABASE = pytest.StashKey[bool]()


@pytest.fixture(autouse=True)
def _fresh_limits(request):
    """Rate-limit counters (CACHES["limits"], a database table outside any model, so a
    transactional test's flush leaves it) start at zero in every test that uses the database.
    Only then: a test without the database must not open a connection (it would reach the
    configured database itself, not the test database)."""
    uses_db = request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    )
    if uses_db:
        from django.core.cache import caches

        request.getfixturevalue("_django_db_helper")  # the test database, set up first
        caches["limits"].clear()
        request.node.stash[_RAN_WITH_THE_DATABASE] = True
    yield


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Production names static files from collectstatic's manifest; tests do not run it, so
    they name the files as they are (core/tests/test_static_files.py tests the manifest)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _default_version():
    """The default framework's version: fetched if present, loaded if not."""
    from frameworks.loading import load_framework_file
    from frameworks.models import FrameworkVersion

    key = _DEFAULT_VERSION_KEY.get("key")
    if key is not None:
        found = FrameworkVersion.objects.filter(framework__key=key[0], number=key[1]).first()
        if found is not None:
            return found
    loaded = load_framework_file()[0]
    _DEFAULT_VERSION_KEY["key"] = (loaded.framework.key, loaded.number)
    return loaded


_DEFAULT_VERSION_KEY: dict = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the default framework into the test database once per session. Every test sees
    it (as the site always has a framework); a test's transaction rolls back over it."""
    with django_db_blocker.unblock():
        _default_version()


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transaction = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    fixtures = getattr(item, "fixturenames", ())
    return bool(transaction) or "transactional_db" in fixtures or "live_server" in fixtures


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional or live-server test empties the database when it ends: load the
    default framework again, so the tests after it find it as every other test does."""
    result = yield
    # After the last test the session's fixtures are gone, the test database with them.
    ran = item.stash.get(_RAN_WITH_THE_DATABASE, False)
    if nextitem is not None and ran and _flushes_the_database(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _default_version()
    return result


@pytest.fixture
def version(db):
    return _default_version()


def make_org(code, name, kind="municipality", county_code="12", county_name="Skåne län", kg="B3"):
    from registry.models import Organisation

    return Organisation.objects.create(
        code=code,
        name=name,
        kind=kind,
        county_code=county_code,
        county_name=county_name,
        kommungrupp=kg if kind == "municipality" else "",
    )


@pytest.fixture
def org_a(db):
    return make_org("1287", "Trelleborgs kommun")


@pytest.fixture
def org_b(db):
    return make_org("0580", "Linköpings kommun", county_code="05", county_name="Östergötlands län")


def make_user(username, **extra):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **extra
    )
    return user


@pytest.fixture
def coordinator_a(org_a):
    from registry.models import Coordinator

    user = make_user("coord-a")
    Coordinator.objects.create(user=user, organisation=org_a)
    return user


@pytest.fixture
def coordinator_b(org_b):
    from registry.models import Coordinator

    user = make_user("coord-b")
    Coordinator.objects.create(user=user, organisation=org_b)
    return user


@pytest.fixture
def staff_user(db):
    return make_user("staff", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def client_a(client, coordinator_a):
    client.force_login(coordinator_a)
    return client


@pytest.fixture
def client_b(client, coordinator_b):
    client.force_login(coordinator_b)
    return client


@pytest.fixture
def open_round(org_a, version):
    from assessments.models import Round
    from assessments.rounds import create_round

    today = timezone.localdate()
    return create_round(
        organisation=org_a,
        user=None,
        name="Baslinje 2026",
        kind=Round.Kind.BASELINE,
        version=version,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
    )


@pytest.fixture
def politician_link(open_round):
    return open_round.links.get(target_group__key="politician")


@pytest.fixture(autouse=True)
def _one_database_even_with_a_replica(monkeypatch):
    """With DATABASE_REPLICA_URL set, the replica's alias mirrors the test database, but a
    test's transaction is invisible on another connection: the suite reads everything from the
    test database. core/tests/test_replica_routing.py tests the routing with a stand-in, and
    core/tests/test_cluster.py with a real streaming replica."""
    from lib import replica

    monkeypatch.setattr(replica, "configured", lambda: False)
