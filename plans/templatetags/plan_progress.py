"""The action plans' progress on a round's results page, as a template tag: the results page
belongs to results, which sits below plans and must not import it."""

from django import template

from plans import progress

register = template.Library()


@register.simple_tag
def plan_progress(round_, results):
    """``plans.progress.plan_progress`` for the page's round (published figures only), or
    nothing while the round has too few respondents to show."""
    return progress.plan_progress(round_, results) if results.enough else []
