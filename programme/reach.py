"""The programme's reach across all its activities.

An organisation is reached when it has a submitted self-assessment response, a participant
who attended a webinar, or a workshop that was held. Participants are counted per activity by
target group and gender. Self-assessment counts are of anonymous respondents: a count under the
anonymity threshold is shown as hidden, here too.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from assessments.models import Response
from frameworks.groups import target_group_labels
from learning.models import Participant
from registry.models import Organisation
from results.anonymity import threshold
from webinars.models import Registration

from . import counts
from .models import ReferenceShare

HELD = counts.HELD


def reached_organisation_ids(start=None, end=None) -> set[int]:
    """The one definition of *reached* lives in ``programme.counts``."""
    return counts.reached_ids(start, end)


@dataclass
class ReachRow:
    label: str
    reached: int
    total: int

    @property
    def share(self) -> float | None:
        return self.reached / self.total if self.total else None


def organisations_by(field: str, reached: set[int]) -> list[ReachRow]:
    totals = Organisation.objects.values(field).annotate(n=Count("id")).order_by(field)
    hits = dict(
        Organisation.objects.filter(pk__in=reached).values_list(field).annotate(n=Count("id"))
    )
    labels = {}
    if field == "kind":
        labels = dict(Organisation.Kind.choices)
    elif field == "kommungrupp":  # by name, as the overview shows it
        labels = dict(
            Organisation.objects.exclude(kommungrupp_name="")
            .values_list("kommungrupp", "kommungrupp_name")
            .distinct()
        )
    return [
        ReachRow(str(labels.get(row[field], row[field] or "–")), hits.get(row[field], 0), row["n"])
        for row in totals
    ]


def participants(start=None, end=None) -> dict:
    """{activity: {(target group, gender): count}} for webinars, workshops, self-assessments."""
    webinars = Registration.objects.filter(attended=True)
    workshops = Participant.objects.filter(request__status__in=HELD)
    responses = Response.objects.filter(submitted_on__isnull=False)
    if start and end:
        webinars = webinars.filter(session__starts_at__date__range=(start, end))
        workshops = workshops.filter(request__scheduled_start__date__range=(start, end))
        responses = responses.filter(submitted_on__range=(start, end))
    return {
        "webinars": _cells(webinars.values_list("target_group", "gender").annotate(n=Count("id"))),
        "workshops": _cells(
            workshops.values_list("target_group", "gender").annotate(n=Count("id"))
        ),
        "assessments": _cells(
            responses.values_list("link__target_group__key", "gender").annotate(n=Count("id"))
        ),
    }


def _cells(rows) -> dict:
    cells = defaultdict(int)
    for group, gender, n in rows:
        cells[(group, gender or "")] += n
    return dict(cells)


@dataclass
class GenderRow:
    group: str
    label: str
    women: int
    men: int
    other: int
    reference: float | None
    hidden: bool = False

    @property
    def total(self) -> int:
        return self.women + self.men + self.other

    @property
    def share_women(self) -> float | None:
        stated = self.women + self.men
        return self.women / stated if stated else None


def gender_analysis(cells_by_activity: dict) -> list[GenderRow]:
    """Per target group, all activities together: women, men, other or not stated, and the
    share of women among those who stated woman or man, next to the population's share."""
    references = {r.target_group: float(r.share_women) for r in ReferenceShare.objects.all()}
    # Every group a framework version names, and any other group found in the counts.
    found = {group for cells in cells_by_activity.values() for group, _gender in cells}
    rows = []
    for key, label in target_group_labels(sorted(found)).items():
        women = men = other = 0
        for cells in cells_by_activity.values():
            for (group, gender), n in cells.items():
                if group != key:
                    continue
                if gender == "woman":
                    women += n
                elif gender == "man":
                    men += n
                else:
                    other += n
        row = GenderRow(key, str(label), women, men, other, references.get(key))
        # Self-assessment respondents are anonymous: hide a group with too few to count safely.
        row.hidden = 0 < row.total < threshold()
        rows.append(row)
    return rows


def activity_totals(cells_by_activity: dict) -> dict:
    return {activity: sum(cells.values()) for activity, cells in cells_by_activity.items()}
