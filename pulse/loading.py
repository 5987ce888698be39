"""Load the resident pulse questionnaire from its data file into a version (idempotent).

The file's shape is documented in ``pulse/data/resident_pulse.yaml``; a version number that
already exists is left as it is (and once a pulse used it, it is frozen anyway)."""

from pathlib import Path

import yaml
from django.db import transaction

from frameworks.models import SCALE_MAX, SCALE_MIN

from .models import PulseStatement, PulseVersion

DEFAULT_PULSE_FILE = Path(__file__).resolve().parent / "data" / "resident_pulse.yaml"


class PulseFileError(ValueError):
    pass


def _check(condition: bool, message: str):
    if not condition:
        raise PulseFileError(message)


def validate_pulse_data(data: dict) -> None:
    """Raise ``PulseFileError`` naming the first problem in a pulse file."""
    _check(isinstance(data, dict), "the file is not a mapping")
    for key in ("questionnaire", "version", "scale", "statements"):
        _check(key in data, f"missing section '{key}'")
    _check(
        len(data["scale"]) == SCALE_MAX - SCALE_MIN + 1 and all(s.get("sv") for s in data["scale"]),
        f"the scale needs {SCALE_MAX} described steps",
    )
    topics = set(PulseStatement.Topic.values)
    keys = set()
    for statement in data["statements"]:
        key = statement.get("key")
        _check(key and key not in keys, f"statement key {key!r} is missing or repeated")
        keys.add(key)
        _check(statement.get("statement_sv"), f"statement {key} has no Swedish text")
        _check(statement.get("statement_en"), f"statement {key} has no English text")
        _check(statement.get("topic") in topics, f"statement {key}: unknown topic")
        _check(statement.get("goals"), f"statement {key} speaks to no goal")


@transaction.atomic
def load_pulse_data(data: dict) -> tuple[PulseVersion, bool]:
    validate_pulse_data(data)
    meta, number = data["questionnaire"], int(data["version"]["number"])
    existing = PulseVersion.objects.filter(key=meta["key"], number=number).first()
    if existing:
        return existing, False
    version = PulseVersion.objects.create(
        key=meta["key"],
        number=number,
        name_sv=meta["name_sv"],
        name_en=meta.get("name_en", ""),
        label_sv=data["version"].get("label_sv", ""),
        label_en=data["version"].get("label_en", ""),
        scale=[{"sv": s["sv"], "en": s.get("en", "")} for s in data["scale"]],
    )
    PulseStatement.objects.bulk_create(
        PulseStatement(
            version=version,
            key=s["key"],
            topic=s["topic"],
            goal_keys=list(s["goals"]),
            statement_sv=s["statement_sv"],
            statement_en=s["statement_en"],
            order=order,
        )
        for order, s in enumerate(data["statements"])
    )
    return version, True


def load_pulse_file(path=DEFAULT_PULSE_FILE) -> tuple[PulseVersion, bool]:
    with open(path, encoding="utf-8") as handle:
        try:
            data = yaml.safe_load(handle)
        except yaml.YAMLError as exc:
            raise PulseFileError(f"not valid YAML: {exc}") from None
    return load_pulse_data(data)


def current_version() -> PulseVersion:
    """The newest published version, loading the shipped file when there is none."""
    version = PulseVersion.objects.filter(is_published=True).order_by("-number", "-id").first()
    return version or load_pulse_file()[0]
