"""Staff manage rounds here. Responses and answers are deliberately not registered:
no screen may show an individual respondent's answers, staff screens included."""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Round, RoundLink
from .rounds import add_missing_links, add_round, rounds_with_counts


class RoundLinkInline(admin.TabularInline):
    model = RoundLink
    extra = 0
    fields = ["target_group", "token", "invited_count"]
    readonly_fields = ["token"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organisation",
        "version",
        "opens_on",
        "closes_on",
        "started",
        "submitted",
    ]
    list_filter = ["kind", "version", "organisation__county_name"]
    search_fields = ["name", "organisation__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [RoundLinkInline]

    def get_queryset(self, request):
        return rounds_with_counts(
            super().get_queryset(request).select_related("organisation", "version")
        )

    @admin.display(description=_("started"), ordering="started")
    def started(self, obj):
        return obj.started

    @admin.display(description=_("submitted"), ordering="submitted")
    def submitted(self, obj):
        return obj.submitted

    def get_readonly_fields(self, request, obj=None):
        """A closed round is never reopened: its dates, version and organisation are fixed
        once it has closed (its results are published then)."""
        fixed = list(self.readonly_fields)
        if obj is not None and obj.status == "closed":
            fixed += ["organisation", "version", "opens_on", "closes_on", "closed_early_at"]
        return fixed

    def save_model(self, request, obj, form, change):
        if not change:
            add_round(obj, request.user)
            return
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            add_missing_links(obj)
