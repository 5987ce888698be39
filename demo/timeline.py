"""The demo's one timeline, relative to the day it is loaded.

Every date the demo writes comes from here, so that the story holds whenever it is loaded:

- the programme's own facts (``programme/data/programme.yaml``: decided 30 August, grants of
  2, 3 and 5 MSEK over three calendar years, period to 31 December of the third, final report
  due 28 February after it) moved by whole years so that the period ends on 31 December of
  this year (of next year from 18 December on, so that some of it is always left);
- the kick-off webinar about four months before the national baseline, never before the
  programme was decided;
- the national baseline open for five weeks or so from about a year ago (54 weeks before the
  load day), the follow-up, as long, closing about two months ago (60 days), and the locally adapted
  workshops and the action plans' work between them;
- Trelleborg's own round open now, and the upcoming webinars in the coming weeks.

Events people attend (webinars, workshops) fall on weekdays outside the Christmas break and
July; rounds open and close on weekdays outside the Christmas break.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from programme.defaults import facts

FACTS_LAST_YEAR = 2020  # the year the programme's period ends in its own facts


def is_weekday(day: date) -> bool:
    return day.weekday() < 5


def in_christmas_break(day: date) -> bool:
    return (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day <= 6)


def is_workday(day: date) -> bool:
    """A weekday outside the Christmas break (24 Dec – 6 Jan) and the July holidays."""
    return is_weekday(day) and not in_christmas_break(day) and day.month != 7


def weekday_on_or_after(day: date) -> date:
    """The day, or the next weekday outside the Christmas break."""
    while not is_weekday(day) or in_christmas_break(day):
        day += timedelta(days=1)
    return day


def weekday_on_or_before(day: date) -> date:
    """The day, or the last weekday before it outside the Christmas break."""
    while not is_weekday(day) or in_christmas_break(day):
        day -= timedelta(days=1)
    return day


def workday_on_or_after(day: date) -> date:
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def workday_on_or_before(day: date) -> date:
    while not is_workday(day):
        day -= timedelta(days=1)
    return day


def _moved(value, years: int) -> date:
    value = value if isinstance(value, date) else date.fromisoformat(str(value))
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February into a common year
        return value.replace(year=value.year + years, day=28)


@dataclass(frozen=True)
class Timeline:
    today: date
    shift: int  # whole years the programme's facts are moved by

    # -- the programme's facts, moved ---------------------------------------------------
    @property
    def period_start(self) -> date:
        return _moved(facts()["programme"]["decided_by_government"], self.shift)

    @property
    def period_end(self) -> date:
        return _moved(facts()["programme"]["period_end"], self.shift)

    @property
    def deadline(self) -> date:
        return _moved(facts()["programme"]["final_report_due"], self.shift)

    def grants(self) -> dict[int, int]:
        """{year: SEK}: the facts' grants, year by year, moved."""
        return {
            int(year) + self.shift: int(amount)
            for year, amount in facts()["programme"]["funding_sek"].items()
        }

    @property
    def grant_years(self) -> list[int]:
        return sorted(self.grants())

    # -- national rounds --------------------------------------------------------------
    @property
    def baseline_opens(self) -> date:
        return weekday_on_or_after(self.today - timedelta(weeks=54))

    @property
    def baseline_closes(self) -> date:
        return weekday_on_or_after(self.baseline_opens + timedelta(days=33))

    @property
    def follow_up_closes(self) -> date:
        return weekday_on_or_before(self.today - timedelta(days=60))

    @property
    def follow_up_opens(self) -> date:
        return weekday_on_or_before(self.follow_up_closes - timedelta(days=33))

    # -- what happened between them -----------------------------------------------------
    @property
    def kickoff(self) -> date:
        earliest = self.period_start + timedelta(days=30)
        return workday_on_or_after(max(earliest, self.baseline_opens - timedelta(weeks=17)))

    def past_webinar_days(self) -> list[date]:
        """The kick-off, four weeks later, and about two weeks into the baseline (before it,
        when the holidays leave no workday while it is open)."""
        during = workday_on_or_after(self.baseline_opens + timedelta(weeks=2))
        if during >= self.baseline_closes:
            during = workday_on_or_before(self.baseline_opens + timedelta(weeks=2))
        return sorted(
            {self.kickoff, workday_on_or_after(self.kickoff + timedelta(weeks=4)), during}
        )

    @property
    def work_starts(self) -> date:
        """Work that can move the follow-up starts three weeks after the baseline closed."""
        return self.baseline_closes + timedelta(weeks=3)

    @property
    def work_ends(self) -> date:
        """… and ends three weeks before the follow-up opens."""
        return self.follow_up_opens - timedelta(weeks=3)

    def workshop_rounds(self) -> list[tuple[date, date]]:
        """Two rounds of workshops, the first and the second half of the window."""
        span = (self.work_ends - self.work_starts).days
        middle = self.work_starts + timedelta(days=span // 2)
        return [
            (self.work_starts, middle - timedelta(days=7)),
            (middle + timedelta(days=7), self.work_ends),
        ]

    # -- now and ahead ----------------------------------------------------------------
    @property
    def open_round_opens(self) -> date:
        return self.today - timedelta(days=7)

    @property
    def open_round_closes(self) -> date:
        return weekday_on_or_after(self.today + timedelta(days=60))

    def upcoming_webinar_days(self, count: int = 4) -> list[date]:
        """Tuesdays and Thursdays from next week on, alternately, one a week."""
        monday = self.today + timedelta(days=7 - self.today.weekday())
        days, week = [], 0
        while len(days) < count:
            day = monday + timedelta(weeks=week, days=1 if len(days) % 2 == 0 else 3)
            if is_workday(day):
                days.append(day)
            week += 1
        return days


def timeline(today: date | None = None) -> Timeline:
    today = today or timezone.localdate()
    last = date(today.year, 12, 31)
    end_year = today.year if (last - today).days >= 14 else today.year + 1
    return Timeline(today=today, shift=end_year - FACTS_LAST_YEAR)
