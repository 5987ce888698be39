from django.contrib import admin

from .models import Series, Session, Speaker


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["title_sv", "starts_at", "ends_at", "capacity"]
    show_change_link = True


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title_sv", "is_published", "certificate_min_minutes", "certificate_min_share"]
    inlines = [SessionInline]


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 1


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title_sv", "series", "starts_at", "capacity", "caption_status"]
    list_filter = ["series", "caption_status"]
    inlines = [SpeakerInline]
