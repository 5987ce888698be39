"""Load the default workshop modules and good-practice cases from the project's data files.

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


@transaction.atomic
def load_cases(path=DATA / "cases.yaml") -> int:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    organisations = Organisation.objects.in_bulk(field_name="code")
    created = 0
    for entry in data["cases"]:
        if Case.objects.filter(key=entry["key"]).exists():
            continue
        case = Case.objects.create(
            key=entry["key"],
            organisation=organisations[str(entry["organisation_code"])],
            welfare_area=entry["welfare_area"],
            contact=entry.get("contact", ""),
            link=entry.get("link", ""),
            is_illustrative=bool(entry.get("illustrative", False)),
            **_bilingual(entry, _CASE_TEXT),
        )
        CaseGoal.objects.bulk_create(CaseGoal(case=case, goal_key=key) for key in entry["goals"])
        created += 1
    return created
