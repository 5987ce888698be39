"""Background work for workshops, run by the database-backed worker (`manage.py db_worker`)."""

from django_tasks import task

from core.mail import claim_once

from .models import StatusChange, WorkshopRequest
from .workshops import notify, notify_office


@task()
def send_status_mail(change_id: int) -> int:
    """Tell the coordinators about one step of a workshop request, once (claimed by the
    step's row), saying the status of that step even if a later one followed."""
    change = StatusChange.objects.select_related("request__organisation").filter(pk=change_id)
    change = change.first()
    if change is None or not claim_once(f"workshop-status:{change.pk}"):
        return 0
    request = change.request
    request.status = change.to_status
    return notify(request)


@task()
def send_office_mail(request_id: int) -> int:
    """Tell the programme office about a new workshop request, once (claimed by the request)."""
    request = WorkshopRequest.objects.select_related("organisation").filter(pk=request_id).first()
    if request is None or not claim_once(f"workshop-new:{request.pk}"):
        return 0
    return notify_office(request)
