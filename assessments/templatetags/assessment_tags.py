from django import template

register = template.Library()


@register.simple_tag
def answer_for(answers: dict, item_id: int):
    """The stored answer for an item: its value, "dk" for don't know, or None if unanswered."""
    if item_id not in answers:
        return None
    value = answers[item_id]
    return "dk" if value is None else value
