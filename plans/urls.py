from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("plans/", views.plan_list, name="list"),
    path("plans/<int:pk>/", views.plan_detail, name="detail"),
    path("plans/<int:pk>/goals/<int:goal_pk>/target/", views.set_target, name="set_target"),
    path("plans/<int:pk>/activities/", views.add_activity, name="add_activity"),
    path(
        "plans/<int:pk>/activities/<int:activity_pk>/status/",
        views.change_status,
        name="change_status",
    ),
    path("plans/<int:pk>/plan.pdf", views.plan_pdf, name="pdf"),
    path("plans/<int:pk>/plan.docx", views.plan_docx, name="docx"),
    path("workshops/<int:pk>/plan/", views.plan_from_workshop, name="from_workshop"),
    path("coordinator/rounds/<int:pk>/plan/", views.plan_from_round, name="from_round"),
    path("programme/effect/", views.effect_page, name="effect"),
]
