"""The public webinar programme, registration without an account, and the programme
office's attendance import and reach figures."""

from io import BytesIO

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from frameworks.groups import target_group_choices
from lib.access import staff_required
from lib.importing import ImportRejected
from lib.ratelimit import limit_per_address
from lib.spreadsheet import safe_row

from . import certificates, evaluations, reach, registrations
from .attendance import AttendanceTooEarly, import_attendance
from .calendar import feed_ics
from .filters import SeriesFilter
from .forms import (
    AttendanceUploadForm,
    CertificateMinimumForm,
    EvaluationForm,
    RegistrationForm,
)
from .models import Evaluation, Registration, Session


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
    chosen = SeriesFilter(request.GET or None)
    if chosen.is_bound and not chosen.is_valid():
        context = {"form": chosen.form, "series": []}
        return render(request, "webinars/programme.html", context, status=400)
    now = timezone.now()
    groups = target_group_choices()
    series = []
    for one in chosen.qs:
        sessions = list(one.sessions.all())
        series.append(
            {
                "series": one,
                "upcoming": [s for s in sessions if s.ends_at >= now],
                "past": [s for s in sessions if s.ends_at < now],
                "groups": [label for key, label in groups if key in one.target_groups],
            }
        )
    return render(request, "webinars/programme.html", {"form": chosen.form, "series": series})


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
def recording(request, pk):
    """A held session's recording, with its caption status (and a warning while the captions
    are not checked)."""
    session = _session_or_404(pk)
    if not (session.is_past and session.recording_link):
        raise Http404(_("This webinar has no recording."))
    return render(request, "webinars/recording.html", {"session": session})


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
            "certificate": certificates.eligible(registration),
        },
    )


@require_safe
def certificate(request, token):
    """The registrant's attendance certificate (PDF), when their attendance meets the minimum."""
    registration = _registration_or_404(token)
    if not certificates.eligible(registration):
        raise Http404(_("There is no attendance certificate for this registration."))
    with translation.override(
        registration.language if registration.language in ("sv", "en") else "sv"
    ):
        pdf = certificates.pdf(registration, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="digilyft-intyg-{registration.session_id}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


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


# --- the anonymous evaluation ----------------------------------------------------------------

SPENT_HERE = "webinar_evaluations_spent"


def _spent_here(request, code) -> bool:
    return evaluations.hash_code(code) in request.session.get(SPENT_HERE, [])


def _remember_spent(request, code):
    spent = request.session.get(SPENT_HERE, [])
    request.session[SPENT_HERE] = [*spent, evaluations.hash_code(code)][-20:]


def _refused(request, exc):
    return render(
        request, "webinars/evaluate_closed.html", {"message": exc.message}, status=exc.status
    )


@require_http_methods(["GET", "HEAD", "POST"])
def evaluate(request, code):
    """A registrant's single-use link: the form, and one evaluation stored when it is sent."""
    if request.method == "POST" and _spent_here(request, code):
        return redirect("webinars:evaluate_thanks", code=code)  # a replay: nothing more stored
    try:
        session = evaluations.session_for_code(code)
    except evaluations.EvaluationRefused as exc:
        return _refused(request, exc)
    form = EvaluationForm(request.POST or None)
    context = {"session": session, "form": form}
    if request.method == "GET":
        return render(request, "webinars/evaluate.html", context)
    if not form.is_valid():
        return render(request, "webinars/evaluate.html", context, status=400)
    answers = {name: form.cleaned_data[name] for name in Evaluation.QUESTIONS}
    if not evaluations.submit_evaluation(session, code, answers):
        return _refused(request, evaluations.used_link())
    _remember_spent(request, code)
    return redirect("webinars:evaluate_thanks", code=code)


@require_safe
def evaluate_thanks(request, code):
    if not _spent_here(request, code):
        raise Http404(_("This evaluation link is not valid. Check the address."))
    return render(request, "webinars/evaluate_thanks.html")


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
            "unchecked": Session.objects.filter(series__is_published=True)
            .exclude(recording_link="")
            .exclude(caption_status=Session.Captions.CHECKED)
            .count(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def office_attendance(request, pk):
    session = _office_session(pk)
    form = AttendanceUploadForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                text = form.cleaned_data["file"].read().decode("utf-8-sig")
                result = import_attendance(session, text)
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text. Nothing was imported."))
            except ImportRejected as rejected:
                for error in rejected.errors:
                    form.add_error(
                        "file",
                        _("Line %(line)s: %(reason)s. Nothing was imported.")
                        % {"line": error.line, "reason": error.reason},
                    )
            except AttendanceTooEarly:
                form.add_error(
                    "file",
                    _(
                        "The webinar has not taken place yet: it ends %(end)s. Import the "
                        "attendance once it has ended. Nothing was imported."
                    )
                    % {
                        "end": formats.date_format(timezone.localtime(session.ends_at), "Y-m-d H:i")
                    },
                )
        if form.errors:
            status = 400
    return _attendance_page(request, session, form=form, result=result, status=status)


def _attendance_page(request, session, *, form=None, result=None, minimum_form=None, status=200):
    return render(
        request,
        "webinars/office_attendance.html",
        {
            "session": session,
            "form": form or AttendanceUploadForm(),
            "result": result,
            "evaluation": evaluations.summary(session),
            "minimum_form": minimum_form or CertificateMinimumForm(instance=session.series),
            "certified": certificates.eligible_count(session),
            "questions": [
                (name, EvaluationForm.base_fields[name].label) for name in Evaluation.QUESTIONS
            ],
            "not_ended": session.ends_at > timezone.now(),
        },
        status=status,
    )


def _office_session(pk) -> Session:
    session = Session.objects.select_related("series").filter(pk=pk).first()
    if session is None:
        raise Http404(_("No such webinar."))
    return session


@require_POST
@staff_required
def office_certificate_minimum(request, pk):
    """Set the session's series' minimum attendance for a certificate; a bad value is a 400."""
    session = _office_session(pk)
    form = CertificateMinimumForm(request.POST, instance=session.series)
    if not form.is_valid():
        session.series.refresh_from_db()  # the page shows the saved values beside the errors
        return _attendance_page(request, session, minimum_form=form, status=400)
    form.save()
    messages.success(request, _("The minimum for a certificate is saved."))
    return redirect("webinars:office_attendance", pk=session.pk)


@require_POST
@staff_required
def office_open_evaluation(request, pk):
    session = _office_session(pk)
    try:
        evaluations.open_evaluation(session)
    except evaluations.EvaluationRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The evaluation is open; the links are being sent."))
    return redirect("webinars:office_attendance", pk=session.pk)


@require_POST
@staff_required
def office_close_evaluation(request, pk):
    session = _office_session(pk)
    try:
        evaluations.close_evaluation(session)
    except evaluations.EvaluationRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The evaluation is closed."))
    return redirect("webinars:office_attendance", pk=session.pk)


def _reach_tables(sessions):
    tables = {}
    labels = {
        "target_group": dict(target_group_choices()),
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
