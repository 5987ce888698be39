"""Staff manage resident pulses here, as they manage rounds (``assessments/admin.py``).
Responses and answers are deliberately not registered: no screen may show a resident's
answers, staff screens included. Published figures are read on the pulse's results page and
in the open data, never edited: a publication is not registered either, and a published pulse
cannot be deleted."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Pulse, PulseStatement, PulseVersion
from .pulses import with_counts


@admin.register(PulseVersion)
class PulseVersionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "label_sv", "is_published", "frozen"]

    @admin.display(boolean=True, description=_("frozen (used by a pulse)"))
    def frozen(self, obj):
        return obj.is_frozen

    def get_readonly_fields(self, request, obj=None):
        """A version a pulse has used is frozen (``pulse.models``): shown, not editable."""
        if obj is not None and obj.is_frozen:
            return [field.name for field in obj._meta.fields]
        return []

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        queryset.filter(pulses__isnull=True).delete()


@admin.register(PulseStatement)
class PulseStatementAdmin(admin.ModelAdmin):
    list_display = ["key", "topic", "version", "order"]
    list_filter = ["version", "topic"]
    search_fields = ["key", "statement_sv", "statement_en"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.version.is_frozen:
            return [field.name for field in obj._meta.fields]
        return []

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.version.is_frozen:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        queryset.filter(version__pulses__isnull=True).delete()


@admin.register(Pulse)
class PulseAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "version",
        "opens_on",
        "closes_on",
        "closed_early_on",
        "answered",
        "published",
    ]
    list_filter = ["version", "organisation__county_name"]
    search_fields = ["organisation__name", "organisation__code"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["created_by"]

    def get_queryset(self, request):
        return with_counts(
            super().get_queryset(request).select_related("organisation", "version", "publication")
        )

    @admin.display(description=_("answers"), ordering="answered")
    def answered(self, obj):
        return obj.answered

    @admin.display(boolean=True, description=_("published"))
    def published(self, obj):
        return hasattr(obj, "publication")

    def get_readonly_fields(self, request, obj=None):
        """A closed pulse is never reopened: its dates, version and organisation are fixed
        once it has closed (its figures are published then)."""
        fixed = list(self.readonly_fields)
        if obj is not None and obj.status == "closed":
            fixed += ["organisation", "version", "opens_on", "closes_on", "closed_early_on"]
        return fixed

    def has_delete_permission(self, request, obj=None):
        """Published figures never change: a published pulse is not deleted (it would take
        its figures out of the open data)."""
        if obj is not None and hasattr(obj, "publication"):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        queryset.filter(publication__isnull=True).delete()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
