"""Load a framework version from a YAML data file, and copy a version into a new one.

The file's shape is documented in ``frameworks/data/default_framework.yaml``. Loading is
idempotent: a version number that already exists is left as it is.
"""

from pathlib import Path

import yaml
from django.db import transaction

from .models import (
    SCALE_MAX,
    SCALE_MIN,
    Framework,
    FrameworkVersion,
    Goal,
    GoalArea,
    Item,
    Prerequisite,
    ScaleStep,
    TargetGroup,
)

DEFAULT_FRAMEWORK_FILE = Path(__file__).resolve().parent / "data" / "default_framework.yaml"


class FrameworkFileError(ValueError):
    pass


def _check(condition: bool, message: str):
    if not condition:
        raise FrameworkFileError(message)


def validate_framework_data(data: dict) -> None:
    """Raise ``FrameworkFileError`` naming the first problem in a framework file."""
    _check(isinstance(data, dict), "the file is not a mapping")
    for key in ("framework", "version", "target_groups", "prerequisites", "goal_areas"):
        _check(key in data, f"missing section '{key}'")
    groups = {g["key"] for g in data["target_groups"]}
    prereqs = {p["key"] for p in data["prerequisites"]}
    item_keys = set()
    for area in data["goal_areas"]:
        _check(area.get("goals"), f"goal area {area.get('key')} has no goals")
        for goal in area["goals"]:
            _check(goal.get("items"), f"goal {goal.get('key')} has no items")
            for item in goal["items"]:
                key = item.get("key")
                _check(key and key not in item_keys, f"item key {key!r} is missing or repeated")
                item_keys.add(key)
                _check(item.get("statement_sv"), f"item {key} has no Swedish statement")
                unknown = set(item.get("target_groups", [])) - groups
                _check(item.get("target_groups") and not unknown, f"item {key}: bad target groups")
                _check(
                    not set(item.get("prerequisites", [])) - prereqs,
                    f"item {key}: unknown prerequisite",
                )
                steps = item.get("scale", [])
                _check(
                    len(steps) == SCALE_MAX - SCALE_MIN + 1 and all(s.get("sv") for s in steps),
                    f"item {key}: the scale needs {SCALE_MAX} described steps",
                )


@transaction.atomic
def load_framework_data(data: dict) -> tuple[FrameworkVersion, bool]:
    """Create the version described by ``data``; return (version, created)."""
    validate_framework_data(data)
    meta = data["framework"]
    framework, _ = Framework.objects.get_or_create(
        key=meta["key"], defaults={"name_sv": meta["name_sv"], "name_en": meta.get("name_en", "")}
    )
    number = int(data["version"]["number"])
    existing = framework.versions.filter(number=number).first()
    if existing:
        return existing, False
    version = FrameworkVersion.objects.create(
        framework=framework,
        number=number,
        label_sv=data["version"].get("label_sv", ""),
        label_en=data["version"].get("label_en", ""),
    )
    groups = {
        g["key"]: TargetGroup.objects.create(
            version=version,
            key=g["key"],
            name_sv=g["name_sv"],
            name_en=g.get("name_en", ""),
            order=i,
        )
        for i, g in enumerate(data["target_groups"])
    }
    prereqs = {
        p["key"]: Prerequisite.objects.create(
            version=version,
            key=p["key"],
            name_sv=p["name_sv"],
            name_en=p.get("name_en", ""),
            order=i,
        )
        for i, p in enumerate(data["prerequisites"])
    }
    for area_order, area_data in enumerate(data["goal_areas"]):
        area = GoalArea.objects.create(
            version=version,
            key=area_data["key"],
            name_sv=area_data["name_sv"],
            name_en=area_data.get("name_en", ""),
            description_sv=area_data.get("description_sv", ""),
            description_en=area_data.get("description_en", ""),
            order=area_order,
        )
        for goal_order, goal_data in enumerate(area_data["goals"]):
            goal = Goal.objects.create(
                area=area,
                key=goal_data["key"],
                name_sv=goal_data["name_sv"],
                name_en=goal_data.get("name_en", ""),
                order=goal_order,
            )
            for item_order, item_data in enumerate(goal_data["items"]):
                _create_item(goal, item_data, item_order, groups, prereqs)
    return version, True


def _create_item(goal, item_data, order, groups, prereqs):
    item = Item.objects.create(
        goal=goal,
        key=item_data["key"],
        statement_sv=item_data["statement_sv"],
        statement_en=item_data.get("statement_en", ""),
        order=order,
    )
    item.target_groups.set([groups[key] for key in item_data["target_groups"]])
    item.prerequisites.set([prereqs[key] for key in item_data.get("prerequisites", [])])
    ScaleStep.objects.bulk_create(
        ScaleStep(
            item=item,
            value=SCALE_MIN + i,
            description_sv=step["sv"],
            description_en=step.get("en", ""),
        )
        for i, step in enumerate(item_data["scale"])
    )


def load_framework_file(path=DEFAULT_FRAMEWORK_FILE) -> tuple[FrameworkVersion, bool]:
    with open(path, encoding="utf-8") as handle:
        try:
            data = yaml.safe_load(handle)
        except yaml.YAMLError as exc:
            raise FrameworkFileError(f"not valid YAML: {exc}") from None
    return load_framework_data(data)


def version_as_data(version: FrameworkVersion) -> dict:
    """The inverse of ``load_framework_data``: a version's whole content as plain data."""
    items = Item.objects.filter(goal__area__version=version).prefetch_related(
        "target_groups", "prerequisites", "scale_steps"
    )
    items_by_goal: dict[int, list] = {}
    for item in items:
        items_by_goal.setdefault(item.goal_id, []).append(
            {
                "key": item.key,
                "statement_sv": item.statement_sv,
                "statement_en": item.statement_en,
                "target_groups": [g.key for g in item.target_groups.all()],
                "prerequisites": [p.key for p in item.prerequisites.all()],
                "scale": [
                    {"sv": s.description_sv, "en": s.description_en} for s in item.scale_steps.all()
                ],
            }
        )
    goals = Goal.objects.filter(area__version=version)
    goals_by_area: dict[int, list] = {}
    for goal in goals:
        goals_by_area.setdefault(goal.area_id, []).append(
            {
                "key": goal.key,
                "name_sv": goal.name_sv,
                "name_en": goal.name_en,
                "items": items_by_goal.get(goal.id, []),
            }
        )
    return {
        "framework": {
            "key": version.framework.key,
            "name_sv": version.framework.name_sv,
            "name_en": version.framework.name_en,
        },
        "version": {
            "number": version.number,
            "label_sv": version.label_sv,
            "label_en": version.label_en,
        },
        "target_groups": [
            {"key": g.key, "name_sv": g.name_sv, "name_en": g.name_en}
            for g in version.target_groups.all()
        ],
        "prerequisites": [
            {"key": p.key, "name_sv": p.name_sv, "name_en": p.name_en}
            for p in version.prerequisites.all()
        ],
        "goal_areas": [
            {
                "key": a.key,
                "name_sv": a.name_sv,
                "name_en": a.name_en,
                "description_sv": a.description_sv,
                "description_en": a.description_en,
                "goals": goals_by_area.get(a.id, []),
            }
            for a in version.goal_areas.all()
        ],
    }


def copy_version(version: FrameworkVersion) -> FrameworkVersion:
    data = version_as_data(version)
    latest = version.framework.versions.order_by("-number").first()
    data["version"]["number"] = latest.number + 1
    data["version"]["label_sv"] = f"Version {latest.number + 1}"
    data["version"]["label_en"] = f"Version {latest.number + 1}"
    new_version, _ = load_framework_data(data)
    new_version.is_published = False
    new_version.save(update_fields=["is_published"])
    return new_version
