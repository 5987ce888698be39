"""The programme's loop per organisation: assessed, workshop held, plan made, activities done,
followed up — and the counts by county and municipality group, so the office sees where the
loop breaks.

Each stage is an organisation-level fact, so far: "assessed" and "followed up" as
``programme.counts`` defines them for every page (a round that published figures; an assessed
baseline and a later assessed follow-up), "workshop held" a held or evaluated workshop, "plan
made" an action plan, "activities done" at least one plan activity marked done. Every figure is
one SQL query with ``EXISTS`` subqueries and conditional counts, after one query for the
organisations followed up; nothing here writes.
"""

from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from learning.models import WorkshopRequest
from plans.models import ActionPlan, Activity
from registry.models import Organisation

from . import counts

STAGES = (
    ("assessed", _("Assessed")),
    ("workshop", _("Workshop held")),
    ("plan", _("Plan made")),
    ("done", _("Activities done")),
    ("followed_up", _("Followed up")),
)
KEYS = tuple(key for key, _label in STAGES)


def _stage_subqueries() -> dict:
    org = OuterRef("pk")
    return {
        "assessed": Exists(counts.assessed_rounds().filter(organisation_id=org)),
        "workshop": Exists(
            WorkshopRequest.objects.filter(
                organisation_id=org,
                status__in=[WorkshopRequest.Status.HELD, WorkshopRequest.Status.EVALUATED],
            )
        ),
        "plan": Exists(ActionPlan.objects.filter(organisation_id=org)),
        "done": Exists(
            Activity.objects.filter(plan__organisation_id=org, status=Activity.Status.DONE)
        ),
        "followed_up": Q(pk__in=counts.followed_up_ids()),
    }


def with_stages(queryset=None) -> QuerySet:
    """Organisations annotated with one boolean per stage."""
    queryset = Organisation.objects.all() if queryset is None else queryset
    return queryset.annotate(
        **{
            key: condition
            if isinstance(condition, Exists)
            else ExpressionWrapper(condition, output_field=BooleanField())
            for key, condition in _stage_subqueries().items()
        }
    )


@dataclass
class LoopCounts:
    code: str  # county code or municipality group code ("" for none)
    label: str
    total: int
    counts: dict  # {stage key: organisations that reached it}

    @property
    def cells(self) -> list[tuple[str, str, int]]:
        """[(stage key, stage label, count)] in the loop's order."""
        return [(key, label, self.counts[key]) for key, label in STAGES]


def _conditional_counts() -> dict:
    """One ``COUNT(...) FILTER (WHERE EXISTS ...)`` per stage (a CASE on SQLite)."""
    return {key: Count("pk", filter=subquery) for key, subquery in _stage_subqueries().items()}


def national_counts() -> LoopCounts:
    """All organisations: how many reached each stage. One query."""
    row = Organisation.objects.aggregate(total=Count("pk"), **_conditional_counts())
    return LoopCounts("", str(_("All organisations")), row.pop("total"), row)


def counts_by(field: str, name_field: str) -> list[LoopCounts]:
    """Per value of ``field`` (``county_code`` or ``kommungrupp``), how many organisations
    there are and how many reached each stage. One query, grouped in SQL."""
    rows = (
        Organisation.objects.order_by()
        .values(field, name_field)
        .annotate(total=Count("pk"), **_conditional_counts())
        .order_by(field, name_field)
    )
    return [
        LoopCounts(
            row[field],
            row[name_field] or (row[field] or str(_("No municipality group (regions)"))),
            row["total"],
            {key: row[key] for key in KEYS},
        )
        for row in rows
    ]


def by_county() -> list[LoopCounts]:
    return counts_by("county_code", "county_name")


def by_kommungrupp() -> list[LoopCounts]:
    return counts_by("kommungrupp", "kommungrupp_name")


@dataclass
class OrganisationLoop:
    organisation: Organisation
    reached: dict  # {stage key: bool}

    @property
    def stages(self) -> list[tuple[str, str, bool]]:
        return [(key, label, self.reached[key]) for key, label in STAGES]

    @property
    def breaks_at(self):
        """The label of the first stage not reached, or None when the loop is closed."""
        for key, label in STAGES:
            if not self.reached[key]:
                return label
        return None


def organisations_queryset(county_code: str = "", kommungrupp: str = "", stage: str = ""):
    """Organisations (optionally of one county or municipality group, or only those that
    reached ``stage``) annotated with their stages, in code order; one query when read."""
    queryset = Organisation.objects.all()
    if county_code:
        queryset = queryset.filter(county_code=county_code)
    if kommungrupp:
        queryset = queryset.filter(kommungrupp=kommungrupp)
    queryset = with_stages(queryset)
    if stage:
        queryset = queryset.filter(**{stage: True})
    return queryset.order_by("code")


def rows(annotated) -> list[OrganisationLoop]:
    """Each organisation of ``organisations_queryset`` (or a page of it) as its loop."""
    return [OrganisationLoop(org, {key: getattr(org, key) for key in KEYS}) for org in annotated]


def organisations(county_code: str = "", kommungrupp: str = "") -> list[OrganisationLoop]:
    """Every organisation (optionally of one county or municipality group) with its stages,
    in code order. One query."""
    return rows(organisations_queryset(county_code, kommungrupp))
