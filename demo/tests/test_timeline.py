"""The demo's timeline holds whatever day it is loaded: checked for every day of two years."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from demo.programme import costs
from demo.timeline import is_workday, timeline

DAYS = [date(2027, 1, 1) + timedelta(days=n) for n in range(366 + 365)]  # 2027 and leap 2028


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_the_story_holds_on_any_load_day(today):
    tl = timeline(today)
    assert tl.period_start < tl.kickoff < tl.baseline_opens < tl.baseline_closes
    assert tl.baseline_closes < tl.work_starts < tl.work_ends < tl.follow_up_opens
    assert tl.follow_up_closes < tl.open_round_opens < today < tl.open_round_closes
    assert 330 <= (today - tl.baseline_opens).days <= 400
    assert 31 <= (tl.baseline_closes - tl.baseline_opens).days <= 47
    assert 31 <= (tl.follow_up_closes - tl.follow_up_opens).days <= 47
    assert 60 <= (today - tl.follow_up_closes).days <= 75
    assert 60 <= (tl.baseline_opens - tl.kickoff).days <= 130
    assert today <= tl.period_end < tl.deadline
    for day in (tl.baseline_opens, tl.baseline_closes, tl.follow_up_opens, tl.follow_up_closes):
        assert day.weekday() < 5
    for first, last in tl.workshop_rounds():
        assert tl.work_starts <= first < last <= tl.work_ends
        assert any(is_workday(first + timedelta(days=n)) for n in range((last - first).days))
    assert all(is_workday(day) for day in tl.past_webinar_days() + tl.upcoming_webinar_days())
    assert all(day < tl.baseline_closes for day in tl.past_webinar_days())
    assert all(today < day for day in tl.upcoming_webinar_days())
    spent = defaultdict(Decimal)
    for _activity, day, amount, status, _note in costs(tl):
        assert tl.period_start <= day <= tl.period_end
        assert status == "committed" or day <= today
        spent[day.year] += Decimal(amount)
    grants = tl.grants()
    assert all(spent[year] <= grants[year] for year in spent)
