"""Load the default workshop modules and good-practice cases from the project's data files.

``load_cases`` loads the true cases (``data/cases.yaml``: named in the programme's sources,
each under its real organisation) and is what production data commands run. The made-up
examples (``data/example_cases.yaml``, under made-up organisation names) are loaded only by
``load_example_cases``, which only the demo calls.

Idempotent: a module or case whose key exists is left as staff may have edited it.
"""

from pathlib import Path

import yaml
from django.db import transaction

from registry.models import Organisation

from .models import Case, CaseGoal, ModuleGoal, WorkshopModule

DATA = Path(__file__).resolve().parent / "data"
_MODULE_TEXT = ("title", "objectives", "exercises", "materials", "facilitator_notes")
_CASE_TEXT = ("title", "summary", "what_was_done", "what_it_gave")


def _bilingual(entry: dict, fields) -> dict:
    values = {}
    for name in fields:
        values[f"{name}_sv"] = (entry.get(f"{name}_sv") or "").strip()
        values[f"{name}_en"] = (entry.get(f"{name}_en") or "").strip()
    return values


@transaction.atomic
def load_modules(path=DATA / "workshop_modules.yaml") -> int:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    created = 0
    for entry in data["modules"]:
        if WorkshopModule.objects.filter(key=entry["key"]).exists():
            continue
        module = WorkshopModule.objects.create(
            key=entry["key"],
            target_groups=list(entry["target_groups"]),
            duration_minutes=int(entry["duration_minutes"]),
            **_bilingual(entry, _MODULE_TEXT),
        )
        ModuleGoal.objects.bulk_create(
            ModuleGoal(module=module, goal_key=key) for key in entry["goals"]
        )
        created += 1
    return created


class CatalogueError(ValueError):
    pass


@transaction.atomic
def load_cases(path=DATA / "cases.yaml") -> int:
    """The true cases, each under the real organisation named by its SCB code. An entry that
    is marked as made up, or names a made-up organisation, is refused: nothing is loaded."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    organisations = Organisation.objects.in_bulk(field_name="code")
    for entry in data["cases"]:
        if entry.get("illustrative") or entry.get("example_organisation"):
            raise CatalogueError(
                f"{path}: {entry['key']} is a made-up example; those belong in example_cases.yaml"
            )
    return _create(
        data["cases"],
        lambda entry: {
            "organisation": organisations[str(entry["organisation_code"])],
            "contact": entry.get("contact", ""),
            "link": entry.get("link", ""),
        },
    )


@transaction.atomic
def load_example_cases(path=DATA / "example_cases.yaml") -> int:
    """The demo's made-up examples: no real organisation, no contact, no link; marked made up
    so that every page labels them."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for entry in data["cases"]:
        if entry.get("organisation_code") or not entry.get("example_organisation"):
            raise CatalogueError(f"{path}: {entry['key']} must name a made-up organisation only")
    return _create(
        data["cases"],
        lambda entry: {
            "is_illustrative": True,
            "example_organisation": entry["example_organisation"],
            "example_kind": entry["example_kind"],
        },
    )


def _create(entries, own_fields) -> int:
    created = 0
    for entry in entries:
        if Case.objects.filter(key=entry["key"]).exists():
            continue
        case = Case.objects.create(
            key=entry["key"],
            welfare_area=entry["welfare_area"],
            **own_fields(entry),
            **_bilingual(entry, _CASE_TEXT),
        )
        CaseGoal.objects.bulk_create(CaseGoal(case=case, goal_key=key) for key in entry["goals"])
        created += 1
    return created
