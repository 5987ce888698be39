from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from frameworks.groups import target_group_choices

from .audit import AuditedAdmin
from .models import Partner, ReferenceShare, ReportSettings


class ReferenceShareForm(forms.ModelForm):
    target_group = forms.ChoiceField(label=_("Target group"), choices=target_group_choices)

    class Meta:
        model = ReferenceShare
        fields = ["target_group", "share_women", "source"]


@admin.register(Partner)
class PartnerAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "role"]
    filter_horizontal = ["modules", "sessions", "cases"]


@admin.register(ReferenceShare)
class ReferenceShareAdmin(AuditedAdmin, admin.ModelAdmin):
    form = ReferenceShareForm
    list_display = ["target_group", "share_women", "source"]


@admin.register(ReportSettings)
class ReportSettingsAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["title", "period_start", "period_end", "deadline", "reach_target"]
