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

from assessments.models import Response, Round
from learning.models import Participant, WorkshopRequest
from registry.models import Organisation
from results import anonymity
from results.aggregation import ensure_fresh
from results.figures import Figure, sum_cells
from results.models import ResultCell, RoundResultState, UnitKind
from results.national import default_version
from results.statistics import difference
from webinars.models import Registration, Session

from . import audit, budget, reach
from .models import Consultation, DeadlineReminder, Partner, ReportSection, ReportSettings

DEFAULT_SECTIONS = [
    ("summary", "Sammanfattning"),
    ("priorities", "Prioriteringar och urval"),
    ("gender", "Jämställdhetsperspektiv"),
    ("lessons", "Lärdomar och fortsättning"),
]
REMINDER_DAYS = (30, 7, 1)


def report_settings() -> ReportSettings:
    current = ReportSettings.objects.order_by("id").first()
    if current is None:
        current = ReportSettings.objects.create(
            period_start=date(2018, 8, 30),
            period_end=date(2020, 12, 31),
            deadline=date(2021, 2, 28),
        )
    return current


def sections() -> list[ReportSection]:
    for order, (key, title) in enumerate(DEFAULT_SECTIONS):
        ReportSection.objects.get_or_create(key=key, defaults={"title": title, "order": order})
    return list(ReportSection.objects.all())


@dataclass
class AreaChange:
    area: object
    baseline: Figure
    follow_up: Figure

    @property
    def change(self):
        if self.baseline.estimate and self.follow_up.estimate:
            return difference(self.follow_up.estimate, self.baseline.estimate)
        return None


def national_change(start, end) -> list[AreaChange]:
    """Per goal area: the nation's baseline rounds against its follow-up rounds opened in the
    period, counting only rounds that pass the anonymity threshold on their own (as on the
    national page)."""
    version = default_version()
    if version is None:
        return []
    ensure_fresh(Round.objects.filter(version=version))
    passing = RoundResultState.objects.filter(
        round__version=version,
        round__opens_on__range=(start, end),
        respondents__gte=anonymity.threshold(),
    )
    kinds = {
        kind: list(passing.filter(round__kind=kind).values_list("round_id", flat=True))
        for kind in (Round.Kind.BASELINE, Round.Kind.FOLLOW_UP)
    }
    sums = {
        kind: sum_cells(
            ResultCell.objects.filter(round_id__in=ids, unit_kind=UnitKind.AREA), "unit_id"
        )
        for kind, ids in kinds.items()
    }
    return [
        AreaChange(
            area,
            Figure.of(sums[Round.Kind.BASELINE].get(area.pk)),
            Figure.of(sums[Round.Kind.FOLLOW_UP].get(area.pk)),
        )
        for area in version.goal_areas.all()
    ]


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
        "organisations": Organisation.objects.count(),
        "reach_by_kind": reach.organisations_by("kind", reached),
        "reach_by_group": reach.organisations_by("kommungrupp", reached),
        "gender": reach.gender_analysis(cells),
        "national": national_change(start, end),
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
