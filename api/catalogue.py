"""What the API can serve: the published rounds and resident pulses, the indicators (KPIs), the
organisations and their groups. Only rounds and pulses with a publication (closed, figures
computed with suppression applied) are ever read; nothing here writes.

A round's *period* is the year it closed: the day it was closed early, or else its closing
date. Where an organisation has more than one published round on a framework version closing
in the same year, the latest of them is the one served for that year. A resident pulse
(``pulse``) is served the same way, per pulse questionnaire version: its statements are KPIs of
their own (``DL{version}R{statement}``), the share who agree.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.db.models import Count, IntegerField, Max, Sum, Value
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from frameworks.models import FrameworkVersion, Goal, GoalArea, Prerequisite, TargetGroup
from pulse.models import Pulse, PulsePublication, PulseVersion
from registry.models import Organisation
from results.figures import published_rounds
from results.models import Publication, UnitKind

from .identifiers import (
    NATION,
    STATEMENT,
    KpiId,
    county_group_id,
    kommungrupp_group_id,
    municipality_id,
)


@dataclass(frozen=True)
class Fingerprint:
    """Changes whenever a publication (a round's or a pulse's) is added, corrected or removed."""

    latest_id: int
    count: int
    editions: int
    latest_on: date | None
    pulse_latest_id: int = 0
    pulse_count: int = 0

    @property
    def etag(self) -> str:
        return f'"pub-{self.key.replace(".", "-")}"'

    @property
    def last_modified(self) -> datetime | None:
        if self.latest_on is None:
            return None
        return datetime.combine(self.latest_on, time.min, tzinfo=UTC)

    @property
    def key(self) -> str:
        pulses = f".{self.pulse_latest_id}.{self.pulse_count}" if self.pulse_count else ""
        return f"{self.latest_id}.{self.count}.{self.editions}{pulses}"


def _stamp(publications, source: int, editions):
    """One row (source, latest id, count, editions, latest day), whether or not any exists."""
    return (
        publications.order_by()
        .annotate(source=Value(source, output_field=IntegerField()))
        .values("source")
        .annotate(latest=Max("id"), count=Count("id"), editions=editions, on=Max("published_on"))
        .values_list("source", "latest", "count", "editions", "on")
    )


def fingerprint() -> Fingerprint:
    """The rounds' and the pulses' publications, in one query."""
    rows = _stamp(Publication.objects.all(), 0, Sum("edition")).union(
        _stamp(PulsePublication.objects.all(), 1, Count("id")), all=True
    )
    found = {source: rest for source, *rest in rows}
    latest, count, editions, on = found.get(0) or (None, 0, None, None)
    pulse_latest, pulse_count, _editions, pulse_on = found.get(1) or (None, 0, None, None)
    days = [day for day in (on, pulse_on) if day is not None]
    return Fingerprint(
        latest or 0,
        count or 0,
        editions or 0,
        max(days) if days else None,
        pulse_latest or 0,
        pulse_count or 0,
    )


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
    candidates = (
        ServedRound(pk, org_id, version_id, kind, day.year, day, published_on)
        for pk, org_id, version_id, kind, closes_on, closed_early_at, published_on in rows
        for day in (closing_day(closes_on, closed_early_at),)
    )
    return _latest_each(candidates, tie=lambda served: served.round_id)


def _latest_each(candidates, tie) -> dict:
    """{(organisation id, version id, year): the candidate that closed last that year} — the
    one served, for rounds and pulses alike (the later id settles a day both closed on)."""
    served = {}
    for candidate in candidates:
        key = (candidate.organisation_id, candidate.version_id, candidate.year)
        current = served.get(key)
        if current is None or (candidate.closed_on, tie(candidate)) > (
            current.closed_on,
            tie(current),
        ):
            served[key] = candidate
    return served


@dataclass(frozen=True)
class ServedPulse:
    pulse_id: int
    publication_id: int
    organisation_id: int
    version_id: int  # the pulse questionnaire's version
    year: int
    closed_on: date
    published_on: date


def served_pulses() -> dict[tuple[int, int, int], ServedPulse]:
    """{(organisation id, pulse version id, year): the pulse served for it}, one query: the
    latest published pulse of the year, as for rounds."""
    rows = Pulse.objects.filter(publication__isnull=False).values_list(
        "pk",
        "organisation_id",
        "version_id",
        "closes_on",
        "closed_early_on",
        "publication__pk",
        "publication__published_on",
    )
    candidates = (
        ServedPulse(pk, publication_id, org_id, version_id, day.year, day, published_on)
        for pk, org_id, version_id, closes_on, closed_early_on, publication_id, published_on in rows
        for day in (closed_early_on or closes_on,)
    )
    return _latest_each(candidates, tie=lambda served: served.pulse_id)


def version_label(version: FrameworkVersion) -> str:
    return f"{version.framework.key}:{version.number}"


def pulse_version_label(version: PulseVersion) -> str:
    return f"{version.key}:{version.number}"


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

    @property
    def is_pulse(self) -> bool:
        """A statement of the resident pulse: the share who agree, 0–100."""
        return self.id.kind == STATEMENT


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
    return result + pulse_kpis()


def _organisation_in(text: str) -> str:
    """A statement with the general "the municipality or region" for ``{organisation}``,
    in the active language."""
    text = text.replace("{organisation}", _("the municipality or region"))
    return text[:1].upper() + text[1:]


def _pulse_title(statement: str) -> str:
    return _("Share who agree: %(statement)s") % {"statement": _organisation_in(statement)}


def _pulse_description(statement: str) -> str:
    return _(
        "Share in percent of the residents who answered the resident pulse that agree (4 or 5 "
        "on a scale of 1–5) with the statement “%(statement)s”, among those who took a "
        "position. The sample is self-selected: the residents chose to answer, so the figure "
        "describes those who answered, not all residents."
    ) % {"statement": _organisation_in(statement)}


def pulse_kpis() -> list[Kpi]:
    """One indicator per statement of every pulse questionnaire version a published pulse
    uses: the share who agree, for all who answered (and by gender in the data)."""
    version_ids = set(
        Pulse.objects.filter(publication__isnull=False).values_list("version_id", flat=True)
    )
    versions = PulseVersion.objects.filter(pk__in=version_ids).prefetch_related("statements")
    result = []
    for version in sorted(versions, key=lambda v: v.pk):
        name_en = version.name_en or version.name_sv
        for statement in version.statements.all():
            text_en = statement.statement_en or statement.statement_sv
            title_sv, title_en = _in_both(_pulse_title, (statement.statement_sv,), (text_en,))
            description_sv, description_en = _in_both(
                _pulse_description, (statement.statement_sv,), (text_en,)
            )
            result.append(
                Kpi(
                    id=KpiId(version.pk, STATEMENT, statement.pk),
                    version=pulse_version_label(version),
                    title_sv=title_sv,
                    title_en=title_en,
                    description_sv=description_sv,
                    description_en=description_en,
                    unit_key=statement.key,
                    area_title_sv=version.name_sv,
                    area_title_en=name_en,
                    target_group=None,
                )
            )
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
