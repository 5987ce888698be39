from django.urls import path

from . import views

app_name = "webinars"

urlpatterns = [
    path("webinars/", views.programme, name="programme"),
    path("webinars/calendar.ics", views.calendar_feed, name="calendar"),
    path("webinars/<int:pk>/register/", views.register, name="register"),
    path("webinars/<int:pk>/recording/", views.recording, name="recording"),
    path("webinars/r/<str:token>/", views.registration_page, name="registration"),
    path("webinars/r/<str:token>/check-email/", views.check_email, name="check_email"),
    path("webinars/r/<str:token>/confirm/", views.confirm, name="confirm"),
    path("webinars/r/<str:token>/cancel/", views.cancel, name="cancel"),
    path("webinars/r/<str:token>/erase/", views.erase, name="erase"),
    path("webinars/r/<str:token>/certificate.pdf", views.certificate, name="certificate"),
    path("webinars/e/<str:code>/", views.evaluate, name="evaluate"),
    path("webinars/e/<str:code>/thanks/", views.evaluate_thanks, name="evaluate_thanks"),
    path(
        "programme/webinars/<int:pk>/certificate/",
        views.office_certificate_minimum,
        name="office_certificate_minimum",
    ),
    path(
        "programme/webinars/<int:pk>/evaluation/open/",
        views.office_open_evaluation,
        name="office_open_evaluation",
    ),
    path(
        "programme/webinars/<int:pk>/evaluation/close/",
        views.office_close_evaluation,
        name="office_close_evaluation",
    ),
    path("programme/webinars/", views.office_sessions, name="office_sessions"),
    path("programme/webinars/reach/", views.office_reach, name="office_reach"),
    path(
        "programme/webinars/<int:pk>/attendance/", views.office_attendance, name="office_attendance"
    ),
]
