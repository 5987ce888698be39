"""Changes to money, the selection and report texts are kept: who, when, before, after."""

from decimal import Decimal

from django.forms.models import model_to_dict

from .models import AuditEntry


def snapshot(obj) -> dict | None:
    if obj is None or obj.pk is None:
        return None
    data = model_to_dict(obj)
    return {key: _plain(value) for key, value in data.items()}


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list):
        return [getattr(v, "pk", v) for v in value]
    return value


def record(user, obj, action: str, before: dict | None, after: dict | None = None):
    """Call after the change, with the snapshot taken before it (``after`` defaults to the
    object as it is now)."""
    if after is None and action != "delete":
        after = snapshot(obj)
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        action=action,
        before=before,
        after=after,
    )
