from django.urls import path

from . import views_coordinator as coordinator
from . import views_respond as respond

app_name = "assessments"

urlpatterns = [
    path("coordinator/", coordinator.home, name="coordinator_home"),
    path("coordinator/rounds/new/", coordinator.round_create, name="round_create"),
    path("coordinator/rounds/<int:pk>/", coordinator.round_detail, name="round_detail"),
    path("coordinator/rounds/<int:pk>/close/", coordinator.round_close, name="round_close"),
    path(
        "coordinator/rounds/<int:pk>/links/<int:link_pk>/invited/",
        coordinator.round_invited,
        name="round_invited",
    ),
    path(
        "coordinator/rounds/<int:pk>/links/<int:link_pk>/screen/",
        coordinator.round_link_screen,
        name="round_link_screen",
    ),
    path("k/<str:code>/", respond.short, name="respond_short"),
    path("s/<str:token>/", respond.start, name="respond_start"),
    path("s/<str:token>/begin/", respond.begin, name="respond_begin"),
    path("s/<str:token>/new/", respond.restart, name="respond_restart"),
    path("s/<str:token>/page/<int:number>/", respond.page, name="respond_page"),
    path("s/<str:token>/answer/", respond.autosave, name="respond_autosave"),
    path("s/<str:token>/saved/", respond.saved, name="respond_saved"),
    path("s/<str:token>/submit/", respond.review, name="respond_review"),
    # The summary is shown once, as the answer to the submitting POST; this old address of it
    # shows only a thank-you page.
    path("s/<str:token>/summary/", respond.thanks, name="respond_thanks"),
]
