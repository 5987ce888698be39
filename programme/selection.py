"""A transparent selection of organisations for extended support.

Each organisation gets three scores between 0 and 1, every one shown with the figures behind it:

- need: low maturity in its latest round, (5 − mean) / 4 — only for rounds with enough
  respondents to show results; without such a round the need is unknown and scores 0;
- engagement: participation so far — a self-assessment with results, webinar attendance
  (up to ten people count), and a workshop held, each a third;
- spread: picked one at a time, an organisation gains half a point for a county and half a
  point for a municipality group (regions: the group "region") not yet among those picked.

The total is the weighted sum; the places go to the highest totals in turn. A manual decision
(in or out) always wins and carries its written reason.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from learning.models import WorkshopRequest
from lib.numbers import decimal
from registry.models import Organisation
from results.figures import Figure, comparison_rounds, totals
from results.models import PublishedFigure, UnitKind
from results.national import default_version
from webinars.models import Registration

from . import audit
from .models import SelectionOverride, SelectionSettings


@dataclass
class Candidate:
    organisation: Organisation
    mean: float | None
    need: float
    attendees: int
    workshop_held: bool
    has_results: bool
    engagement: float
    spread: float = 0.0
    total: float = 0.0
    selected: bool = False
    override: SelectionOverride | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def group(self) -> str:
        return self.organisation.kommungrupp or self.organisation.kind


def settings_row() -> SelectionSettings:
    """The office's weights, or the defaults (unsaved: reading never writes)."""
    return SelectionSettings.objects.order_by("id").first() or SelectionSettings()


def _means() -> dict[int, float]:
    version = default_version()
    if version is None:
        return {}
    rounds = comparison_rounds(version.pk)  # {round id: organisation id}, published
    # Only the goal areas each organisation's own published results show, as they show them
    # (perturbed): the mean of its shown area means.
    means = defaultdict(list)
    for row in totals(
        PublishedFigure.objects.filter(
            round_id__in=list(rounds), unit_kind=UnitKind.AREA, status=PublishedFigure.Status.SHOWN
        )
    ):
        means[rounds[row.round_id]].append(Figure.published(row).estimate.mean)
    return {org: sum(values) / len(values) for org, values in means.items()}


def candidates() -> list[Candidate]:
    means = _means()
    attendees = dict(
        Registration.objects.filter(attended=True)
        .values_list("organisation_id")
        .annotate(n=Count("id"))
    )
    workshops = set(
        WorkshopRequest.objects.filter(
            status__in=[WorkshopRequest.Status.HELD, WorkshopRequest.Status.EVALUATED]
        ).values_list("organisation_id", flat=True)
    )
    result = []
    for org in Organisation.objects.order_by("code"):
        mean = means.get(org.pk)
        people = attendees.get(org.pk, 0)
        held = org.pk in workshops
        engagement = ((mean is not None) + min(people, 10) / 10 + held) / 3
        result.append(
            Candidate(
                organisation=org,
                mean=mean,
                need=(5 - mean) / 4 if mean is not None else 0.0,
                attendees=people,
                workshop_held=held,
                has_results=mean is not None,
                engagement=engagement,
            )
        )
    return result


def select(config: SelectionSettings | None = None) -> list[Candidate]:
    config = config or settings_row()
    w_need, w_eng, w_spread = (
        float(config.need_weight),
        float(config.engagement_weight),
        float(config.spread_weight),
    )
    pool = candidates()
    overrides = {}
    for override in SelectionOverride.objects.filter(withdrawn=False).select_related("by"):
        overrides.setdefault(override.organisation_id, override)  # newest first
    counties, groups = set(), set()

    def score(c):
        """Spread depends on who is already picked, so it is scored again after every pick."""
        c.spread = 0.5 * (c.organisation.county_code not in counties) + 0.5 * (
            c.group not in groups
        )
        c.total = w_need * c.need + w_eng * c.engagement + w_spread * c.spread

    def pick(c):
        c.selected = True
        counties.add(c.organisation.county_code)
        groups.add(c.group)

    for c in pool:
        c.override = overrides.get(c.organisation.pk)
        if c.override and c.override.include:
            score(c)
            pick(c)
    open_pool = [c for c in pool if c.override is None]
    places = max(0, config.places - sum(c.selected for c in pool))
    while places and open_pool:
        for c in open_pool:
            score(c)
        best = max(open_pool, key=lambda c: (c.total, c.need, -int(c.organisation.code)))
        pick(best)
        open_pool.remove(best)
        places -= 1
    for c in pool:
        if not c.selected:
            score(c)
    _explain(pool, config)
    pool.sort(key=lambda c: (not c.selected, -c.total, c.organisation.code))
    return pool


def _explain(pool, config):
    cutoff = min((c.total for c in pool if c.selected and not c.override), default=None)
    for c in pool:
        if c.override:
            verdict = _("manually included") if c.override.include else _("manually excluded")
            c.reasons.append(f"{verdict}: {c.override.reason}")
            continue
        c.reasons.append(
            _("need %(need)s (mean %(mean)s), engagement %(eng)s, spread %(spread)s")
            % {
                "need": decimal(c.need, 2),
                "mean": decimal(c.mean, 2) if c.mean is not None else _("no results"),
                "eng": decimal(c.engagement, 2),
                "spread": decimal(c.spread, 2),
            }
        )
        if c.selected:
            c.reasons.append(_("among the %(n)s highest totals") % {"n": config.places})
        elif cutoff is not None:
            c.reasons.append(
                _("total below the last selected (%(cut)s)") % {"cut": decimal(cutoff, 3)}
            )


@transaction.atomic
def set_override(user, organisation, include: bool, reason: str) -> SelectionOverride:
    if not reason.strip():
        raise ValueError("a manual decision needs a reason")
    override = SelectionOverride.objects.create(
        organisation=organisation, include=include, reason=reason.strip(), by=user
    )
    audit.record(user, override, "create", None)
    return override


@transaction.atomic
def withdraw_override(user, override: SelectionOverride):
    before = audit.snapshot(override)
    override.withdrawn = True
    override.save(update_fields=["withdrawn"])
    audit.record(user, override, "update", before)


@transaction.atomic
def set_weights(user, **values) -> SelectionSettings:
    config = settings_row()
    before = audit.snapshot(config)
    for name, value in values.items():
        setattr(config, name, Decimal(value) if name.endswith("weight") else value)
    config.save()
    audit.record(user, config, "update", before)
    return config
