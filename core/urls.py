from django.urls import path

from . import views, views_second_factor

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.after_login, name="after_login"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/second-factor/", views_second_factor.verify, name="second_factor"),
    path("accounts/second-factor/setup/", views_second_factor.setup, name="second_factor_setup"),
]
