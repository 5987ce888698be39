"""Target groups, read from the framework versions — the one place they are defined.

Webinars, workshops, the programme's reach and gender figures and the report all take their
target groups from here, so a framework with other groups is counted in full, never dropped.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import FrameworkVersion, TargetGroup


def target_group_choices() -> list[tuple[str, str]]:
    """(key, name) of every target group any framework version has: the newest version's in
    its order first, then groups only older versions have. Names in the active language."""
    groups = TargetGroup.objects.order_by("-version__created_at", "-version__number", "order")
    found: dict[str, str] = {}
    for group in groups:
        found.setdefault(group.key, group.name)
    return list(found.items())


def target_group_labels(keys=()) -> dict[str, str]:
    """{key: name} for every known group, and the key itself for one no version knows (so a
    figure never drops a group it cannot name)."""
    labels = dict(target_group_choices())
    for key in keys:
        labels.setdefault(key, key)
    return labels


def current_version() -> FrameworkVersion | None:
    """The newest framework version (by creation, then number)."""
    return FrameworkVersion.objects.order_by("-created_at", "-number").first()


def validate_target_group(key: str) -> None:
    """A stored target group must be one a framework version has."""
    if key not in dict(target_group_choices()):
        raise ValidationError(_("Unknown target group %(key)s.") % {"key": key})
