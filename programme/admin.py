from django.contrib import admin

from .models import Partner, ReferenceShare, ReportSettings


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "role"]
    filter_horizontal = ["modules", "sessions", "cases"]


@admin.register(ReferenceShare)
class ReferenceShareAdmin(admin.ModelAdmin):
    list_display = ["target_group", "share_women", "source"]


@admin.register(ReportSettings)
class ReportSettingsAdmin(admin.ModelAdmin):
    list_display = ["title", "period_start", "period_end", "deadline", "reach_target"]
