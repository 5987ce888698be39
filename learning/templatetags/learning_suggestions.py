"""The learning suggestions on a respondent's own summary, as a template tag: the summary page
belongs to assessments, which sits below learning and must not import it."""

from django import template

from learning import personal

register = template.Library()


@register.simple_tag
def learning_suggestions(scores, target_group_key):
    """``learning.personal.suggestions`` for the summary's own scores (computed, never stored)."""
    return personal.suggestions(scores, target_group_key)
