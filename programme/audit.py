"""Changes to money, the selection and report texts are kept: who, when, before, after.

The action functions (``budget``, ``selection``, ``report``, ``corrections``) call ``record``;
so do the admin pages of what the report shows (``AuditedAdmin``, used by ``programme.admin``).
Who acted is kept as text too, so an entry still says who after the account is deleted.
"""

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
    if after is None and not action.endswith("delete"):
        after = snapshot(obj)
    acting = user if getattr(user, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        user=acting,
        username=acting.get_username() if acting else "",
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        action=action,
        before=before,
        after=after,
    )


class AuditedAdmin:
    """A ModelAdmin mixin: every save and delete in the admin is recorded like a change made
    through the office's pages."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.filter(pk=obj.pk).first()) if change else None
        super().save_model(request, obj, form, change)
        record(request.user, obj, "admin change" if change else "admin add", before)

    def save_related(self, request, form, formsets, change):
        """Many-to-many fields are saved after the object: record them in the entry too."""
        super().save_related(request, form, formsets, change)
        entry = AuditEntry.objects.filter(
            object_type=form.instance._meta.label, object_id=str(form.instance.pk)
        ).first()
        if entry is not None and entry.action.startswith("admin"):
            entry.after = snapshot(form.instance)
            entry.save(update_fields=["after"])

    def delete_model(self, request, obj):
        before, pk = snapshot(obj), obj.pk
        super().delete_model(request, obj)
        obj.pk = pk
        record(request.user, obj, "admin delete", before)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
