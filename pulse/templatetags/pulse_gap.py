"""The expectation gap on a round's results page, as a template tag: the results page belongs
to results, which sits below pulse and must not import it (as ``plans`` adds its progress)."""

from django import template

from pulse.gap import gap_for_round

register = template.Library()


@register.simple_tag
def round_gap(round_, results):
    """``pulse.gap.gap_for_round`` for the page's round (published figures only), or None
    while the round has too few respondents to show."""
    return gap_for_round(round_) if results.published and results.enough else None
