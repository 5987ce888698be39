"""Formatting of result figures: one place decides how a mean, an interval, a share or a
suppressed cell reads, in pages and in the PDF alike. Anything that is not a Figure (a
comparison that does not apply, such as a region's kommungrupp) reads as empty."""

import math

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _

from results.anonymity import threshold
from results.figures import Figure
from results.models import Publication, PublishedFigure
from results.statistics import shown

register = template.Library()


def _suppressed(figure):
    reason = (
        _("hidden: it would reveal a small group")
        if figure.linked
        else _("suppressed: too few respondents")
    )
    return format_html(
        '<span aria-hidden="true">–</span><span class="visually-hidden">{}</span>', reason
    )


@register.simple_tag
def mean(figure):
    if not isinstance(figure, Figure) or figure.empty:
        return ""
    if figure.suppressed:
        return _suppressed(figure)
    if figure.estimate is None:
        return _("no ratings")
    return floatformat(figure.mean, 1)


@register.simple_tag
def interval(figure):
    if not isinstance(figure, Figure) or figure.suppressed or figure.estimate is None:
        return ""
    return f"{floatformat(figure.low, 1)}–{floatformat(figure.high, 1)}"


@register.simple_tag
def respondents(figure):
    if not isinstance(figure, Figure) or figure.suppressed:
        return ""
    return figure.respondents or 0


@register.filter
def pct(value):
    if value is None:
        return ""
    return f"{floatformat(100 * value, 0)}\u00a0%"  # a no-break space: "43 %" stays whole


def _signed_number(value: float) -> str:
    """One decimal with its sign, rounded as the verdicts read it (``statistics.shown``)."""
    printed = shown(value)
    sign = "+" if printed > 0 else ("−" if printed < 0 else "±")
    return f"{sign}{floatformat(abs(printed), 1)}"


@register.simple_tag
def signed(difference):
    """A difference (``value``) or a paired change (``mean``), with its sign, one decimal."""
    if difference is None:
        return ""
    value = difference.value if hasattr(difference, "value") else difference.mean
    return _signed_number(value)


@register.filter
def mean_of(figure):
    """``{% mean %}`` as a filter, for a figure inside a translated sentence."""
    return mean(figure)


@register.simple_tag
def interval_of(change):
    """The 95% interval of a paired change, one decimal."""
    if change is None or not math.isfinite(change.low) or not math.isfinite(change.high):
        return ""
    return f"{_signed_number(change.low)} – {_signed_number(change.high)}"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def heat(figure):
    """The heat-map class of a shown mean: ``heat-1`` (below 1.5) to ``heat-5`` (4.5 and
    over), the steps of the scale it rounds to; empty for anything not shown."""
    if not isinstance(figure, Figure) or figure.mean is None:
        return ""
    return f"heat-{min(5, max(1, math.floor(figure.mean + 0.5)))}"


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """This page's query string with ``changes`` applied (a value of None removes the key),
    so that sorting and paging keep the filters."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def sort_link(context, key, label):
    """A column header's link: sorts by ``key``, ascending first, the other way on a second
    click; the current column says which way it is sorted."""
    current = context.get("sort") == key
    descending = context.get("descending")
    order = "asc" if (not current or descending) else "desc"
    href = query(context, sort=key, order=order, page=None)
    if current:
        state = _("sorted descending") if descending else _("sorted ascending")
        arrow = "▼" if descending else "▲"
        return format_html(
            '<a class="sort-link" href="{}">{} <span aria-hidden="true">{}</span>'
            '<span class="visually-hidden">({})</span></a>',
            href,
            label,
            arrow,
            state,
        )
    return format_html(
        '<a class="sort-link" href="{}">{}<span class="visually-hidden"> ({})</span></a>',
        href,
        label,
        _("sort"),
    )


@register.simple_tag(takes_context=True)
def aria_sort(context, key):
    if context.get("sort") != key:
        return ""
    return format_html(
        ' aria-sort="{}"', "descending" if context.get("descending") else "ascending"
    )


@register.simple_tag(takes_context=True)
def query_page(context, param, number):
    """This page's query string with page ``param`` set to ``number``."""
    return query(context, **{param: number})


@register.filter
def sort_key(goal):
    """The organisation table's sort key for a goal's column."""
    return f"goal-{goal.pk}"


@register.simple_tag
def round_publication(round_):
    """For the round page (``assessments``, a lower floor, loads this tag rather than importing
    results): what the round's publication holds, so that the page and the results agree.
    None before the round is published; else ``respondents``, ``enough`` and, per target group
    id, "shown" (some of its figures are published), "suppressed" (too few, or hidden so a
    small group cannot be worked out), "linked" (hidden: it would reveal a small group) or
    "none" (nobody in it rated)."""
    publication = Publication.objects.filter(round=round_).first()
    if publication is None:
        return None
    statuses = {}
    for group_id, status in (
        PublishedFigure.objects.filter(round=round_, target_group_id__isnull=False, gender="")
        .values_list("target_group_id", "status")
        .distinct()
    ):
        statuses.setdefault(group_id, set()).add(status)
    order = ("shown", "linked", "suppressed")
    groups = {
        group_id: next((status for status in order if status in found), "none")
        for group_id, found in statuses.items()
    }
    return {
        "respondents": publication.respondents,
        "enough": publication.respondents >= threshold(),
        "threshold": threshold(),
        "groups": groups,
    }


@register.filter
def group_status(publication, group_id):
    return (publication or {}).get("groups", {}).get(group_id, "none")
