from django.urls import path

from . import views

app_name = "pulse"

urlpatterns = [
    path("coordinator/pulses/", views.pulse_list, name="list"),
    path("coordinator/pulses/new/", views.pulse_create, name="create"),
    path("coordinator/pulses/<int:pk>/", views.pulse_detail, name="detail"),
    path("coordinator/pulses/<int:pk>/close/", views.pulse_close, name="close"),
    path("p/<str:token>/", views.answer, name="answer"),
    path("pulses/<int:pk>/", views.results, name="results"),
]
