from django.urls import path

from . import views_coordinator as coordinator
from . import views_invitee as invitee

app_name = "invitations"

urlpatterns = [
    path(
        "coordinator/rounds/<int:pk>/invitations/",
        coordinator.round_invitations,
        name="round_invitations",
    ),
    path(
        "coordinator/rounds/<int:pk>/invitations/progress/",
        coordinator.sending_progress,
        name="sending_progress",
    ),
    path("coordinator/rounds/<int:pk>/invitations/add/", coordinator.add_list, name="add_list"),
    path("coordinator/rounds/<int:pk>/invitations/send/", coordinator.send, name="send"),
    path(
        "coordinator/rounds/<int:pk>/invitations/reminders/",
        coordinator.reminders,
        name="reminders",
    ),
    path(
        "coordinator/rounds/<int:pk>/invitations/open-links/",
        coordinator.open_links,
        name="open_links",
    ),
    # A personal link, under its target group's link so that the draft cookie (path
    # /s/<link>/) reaches it. Like all of /s/, keep it out of access logs with addresses.
    path("s/<str:link_token>/i/<str:token>/", invitee.start, name="start"),
    path("s/<str:link_token>/i/<str:token>/begin/", invitee.begin, name="begin"),
    path(
        "s/<str:link_token>/i/<str:token>/reminders/",
        invitee.stop_reminders,
        name="stop_reminders",
    ),
]
