"""Staff keep the module catalogue and review proposed cases here. Individual evaluations
are deliberately not registered: they are shown only as means over enough participants."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Case, CaseGoal, ModuleGoal, WorkshopModule, WorkshopRequest


class ModuleGoalInline(admin.TabularInline):
    model = ModuleGoal
    extra = 1


@admin.register(WorkshopModule)
class WorkshopModuleAdmin(admin.ModelAdmin):
    list_display = ["title_sv", "duration_minutes", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title_sv", "title_en", "key"]
    inlines = [ModuleGoalInline]


class CaseGoalInline(admin.TabularInline):
    model = CaseGoal
    extra = 1


@admin.action(description=_("Publish the selected cases"))
def publish(modeladmin, request, queryset):
    queryset.update(status=Case.Status.PUBLISHED)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["title_sv", "organisation_name", "welfare_area", "status", "is_illustrative"]
    list_filter = ["status", "welfare_area", "is_illustrative"]
    search_fields = ["title_sv", "summary_sv", "organisation__name", "example_organisation"]
    autocomplete_fields = ["organisation"]
    inlines = [CaseGoalInline]
    actions = [publish]


@admin.register(WorkshopRequest)
class WorkshopRequestAdmin(admin.ModelAdmin):
    list_display = ["organisation", "format", "status", "created_at"]
    list_filter = ["status", "format"]
    readonly_fields = ["status", "evaluation_token", "created_by", "created_at"]
