from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("coordinator/rounds/<int:pk>/workshop/", views.propose_workshop, name="propose"),
    path("workshops/", views.workshop_list, name="workshop_list"),
    path("workshops/<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("workshops/<int:pk>/participants/", views.add_participant, name="add_participant"),
    path("workshops/<int:pk>/move/<str:to_status>/", views.workshop_move, name="workshop_move"),
    path(
        "workshops/<int:pk>/evaluation/links/new/",
        views.make_evaluation_links,
        name="make_evaluation_links",
    ),
    path(
        "workshops/<int:pk>/evaluation/links/replace/",
        views.replace_evaluation_links,
        name="replace_evaluation_links",
    ),
    path("workshops/<int:pk>/evaluation/links/", views.evaluation_links, name="evaluation_links"),
    path("workshops/<int:pk>/evaluation/close/", views.close_evaluation, name="close_evaluation"),
    path("e/<str:token>/", views.evaluate, name="evaluate"),
    path("e/<str:token>/thanks/", views.evaluate_thanks, name="evaluate_thanks"),
    path("library/", views.library, name="library"),
    path("library/propose/", views.propose_case, name="propose_case"),
    path("library/<slug:key>/", views.case_detail, name="case_detail"),
]
