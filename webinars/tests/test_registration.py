import pytest
from django.core import mail
from django.urls import reverse

from webinars.models import Registration

from .factories import make_session, run_worker

pytestmark = pytest.mark.django_db


def register(client, session, email="anna@example.org", org=None, **extra):
    data = {
        "name": "Anna Andersson",
        "email": email,
        "organisation": org.pk,
        "target_group": "politician",
        "gender": "woman",
    }
    data.update(extra)
    return client.post(reverse("webinars:register", args=[session.pk]), data)


def confirm(client, registration):
    return client.post(reverse("webinars:confirm", args=[registration.token]))


@pytest.fixture
def session(db):
    return make_session()


# These run the real worker, which closes database connections between tasks: they need real
# transactions rather than one wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_registration_is_confirmed_by_email_and_the_place_counts_only_then(
    client, session, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = register(client, session, org=org_a)
    assert result.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == "pending"
    assert session.confirmed_count() == 0
    run_worker()
    assert len(mail.outbox) == 1
    assert f"/webinars/r/{registration.token}/confirm/" in mail.outbox[0].body
    page = client.get(reverse("webinars:registration", args=[registration.token])).content.decode()
    assert session.stream_link not in page
    # Following the link shows a button; only pressing it confirms.
    client.get(reverse("webinars:confirm", args=[registration.token]))
    assert Registration.objects.get().status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, registration)
    run_worker()
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert session.confirmed_count() == 1
    message = mail.outbox[1]
    assert message.attachments and message.attachments[0][0] == "webinar.ics"
    assert "BEGIN:VEVENT" in message.attachments[0][1]
    assert f"/webinars/r/{registration.token}/" in message.body
    page = client.get(reverse("webinars:registration", args=[registration.token])).content.decode()
    assert session.stream_link in page


def test_confirming_twice_changes_nothing(
    client, session, org_a, django_capture_on_commit_callbacks
):
    register(client, session, org=org_a)
    registration = Registration.objects.get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        confirm(client, registration)
        confirm(client, registration)
    assert len(callbacks) == 1
    assert Registration.objects.get().status == "confirmed"


def test_the_same_email_cannot_register_twice(client, session, org_a):
    register(client, session, org=org_a)
    again = register(client, session, email="ANNA@example.org ", org=org_a)
    assert again.status_code == 400
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"email": "not-an-email"},
        {"name": ""},
        {"target_group": "astronaut"},
        {"organisation": "999999"},
    ],
)
def test_bad_registrations_are_explained_and_store_nothing(client, session, org_a, overrides):
    result = register(client, session, org=org_a, **overrides)
    assert result.status_code == 400
    assert 'class="error-box"' in result.content.decode()
    assert not Registration.objects.exists()


def test_a_started_webinar_takes_no_registrations(client, org_a):
    started = make_session(hours_ahead=-0.5)
    result = register(client, started, org=org_a)
    assert result.status_code == 410
    assert not Registration.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_full_webinar_offers_a_waiting_list_and_a_cancellation_promotes(
    client, org_a, django_capture_on_commit_callbacks
):
    full = make_session(capacity=1)
    register(client, full, email="first@example.org", org=org_a)
    register(client, full, email="second@example.org", org=org_a)
    first, second = Registration.objects.order_by("id")
    confirm(client, first)
    confirm(client, second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "waiting")
    assert client.get(reverse("webinars:register", args=[full.pk])).context["full"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webinars:cancel", args=[first.token]))
    run_worker()
    second.refresh_from_db()
    assert second.status == "confirmed"
    assert any("second@example.org" in m.to for m in mail.outbox)


def test_a_forged_token_is_a_404(client):
    assert client.get("/webinars/r/forged/").status_code == 404
    assert client.post("/webinars/r/forged/cancel/").status_code == 404


def test_erasing_keeps_the_anonymous_counts(client, org_a):
    past = make_session(hours_ahead=-5)
    registration = Registration.objects.create(
        session=past,
        name="Bo",
        email="bo@example.org",
        organisation=org_a,
        target_group="official",
        gender="man",
        status="confirmed",
        attended=True,
    )
    result = client.post(reverse("webinars:erase", args=[registration.token]))
    assert result.status_code == 200
    registration.refresh_from_db()
    assert (registration.name, registration.email) == ("", "")
    assert registration.erased_at is not None
    assert (registration.organisation, registration.target_group, registration.gender) == (
        org_a,
        "official",
        "man",
    )
    assert registration.attended and registration.status == "confirmed"


def test_personal_data_is_erased_after_the_retention_period(org_a, settings):
    from django.core.management import call_command

    settings.DIGILYFT_WEBINAR_RETENTION_DAYS = 30
    old = make_session(hours_ahead=-24 * 40)
    recent = make_session(hours_ahead=-24 * 10)
    for session, email in ((old, "old@example.org"), (recent, "new@example.org")):
        Registration.objects.create(
            session=session,
            name="X",
            email=email,
            organisation=org_a,
            target_group="official",
            status="confirmed",
        )
    call_command("erase_webinar_personal_data", verbosity=0)
    assert list(Registration.objects.exclude(email="").values_list("email", flat=True)) == [
        "new@example.org"
    ]
    assert Registration.objects.count() == 2


def test_the_programme_filters_by_target_group(client):
    make_session(groups=("politician",), title_sv="För politiker")
    make_session(groups=("official",), title_sv="För tjänstepersoner")
    page = client.get(reverse("webinars:programme"), {"group": "official"}).content.decode()
    assert "För tjänstepersoner" in page and "För politiker" not in page
    assert client.get(reverse("webinars:programme"), {"group": "robot"}).status_code == 400


def test_the_calendar_feed_lists_sessions_without_stream_links(client, session):
    result = client.get(reverse("webinars:calendar"))
    assert result["Content-Type"].startswith("text/calendar")
    body = result.content.decode()
    assert body.count("BEGIN:VEVENT") == 1
    assert "Webbinarium om data" in body
    assert session.stream_link not in body
