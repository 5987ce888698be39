"""The report to the funder, generated from live data for a chosen period.

Every figure comes from the same functions as the product's pages (budget, reach, results),
so the report and the pages cannot disagree. The office's own text sections are kept in the
database and edited on the report page.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from assessments.models import Response
from frameworks.models import GoalArea
from learning.models import Participant, WorkshopRequest
from plans.effect import FALSE_DISCOVERY_RATE, minimum_organisations
from registry.models import Organisation
from results import anonymity
from results.figures import Figure, totals
from results.models import PublishedFigure, UnitKind
from results.national import default_version
from results.statistics import TOO_FEW, PairedChange, Verdict, paired_change, verdicts
from webinars.models import Registration, Session

from . import audit, budget, counts, pulse_picture, reach
from .models import Consultation, DeadlineReminder, Partner, ReportSection, ReportSettings

DEFAULT_SECTIONS = [
    ("summary", "Sammanfattning"),
    ("priorities", "Prioriteringar och urval"),
    ("gender", "Jämställdhetsperspektiv"),
    ("lessons", "Lärdomar och fortsättning"),
]
REMINDER_DAYS = (30, 7, 1)


def report_settings() -> ReportSettings:
    """The office's report settings, or the programme's defaults (unsaved: reading never
    writes; the first save stores them)."""
    from .defaults import settings_from_facts

    return ReportSettings.objects.order_by("id").first() or settings_from_facts()


def create_default_sections() -> int:
    """The report's text sections (a migration and ``load_programme_defaults`` call this)."""
    created = 0
    for order, (key, title) in enumerate(DEFAULT_SECTIONS):
        _section, new = ReportSection.objects.get_or_create(
            key=key, defaults={"title": title, "order": order}
        )
        created += new
    return created


def sections() -> list[ReportSection]:
    return list(ReportSection.objects.all())


@dataclass
class AreaChange:
    """The nation's change on one goal area, organisation by organisation: each organisation
    with a published baseline and a published follow-up counts once, with the change of its
    own mean; the uncertainty is over organisations, not respondents."""

    area: object
    baseline: float | None  # the mean of the organisations' baseline means
    follow_up: float | None
    change: PairedChange | None
    verdict: Verdict = TOO_FEW  # set across the areas by ``national_change``

    @property
    def organisations(self) -> int:
        return self.change.n if self.change else 0


def paired_rounds(start, end) -> list[tuple[int, int]]:
    """(baseline id, follow-up id) of each organisation *followed up* in the period
    (``programme.counts``): the pairs the effect page measures too."""
    return [tuple(pair) for pair in counts.follow_up_pairs(start, end).values()]


def _mean_of(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def national_change(start, end) -> list[AreaChange]:
    """Per goal area: the paired change of the organisations with both a published baseline
    and a published follow-up, counting an organisation on an area only when both its figures
    for that area are shown. A change in *which* organisations took part moves nothing."""
    version = default_version()
    if version is None:
        return []
    pairs = paired_rounds(start, end)
    round_ids = [pk for pair in pairs for pk in pair]
    rows = list(
        totals(
            PublishedFigure.objects.filter(
                round_id__in=round_ids, unit_kind=UnitKind.AREA, status=PublishedFigure.Status.SHOWN
            )
        )
    )
    # areas matched by key, so a pair across two versions of the framework stays comparable
    keys = dict(GoalArea.objects.filter(pk__in={r.unit_id for r in rows}).values_list("pk", "key"))
    means = {(row.round_id, keys[row.unit_id]): Figure.published(row).estimate.mean for row in rows}
    changes = []
    for area in version.goal_areas.all():
        both = [
            (means[(b, area.key)], means[(f, area.key)])
            for b, f in pairs
            if (b, area.key) in means and (f, area.key) in means
        ]
        changes.append(
            AreaChange(
                area,
                _mean_of([b for b, _f in both]),
                _mean_of([f for _b, f in both]),
                paired_change([f - b for b, f in both]),
            )
        )
    return judge(changes)


def judge(changes: list[AreaChange]) -> list[AreaChange]:
    """The verdict on each area's change: "too few to tell" below the effect page's minimum
    of organisations, else with the false discovery rate across the areas held at 5 %."""
    least = minimum_organisations()
    enough = [change for change in changes if change.organisations >= least]
    said = verdicts([change.change for change in enough], FALSE_DISCOVERY_RATE)
    for change, verdict in zip(enough, said, strict=True):
        change.verdict = verdict
    return changes


def activities(start, end) -> dict:
    sessions = Session.objects.filter(starts_at__date__range=(start, end))
    held = WorkshopRequest.objects.filter(
        status__in=reach.HELD, scheduled_start__date__range=(start, end)
    )
    responses = Response.objects.filter(submitted_on__range=(start, end))
    return {
        "webinars": sessions.count(),
        "webinar_attendees": Registration.objects.filter(
            session__in=sessions, attended=True
        ).count(),
        "workshops": held.count(),
        "workshop_participants": Participant.objects.filter(request__in=held).count(),
        "rounds": responses.values("round_id").distinct().count(),
        "respondents": responses.count(),
    }


def gather(start, end) -> dict:
    reached = reach.reached_organisation_ids(start, end)
    cells = reach.participants(start, end)
    years = budget.by_year()
    return {
        "settings": report_settings(),
        "start": start,
        "end": end,
        "generated": timezone.localtime(),
        "activities": activities(start, end),
        "reached": len(reached),
        "counts": counts.counts(start, end),
        "organisations": Organisation.objects.count(),
        "reach_by_kind": reach.organisations_by("kind", reached),
        "reach_by_group": reach.organisations_by("kommungrupp", reached),
        "gender": reach.gender_analysis(cells),
        "national": national_change(start, end),
        # the resident pulse page's one computation, for the same period
        "pulse": pulse_picture.picture(start, end),
        "budget_years": years,
        "budget_total": budget.total(years),
        "budget_activities": budget.by_activity(),
        "partners": Partner.objects.annotate(
            n_consultations=Count(
                "consultations", filter=Q(consultations__date__range=(start, end))
            ),
            n_modules=Count("modules", distinct=True),
            n_sessions=Count("sessions", distinct=True),
            n_cases=Count("cases", distinct=True),
        ),
        "consultations": Consultation.objects.filter(date__range=(start, end)).select_related(
            "partner"
        ),
        "sections": sections(),
        "threshold": anonymity.threshold(),
    }


@transaction.atomic
def save_section(user, section: ReportSection, title: str, body: str) -> ReportSection:
    before = audit.snapshot(section)
    section.title, section.body = title, body
    section.save()
    audit.record(user, section, "update", before)
    return section


@transaction.atomic
def save_settings(user, **values) -> ReportSettings:
    current = report_settings()
    before = audit.snapshot(current)
    for name, value in values.items():
        setattr(current, name, value)
    current.save()
    audit.record(user, current, "update", before)
    transaction.on_commit(lambda: schedule_deadline_reminders(current.deadline))
    return current


def schedule_deadline_reminders(deadline):
    if not deadline:
        return
    now = timezone.now()
    for days in REMINDER_DAYS:
        moment = timezone.make_aware(
            timezone.datetime.combine(
                deadline - timedelta(days=days), timezone.datetime.min.time().replace(hour=8)
            )
        )
        if moment > now:
            remind_deadline.using(run_after=moment).enqueue(deadline.isoformat(), days)


@task()
def remind_deadline(deadline_iso: str, days: int) -> int:
    """Email the programme office; each reminder goes once (a unique row claims it), and not
    at all if the deadline has since been changed."""
    from django.contrib.auth import get_user_model

    deadline = date.fromisoformat(deadline_iso)
    if report_settings().deadline != deadline:
        return 0
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(deadline=deadline, days_before=days)
    except IntegrityError:
        return 0
    staff = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not staff:
        return 0
    return send_mail(
        _("The report to the funder is due in %(days)s days") % {"days": days},
        _("The report is due on %(date)s. Generate it from the report page in Digilyft.")
        % {"date": deadline_iso},
        None,
        staff,
    )
