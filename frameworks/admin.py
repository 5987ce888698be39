from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import (
    Framework,
    FrameworkVersion,
    Goal,
    GoalArea,
    Item,
    Prerequisite,
    ScaleStep,
    TargetGroup,
)


class FrozenAwareAdmin(admin.ModelAdmin):
    """Content of a frozen version cannot be deleted; saving it fails with a clear message."""

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.get_version().is_frozen:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["key", "name_sv", "name_en"]


@admin.action(description=_("Copy as a new, unpublished version"))
def copy_as_new_version(modeladmin, request, queryset):
    for version in queryset:
        new_version = version.copy_as_new_version()
        modeladmin.message_user(
            request, _("Created %(version)s.") % {"version": new_version}, messages.SUCCESS
        )


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "label_sv", "is_published", "frozen", "created_at"]
    actions = [copy_as_new_version]

    @admin.display(boolean=True, description=_("frozen (used by a round)"))
    def frozen(self, obj):
        return obj.is_frozen

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        frozen = [v for v in queryset if v.is_frozen]
        if frozen:
            self.message_user(
                request,
                ngettext(
                    "%(count)d version is used by a round and was not deleted.",
                    "%(count)d versions are used by rounds and were not deleted.",
                    len(frozen),
                )
                % {"count": len(frozen)},
                messages.ERROR,
            )
        queryset.filter(rounds__isnull=True).delete()


@admin.register(TargetGroup, Prerequisite)
class VersionPartAdmin(FrozenAwareAdmin):
    list_display = ["key", "name_sv", "version"]
    list_filter = ["version"]


@admin.register(GoalArea)
class GoalAreaAdmin(FrozenAwareAdmin):
    list_display = ["key", "name_sv", "version", "order"]
    list_filter = ["version"]


@admin.register(Goal)
class GoalAdmin(FrozenAwareAdmin):
    list_display = ["key", "name_sv", "area"]
    list_filter = ["area__version", "area"]


class ScaleStepInline(admin.TabularInline):
    model = ScaleStep
    extra = 0
    max_num = 5


@admin.register(Item)
class ItemAdmin(FrozenAwareAdmin):
    list_display = ["key", "statement_sv", "goal"]
    list_filter = ["goal__area__version", "goal__area"]
    search_fields = ["key", "statement_sv", "statement_en"]
    filter_horizontal = ["target_groups", "prerequisites"]
    inlines = [ScaleStepInline]
