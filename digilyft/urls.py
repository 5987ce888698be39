from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from api.urls import api_urlpatterns
from core import views as core_views

admin.site.site_header = _("Digilyft administration")
admin.site.site_title = _("Digilyft")

urlpatterns = [
    path("", include("api.urls")),
    *api_urlpatterns,
    path("", include("core.urls")),
    path("", include("assessments.urls")),
    path("", include("invitations.urls")),
    path("", include("results.urls")),
    path("", include("learning.urls")),
    path("", include("webinars.urls")),
    path("", include("programme.urls")),
    path("", include("plans.urls")),
    path("", include("pulse.urls")),
    # Before Django's own: the same pages, rate-limited per address.
    path("accounts/login/", core_views.login, name="login"),
    path("accounts/password_reset/", core_views.password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin's own login would skip the per-address limit on wrong passwords
    # (core/login_limits.py): staff log in where everyone does, then come back.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]

handler400 = "core.views.error_400"
handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
