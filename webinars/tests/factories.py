from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from webinars.models import Series, Session


def make_session(hours_ahead=48, capacity=None, groups=("politician",), **extra):
    series = Series.objects.create(
        title_sv="Serie", title_en="Series", target_groups=list(groups), is_published=True
    )
    start = timezone.now() + timedelta(hours=hours_ahead)
    return Session.objects.create(
        series=series,
        title_sv=extra.pop("title_sv", "Webbinarium om data"),
        title_en="Webinar on data",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=capacity,
        stream_link="https://video.example/room-1",
        **extra,
    )


def run_worker():
    """Run the database-backed worker until the queue is empty, as in production."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
