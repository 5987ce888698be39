"""Formatting of result figures: one place decides how a mean, an interval, a share or a
suppressed cell reads, in pages and in the PDF alike. Anything that is not a Figure (a
comparison that does not apply, such as a region's kommungrupp) reads as empty."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _

from results.figures import Figure

register = template.Library()


def _suppressed():
    return format_html(
        '<span aria-hidden="true">–</span><span class="visually-hidden">{}</span>',
        _("suppressed: too few respondents"),
    )


@register.simple_tag
def mean(figure):
    if not isinstance(figure, Figure) or figure.empty:
        return ""
    if figure.suppressed:
        return _suppressed()
    if figure.estimate is None:
        return _("no ratings")
    return floatformat(figure.estimate.mean, 1)


@register.simple_tag
def interval(figure):
    if not isinstance(figure, Figure) or figure.suppressed or figure.estimate is None:
        return ""
    return f"{floatformat(figure.estimate.low, 1)}–{floatformat(figure.estimate.high, 1)}"


@register.simple_tag
def respondents(figure):
    if not isinstance(figure, Figure) or figure.suppressed:
        return ""
    return figure.respondents or 0


@register.filter
def pct(value):
    if value is None:
        return ""
    return f"{floatformat(100 * value, 0)} %"


@register.simple_tag
def signed(difference):
    if difference is None:
        return ""
    sign = "+" if difference.value > 0 else ("−" if difference.value < 0 else "±")
    return f"{sign}{floatformat(abs(difference.value), 1)}"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
