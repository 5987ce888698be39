"""The demo's resident pulses come out, pooled over the organisations whose figures are shown,
near the seeds' citizens' figures: seven in ten positive, two in ten who think their
organisation lives up to their expectations. On six organisations (the whole demo is
loaded in test_demo_story.py)."""

import pytest
from django.db.models import Sum
from django.utils import timezone

from conftest import make_org
from demo.resident_pulse import load_pulse_demo
from demo.timeline import timeline
from pulse.models import Pulse, PulseFigure

pytestmark = pytest.mark.django_db


def _pooled(topic: str) -> float:
    sums = PulseFigure.objects.filter(
        statement__topic=topic, breakdown="", status=PulseFigure.Status.SHOWN
    ).aggregate(agreeing=Sum("agreeing"), rated=Sum("rated"))
    return sums["agreeing"] / sums["rated"]


def test_the_demo_pulses_come_out_near_the_seeds():
    organisations = [make_org(f"{1200 + i:04d}", f"Kommun {i}", kg="A1") for i in range(6)]
    tl = timeline(timezone.localdate())

    residents = load_pulse_demo(tl, organisations, share=1.0)

    assert Pulse.objects.count() == 6 and residents > 6 * 100
    assert abs(_pooled("attitude") - 0.7) < 0.05
    assert abs(_pooled("lives_up") - 0.2) < 0.05
    assert load_pulse_demo(tl, organisations, share=1.0) == 0  # loaded once
