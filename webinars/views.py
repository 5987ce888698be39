"""The public webinar programme, registration without an account, and the programme
office's attendance import and reach figures."""

from io import BytesIO

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments.access import staff_required
from lib.ratelimit import limit_per_address
from lib.spreadsheet import safe_row

from . import reach, registrations
from .attendance import AttendanceRejected, import_attendance
from .calendar import feed_ics
from .forms import AttendanceUploadForm, RegistrationForm, TargetGroupFilterForm
from .models import TARGET_GROUPS, Registration, Series, Session


def _published_sessions():
    return (
        Session.objects.filter(series__is_published=True)
        .select_related("series")
        .prefetch_related("speakers")
    )


def _session_or_404(pk) -> Session:
    session = _published_sessions().filter(pk=pk).first()
    if session is None:
        raise Http404(_("No such webinar."))
    return session


def _registration_or_404(token) -> Registration:
    registration = (
        Registration.objects.select_related("session__series", "organisation")
        .filter(token=token)
        .first()
    )
    if registration is None:
        raise Http404(_("This link is not valid. It may have been used to erase the registration."))
    return registration


@require_safe
def programme(request):
    form = TargetGroupFilterForm(request.GET or None)
    group = form.cleaned_data["group"] if form.is_valid() else ""
    if request.GET and not form.is_valid():
        return render(request, "webinars/programme.html", {"form": form, "series": []}, status=400)
    now = timezone.now()
    series = []
    for one in Series.objects.filter(is_published=True).prefetch_related("sessions__speakers"):
        if group and group not in one.target_groups:
            continue
        sessions = list(one.sessions.all())
        series.append(
            {
                "series": one,
                "upcoming": [s for s in sessions if s.ends_at >= now],
                "past": [s for s in sessions if s.ends_at < now],
                "groups": [label for key, label in TARGET_GROUPS if key in one.target_groups],
            }
        )
    return render(request, "webinars/programme.html", {"form": form, "series": series})


@require_safe
def calendar_feed(request):
    return HttpResponse(
        feed_ics(_published_sessions()), content_type="text/calendar; charset=utf-8"
    )


@require_http_methods(["GET", "HEAD", "POST"])
@limit_per_address("webinar-register", "DIGILYFT_WEBINAR_REGISTRATIONS_PER_HOUR")
def register(request, pk):
    session = _session_or_404(pk)
    if session.starts_at <= timezone.now():
        return render(request, "webinars/closed.html", {"session": session}, status=410)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = registrations.register(
                session, language=get_language() or "sv", **form.cleaned_data
            )
        except registrations.RegistrationRejected as exc:
            form.add_error("email", exc.message)
        else:
            return redirect("webinars:check_email", token=registration.token)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "webinars/register.html",
        {"session": session, "form": form, "full": session.is_full()},
        status=status,
    )


@require_safe
def check_email(request, token):
    registration = _registration_or_404(token)
    return render(request, "webinars/check_email.html", {"registration": registration})


@require_http_methods(["GET", "HEAD", "POST"])
@limit_per_address("webinar-change", "DIGILYFT_WEBINAR_CHANGES_PER_HOUR")
def confirm(request, token):
    """The link in the email shows a button; only pressing it confirms (mail scanners that
    follow links must not take places)."""
    registration = _registration_or_404(token)
    if request.method == "POST":
        try:
            registrations.confirm(registration)
        except registrations.RegistrationRejected as exc:
            messages.error(request, exc.message)
        return redirect("webinars:registration", token=token)
    if registration.status != Registration.Status.PENDING:
        return redirect("webinars:registration", token=token)
    return render(request, "webinars/confirm.html", {"registration": registration})


@require_safe
def registration_page(request, token):
    registration = _registration_or_404(token)
    return render(
        request,
        "webinars/registration.html",
        {
            "registration": registration,
            "session": registration.session,
            "upcoming": not registration.session.is_past,
        },
    )


@require_POST
@limit_per_address("webinar-change", "DIGILYFT_WEBINAR_CHANGES_PER_HOUR")
def cancel(request, token):
    registration = registrations.cancel(_registration_or_404(token))
    messages.success(request, _("Your registration is cancelled."))
    return redirect("webinars:registration", token=registration.token)


@require_POST
@limit_per_address("webinar-change", "DIGILYFT_WEBINAR_CHANGES_PER_HOUR")
def erase(request, token):
    registrations.erase(_registration_or_404(token))
    return render(request, "webinars/erased.html")


# --- programme office ---------------------------------------------------------------------


@require_safe
@staff_required
def office_sessions(request):
    return render(
        request,
        "webinars/office_sessions.html",
        {
            "sessions": reach.session_totals(Session.objects.all()),
            "organisations": reach.organisations_reached(Session.objects.all()),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def office_attendance(request, pk):
    session = Session.objects.select_related("series").filter(pk=pk).first()
    if session is None:
        raise Http404(_("No such webinar."))
    form = AttendanceUploadForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                text = form.cleaned_data["file"].read().decode("utf-8-sig")
                result = import_attendance(session, text)
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text. Nothing was imported."))
            except AttendanceRejected as exc:
                form.add_error(
                    "file",
                    _("Line %(line)s: %(reason)s. Nothing was imported.")
                    % {"line": exc.line, "reason": exc.reason},
                )
        if form.errors:
            status = 400
    return render(
        request,
        "webinars/office_attendance.html",
        {"session": session, "form": form, "result": result},
        status=status,
    )


def _reach_tables(sessions):
    tables = {}
    labels = {
        "target_group": dict(TARGET_GROUPS),
        "gender": dict(Registration._meta.get_field("gender").choices),
        "kind": {"municipality": _("Municipality"), "region": _("Region")},
    }
    for dimension, field in reach.DIMENSIONS.items():
        rows = []
        for row in reach.counts_by(sessions, dimension):
            value = row[field]
            rows.append(
                {
                    "session_id": row["session_id"],
                    "value": labels.get(dimension, {}).get(value, value) or _("Not stated"),
                    "registered": row["registered"],
                    "attended": row["attended"],
                }
            )
        tables[dimension] = rows
    return tables


DIMENSION_TITLES = {
    "target_group": _("By target group"),
    "gender": _("By gender"),
    "kind": _("By kind of organisation"),
    "county": _("By county"),
}


@require_safe
@staff_required
def office_reach(request):
    sessions = reach.session_totals(Session.objects.all())
    tables = _reach_tables(Session.objects.all())
    if request.GET.get("format") == "xlsx":
        return _reach_workbook(sessions, tables)
    names = {s.pk: str(s) for s in sessions}
    return render(
        request,
        "webinars/office_reach.html",
        {
            "sessions": sessions,
            "tables": [(str(DIMENSION_TITLES[d]), rows) for d, rows in tables.items()],
            "names": names,
            "organisations": reach.organisations_reached(Session.objects.all()),
        },
    )


def _reach_workbook(sessions, tables):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Sessions")[:31]
    sheet.append([_("Session"), _("Starts"), _("Registered"), _("Waiting list"), _("Attended")])
    # Session titles are typed by staff, counties come from the registry import: never formulas.
    for session in sessions:
        sheet.append(
            safe_row(
                [
                    str(session),
                    timezone.localtime(session.starts_at).replace(tzinfo=None),
                    session.registered,
                    session.waiting,
                    session.attended,
                ]
            )
        )
    names = {s.pk: str(s) for s in sessions}
    for dimension, rows in tables.items():
        page = workbook.create_sheet(str(DIMENSION_TITLES[dimension])[:31])
        page.append([_("Session"), _("Group"), _("Registered"), _("Attended")])
        for row in rows:
            page.append(
                safe_row(
                    [
                        names[row["session_id"]],
                        str(row["value"]),
                        row["registered"],
                        row["attended"],
                    ]
                )
            )
    for page in workbook.worksheets:
        for cell in page[1]:
            cell.font = Font(bold=True)
        page.column_dimensions["A"].width = 50
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="digilyft-webinar-reach.xlsx"'
    return response
