from django.contrib import admin

from .models import Coordinator, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "county_name", "kommungrupp"]
    list_filter = ["kind", "county_name", "kommungrupp"]
    search_fields = ["code", "name"]


@admin.register(Coordinator)
class CoordinatorAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
