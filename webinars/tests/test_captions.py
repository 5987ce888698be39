"""Every recording has a caption status (none, automatic, checked); the recording page and
the office's list warn while the captions are not checked."""

import pytest
from django.urls import reverse

from webinars.models import Session

from .factories import make_session

pytestmark = pytest.mark.django_db


def recorded(status=Session.Captions.NONE, **extra):
    return make_session(
        hours_ahead=-48,
        recording_link="https://video.example/rec-1",
        caption_status=status,
        **extra,
    )


@pytest.mark.parametrize("status", [Session.Captions.NONE, Session.Captions.AUTOMATIC])
def test_the_recording_page_warns_while_captions_are_not_checked(client, status):
    session = recorded(status)
    page = client.get(reverse("webinars:recording", args=[session.pk])).content.decode()
    assert "caption-warning" in page and 'href="https://video.example/rec-1"' in page


def test_checked_captions_carry_no_warning(client):
    session = recorded(Session.Captions.CHECKED)
    page = client.get(reverse("webinars:recording", args=[session.pk])).content.decode()
    assert "caption-warning" not in page and 'id="caption-status"' in page


def test_a_session_without_a_recording_has_no_recording_page(client):
    upcoming = make_session(recording_link="https://video.example/rec-9")
    held = make_session(hours_ahead=-48)
    for session in (upcoming, held):
        assert client.get(reverse("webinars:recording", args=[session.pk])).status_code == 404


def test_an_unpublished_series_has_no_recording_page(client):
    session = recorded()
    session.series.is_published = False
    session.series.save()
    assert client.get(reverse("webinars:recording", args=[session.pk])).status_code == 404


def test_the_programme_links_to_the_recording_page(client):
    session = recorded()
    page = client.get(reverse("webinars:programme")).content.decode()
    assert reverse("webinars:recording", args=[session.pk]) in page
    assert 'href="https://video.example/rec-1"' not in page  # through the page that warns


def test_the_office_list_warns_about_unchecked_captions(staff_client):
    recorded(Session.Captions.AUTOMATIC)
    recorded(Session.Captions.CHECKED)
    make_session(hours_ahead=-48)  # no recording: nothing to caption
    page = staff_client.get(reverse("webinars:office_sessions")).content.decode()
    assert 'id="captions-unchecked"' in page
    assert page.count('class="caption-warning"') == 1


def test_with_every_recording_checked_the_office_sees_no_warning(staff_client):
    recorded(Session.Captions.CHECKED)
    page = staff_client.get(reverse("webinars:office_sessions")).content.decode()
    assert 'id="captions-unchecked"' not in page and "caption-warning" not in page
