from django.urls import path

from . import views

app_name = "programme"

urlpatterns = [
    path("programme/", views.overview, name="overview"),
    path("programme/loop/", views.loop_page, name="loop"),
    path("programme/budget/", views.budget_page, name="budget"),
    path("programme/budget/costs/<int:pk>/delete/", views.delete_cost, name="delete_cost"),
    path("programme/budget.xlsx", views.budget_xlsx, name="budget_xlsx"),
    path("programme/reach/", views.reach_page, name="reach"),
    path("programme/reach.xlsx", views.reach_xlsx, name="reach_xlsx"),
    path("programme/pulse/", views.pulse_page, name="pulse"),
    path("programme/pulse.xlsx", views.pulse_xlsx, name="pulse_xlsx"),
    path("programme/selection.xlsx", views.selection_xlsx, name="selection_xlsx"),
    path("programme/partners/", views.partners_page, name="partners"),
    path("programme/selection/", views.selection_page, name="selection"),
    path(
        "programme/selection/overrides/<int:pk>/withdraw/",
        views.withdraw_override,
        name="withdraw_override",
    ),
    path("programme/report/", views.report_page, name="report"),
    path("programme/report.pdf", views.report_pdf, name="report_pdf"),
    path("programme/report.docx", views.report_docx, name="report_docx"),
    path("programme/audit/", views.audit_page, name="audit"),
    path("programme/rounds/<int:pk>/republish/", views.republish_round, name="republish"),
]
