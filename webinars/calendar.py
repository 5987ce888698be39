"""iCalendar (RFC 5545) files: one session for a confirmed participant, or the public feed."""

from django.conf import settings
from icalendar import Calendar, Event

PRODID = "-//Digilyft//Webinars//SV"


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _event(session, with_stream_link: bool) -> Event:
    event = Event()
    event.add("uid", f"webinar-session-{session.pk}@digilyft")
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("dtstamp", session.starts_at)
    event.add("summary", f"{session.series.title}: {session.title}")
    description = session.description or session.series.description
    if with_stream_link and session.stream_link:
        event.add("location", session.stream_link)
        event.add("url", session.stream_link)
        description = f"{description}\n\n{session.stream_link}".strip()
    event.add("description", description)
    return event


def session_ics(session, with_stream_link: bool = False) -> bytes:
    calendar = _calendar()
    calendar.add_component(_event(session, with_stream_link))
    return calendar.to_ical()


def feed_ics(sessions) -> bytes:
    """The public programme: never with stream links, which are for registered people only."""
    calendar = _calendar()
    calendar.add("x-wr-calname", "Digilyft webbinarier")
    for session in sessions:
        calendar.add_component(_event(session, with_stream_link=False))
    return calendar.to_ical()
