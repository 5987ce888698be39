from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("coordinator/rounds/<int:pk>/results/", views.round_results_page, name="round_results"),
    path("coordinator/rounds/<int:pk>/results.pdf", views.round_results_pdf, name="round_pdf"),
    path("coordinator/rounds/<int:pk>/results.xlsx", views.round_results_xlsx, name="round_xlsx"),
    path("programme/national/", views.national_dashboard, name="national"),
    path("programme/national.xlsx", views.national_xlsx, name="national_xlsx"),
    path("programme/national.csv", views.national_csv_download, name="national_csv"),
]
