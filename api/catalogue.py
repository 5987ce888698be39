"""What the API can serve: the published rounds, the indicators (KPIs), the organisations and
their groups. Only rounds with a publication (closed, figures computed with suppression
applied) are ever read; nothing here writes.

A round's *period* is the year it closed: the day it was closed early, or else its closing
date. Where an organisation has more than one published round on a framework version closing
in the same year, the latest of them is the one served for that year.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.db.models import Count, Max, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from frameworks.models import FrameworkVersion, Goal, GoalArea, Prerequisite, TargetGroup
from registry.models import Organisation
from results.figures import published_rounds
from results.models import Publication, UnitKind

from .identifiers import (
    NATION,
    KpiId,
    county_group_id,
    kommungrupp_group_id,
    municipality_id,
)


@dataclass(frozen=True)
class Fingerprint:
    """Changes whenever a publication is added, corrected or removed."""

    latest_id: int
    count: int
    editions: int
    latest_on: date | None

    @property
    def etag(self) -> str:
        return f'"pub-{self.latest_id}-{self.count}-{self.editions}"'

    @property
    def last_modified(self) -> datetime | None:
        if self.latest_on is None:
            return None
        return datetime.combine(self.latest_on, time.min, tzinfo=UTC)

    @property
    def key(self) -> str:
        return f"{self.latest_id}.{self.count}.{self.editions}"


def fingerprint() -> Fingerprint:
    row = Publication.objects.aggregate(
        latest=Max("id"), count=Count("id"), editions=Sum("edition"), on=Max("published_on")
    )
    return Fingerprint(row["latest"] or 0, row["count"], row["editions"] or 0, row["on"])


def closing_day(closes_on: date, closed_early_at: datetime | None) -> date:
    if closed_early_at is not None:
        return timezone.localtime(closed_early_at).date()
    return closes_on


@dataclass(frozen=True)
class ServedRound:
    round_id: int
    organisation_id: int
    version_id: int
    kind: str
    year: int
    closed_on: date
    published_on: date  # the day its figures were published (the last correction's)


def served_rounds() -> dict[tuple[int, int, int], ServedRound]:
    """{(organisation id, version id, year): the round served for it}, one query."""
    rows = published_rounds().values_list(
        "pk",
        "organisation_id",
        "version_id",
        "kind",
        "closes_on",
        "closed_early_at",
        "publication__published_on",
    )
    served = {}
    for pk, org_id, version_id, kind, closes_on, closed_early_at, published_on in rows:
        day = closing_day(closes_on, closed_early_at)
        candidate = ServedRound(pk, org_id, version_id, kind, day.year, day, published_on)
        key = (org_id, version_id, day.year)
        current = served.get(key)
        if current is None or (day, pk) > (current.closed_on, current.round_id):
            served[key] = candidate
    return served


def version_label(version: FrameworkVersion) -> str:
    return f"{version.framework.key}:{version.number}"


@dataclass(frozen=True)
class Kpi:
    id: KpiId
    version: str
    title_sv: str
    title_en: str
    description_sv: str
    description_en: str
    unit_key: str
    area_title_sv: str
    area_title_en: str
    target_group: str | None
    area_id: int | None = None  # the goal area of an area or goal; None for prerequisites

    @property
    def is_divided_by_gender(self) -> bool:
        return self.id.target_group_id is None


def _description(kind_name, unit_name, group_name) -> str:
    if group_name is None:
        return _(
            "Mean self-assessed level (1–5) for the %(kind)s “%(unit)s”, among all respondents."
        ) % {"kind": kind_name, "unit": unit_name}
    return _("Mean self-assessed level (1–5) for the %(kind)s “%(unit)s”, among %(group)s.") % {
        "kind": kind_name,
        "unit": unit_name,
        "group": group_name,
    }


def _kind_name(kind) -> str:
    return {
        UnitKind.AREA: _("goal area"),
        UnitKind.GOAL: _("goal"),
        UnitKind.PREREQUISITE: _("foundational prerequisite"),
    }[kind]


def _title(unit_name, group_name) -> str:
    if group_name is None:
        return unit_name
    return _("%(unit)s – %(group)s") % {"unit": unit_name, "group": group_name}


def _in_both(function, *args_sv_en):
    """(Swedish, English) of a text built by ``function`` from per-language arguments."""
    texts = []
    for language, args in zip(("sv", "en"), args_sv_en, strict=True):
        with translation.override(language):
            texts.append(function(*args))
    return texts


def kpis() -> list[Kpi]:
    """Every indicator of every framework version a published round uses: one per unit
    (goal area, goal, prerequisite) for all respondents and one per unit and target group."""
    version_ids = set(published_rounds().values_list("version_id", flat=True).distinct())
    versions = FrameworkVersion.objects.filter(pk__in=version_ids).select_related("framework")
    areas = {a.pk: a for a in GoalArea.objects.filter(version_id__in=version_ids)}
    units = {version.pk: [] for version in versions}
    for area in areas.values():
        units[area.version_id].append((UnitKind.AREA, area, area))
    for goal in Goal.objects.filter(area__version_id__in=version_ids).order_by("area__order"):
        units[areas[goal.area_id].version_id].append((UnitKind.GOAL, goal, areas[goal.area_id]))
    for prereq in Prerequisite.objects.filter(version_id__in=version_ids):
        units[prereq.version_id].append((UnitKind.PREREQUISITE, prereq, None))
    groups = {version.pk: [None] for version in versions}
    for group in TargetGroup.objects.filter(version_id__in=version_ids):
        groups[group.version_id].append(group)
    result = []
    for version in sorted(versions, key=lambda v: v.pk):
        for kind, unit, area in units[version.pk]:
            for group in groups[version.pk]:
                result.append(_kpi(version, kind, unit, area, group))
    return result


def _kpi(version, kind, unit, area, group) -> Kpi:
    group_sv = group.name_sv if group else None
    group_en = (group.name_en or group.name_sv) if group else None
    unit_en = unit.name_en or unit.name_sv
    title_sv, title_en = _in_both(_title, (unit.name_sv, group_sv), (unit_en, group_en))
    description_sv, description_en = _in_both(
        lambda unit_name, group_name: _description(_kind_name(kind), unit_name, group_name),
        (unit.name_sv, group_sv),
        (unit_en, group_en),
    )
    return Kpi(
        id=KpiId(version.pk, kind, unit.pk, group.pk if group else None),
        version=version_label(version),
        title_sv=title_sv,
        title_en=title_en,
        description_sv=description_sv,
        description_en=description_en,
        unit_key=unit.key,
        area_title_sv=area.name_sv if area else "",
        area_title_en=(area.name_en or area.name_sv) if area else "",
        target_group=group.key if group else None,
        area_id=area.pk if area else None,
    )


@dataclass(frozen=True)
class Entity:
    """A row's ``municipality``: one organisation, the nation, or a group of organisations."""

    id: str
    title: str
    kind: str  # "organisation", "nation", "kommungrupp", "county"
    members: tuple[int, ...]  # organisation ids
    organisation_type: str = ""  # Kolada's type: K (municipality), L (region)

    @property
    def is_organisation(self) -> bool:
        return self.kind == "organisation"


def entities() -> dict[str, Entity]:
    """Every id the ``municipality`` segment accepts, in the order the API lists them."""
    orgs = sorted(Organisation.objects.all(), key=lambda org: municipality_id(org.code))
    result = {
        NATION: Entity(NATION, _("Sweden (whole country)"), "nation", tuple(o.pk for o in orgs))
    }
    for org in orgs:
        kolada_type = "K" if org.kind == Organisation.Kind.MUNICIPALITY else "L"
        result[municipality_id(org.code)] = Entity(
            municipality_id(org.code), org.name, "organisation", (org.pk,), kolada_type
        )
    for entity in groups(orgs):
        result[entity.id] = entity
    return result


def groups(orgs) -> list[Entity]:
    kommungrupper, counties = {}, {}
    for org in orgs:
        if org.kommungrupp:
            kommungrupper.setdefault(org.kommungrupp, (org.kommungrupp_name, []))[1].append(org)
        counties.setdefault(org.county_code, (org.county_name, []))[1].append(org)
    result = []
    for code, (name, members) in sorted(kommungrupper.items()):
        title = _("Municipality group %(code)s") % {"code": code}
        if name:
            title = f"{title}: {name}"
        ids = tuple(m.pk for m in members)
        result.append(Entity(kommungrupp_group_id(code), title, "kommungrupp", ids))
    for code, (name, members) in sorted(counties.items()):
        title = _("All organisations in %(county)s") % {"county": name}
        ids = tuple(m.pk for m in members)
        result.append(Entity(county_group_id(code), title, "county", ids))
    return result
