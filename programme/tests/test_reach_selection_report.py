from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import make_org
from learning.models import Participant, WorkshopRequest
from programme import reach, selection
from programme.models import AuditEntry, ReferenceShare, SelectionOverride
from programme.report import remind_deadline, report_settings
from registry.models import Organisation
from results.tests.factories import link, make_round, publish, submit
from webinars.models import Registration
from webinars.tests.factories import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(org_a, org_b, version):
    """Org A answered a self-assessment; org B attended a webinar; a region held a workshop."""
    region = make_org(
        "05",
        "Region Östergötland",
        kind="region",
        county_code="05",
        county_name="Östergötlands län",
    )
    round_ = make_round(org_a, version)
    submit(link(round_, "politician"), 6, value=2, gender="woman")
    publish(round_)
    session = make_session(hours_ahead=-3)
    Registration.objects.create(
        session=session,
        organisation=org_b,
        target_group="official",
        gender="man",
        status="confirmed",
        attended=True,
    )
    workshop = WorkshopRequest.objects.create(
        organisation=region,
        format="half_day",
        status="held",
        wished_date_1=date.today(),
        scheduled_start=timezone.now() - timedelta(days=1),
    )
    Participant.objects.create(request=workshop, target_group="politician", gender="woman")
    ReferenceShare.objects.create(target_group="politician", share_women=Decimal("0.43"))
    return org_a, org_b, region


def test_an_organisation_is_reached_by_any_activity(activity):
    assert reach.reached_organisation_ids() == {org.pk for org in activity}
    kinds = {
        row.label: (row.reached, row.total)
        for row in reach.organisations_by("kind", reach.reached_organisation_ids())
    }
    assert kinds == {"Kommun": (2, 2), "Region": (1, 1)}


def test_municipality_groups_are_named_as_on_the_overview(activity, staff_client):
    Organisation.objects.filter(kommungrupp="B3").update(
        kommungrupp_name="Pendlingskommun nära större stad"
    )
    groups = {
        row.label: (row.reached, row.total)
        for row in reach.organisations_by("kommungrupp", reach.reached_organisation_ids())
    }
    assert groups == {"–": (1, 1), "Pendlingskommun nära större stad": (2, 2)}
    page = staff_client.get(reverse("programme:reach")).content.decode()
    assert "Pendlingskommun nära större stad" in page and ">B3<" not in page


def test_the_gender_analysis_adds_all_activities_and_shows_the_population_share(activity):
    rows = {row.group: row for row in reach.gender_analysis(reach.participants())}
    politicians = rows["politician"]
    assert (politicians.women, politicians.men) == (7, 0)  # 6 respondents + 1 workshop participant
    assert politicians.reference == pytest.approx(0.43)
    assert rows["official"].men == 1


def test_small_anonymous_groups_are_hidden(org_a, version):
    round_ = make_round(org_a, version)
    submit(link(round_, "key_person"), 2, value=3, gender="woman")
    rows = {row.group: row for row in reach.gender_analysis(reach.participants())}
    assert rows["key_person"].hidden


def test_the_selection_scores_need_engagement_and_spread(activity, version):
    org_a, org_b, region = activity
    selection.set_weights(
        None, need_weight="0.5", engagement_weight="0.3", spread_weight="0.2", places=2
    )
    rows = {c.organisation.code: c for c in selection.select()}
    a = rows[org_a.code]
    # Its published area means, about 2 (with the deliberate noise of results.disclosure).
    assert abs(a.mean - 2.0) < 1
    assert a.need == pytest.approx((5 - a.mean) / 4)
    assert a.engagement == pytest.approx(1 / 3)
    assert a.selected
    shown = f"{a.mean:.2f}".replace(".", ",")  # Swedish: a decimal comma
    assert any(shown in reason for reason in a.reasons)
    assert sum(c.selected for c in rows.values()) == 2


def test_a_manual_decision_needs_a_reason_wins_and_is_logged(staff_client, activity):
    org_a, org_b, region = activity
    url = reverse("programme:selection")
    refused = staff_client.post(
        url, {"form": "override", "organisation": org_b.pk, "include": "1", "reason": ""}
    )
    assert refused.status_code == 400
    assert not SelectionOverride.objects.exists()
    staff_client.post(
        url,
        {
            "form": "override",
            "organisation": org_a.pk,
            "include": "0",
            "reason": "Har redan fått stöd från regionen.",
        },
    )
    rows = {c.organisation.code: c for c in selection.select()}
    assert not rows[org_a.code].selected
    assert "Har redan fått stöd" in rows[org_a.code].reasons[0]
    assert AuditEntry.objects.filter(object_type="programme.SelectionOverride").count() == 1


def test_the_report_holds_the_same_figures_as_the_pages(staff_client, activity):
    from docx import Document

    from programme.defaults import load_defaults

    load_defaults()
    settings = report_settings()
    settings.period_end = date.today() + timedelta(days=1)
    settings.save()
    budget_page = staff_client.get(reverse("programme:budget")).context
    reach_page = staff_client.get(reverse("programme:reach")).context
    report_page = staff_client.get(reverse("programme:report")).context
    assert report_page["budget_total"].grant == budget_page["total"].grant == Decimal("10000000")
    assert report_page["reached"] == reach_page["reached"] == 3
    pdf = staff_client.get(reverse("programme:report_pdf"))
    assert pdf.content.startswith(b"%PDF")
    document = Document(BytesIO(staff_client.get(reverse("programme:report_docx")).content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert settings.title in text
    assert "10\u202f000\u202f000,00\u00a0kr" in cells
    reached = [p.text for p in document.paragraphs if "311" in p.text or " 3 " in p.text]
    assert any(p.startswith("3 ") for p in reached), reached


def test_report_texts_are_edited_and_logged(staff_client):
    staff_client.get(reverse("programme:report"))
    section = (
        report_settings()
        and __import__("programme.models", fromlist=["ReportSection"]).ReportSection.objects.first()
    )
    staff_client.post(
        reverse("programme:report"),
        {"form": "section", "section": section.pk, "title": "Sammanfattning", "body": "Ny text."},
    )
    section.refresh_from_db()
    assert section.body == "Ny text."
    entry = AuditEntry.objects.get(object_type="programme.ReportSection")
    assert entry.before["body"] == "" and entry.after["body"] == "Ny text."


def test_a_deadline_reminder_goes_once_and_not_for_an_old_deadline(staff_user):
    settings = report_settings()
    settings.deadline = date.today() + timedelta(days=7)
    settings.save()
    assert remind_deadline.call(settings.deadline.isoformat(), 7) == 1
    assert remind_deadline.call(settings.deadline.isoformat(), 7) == 0
    assert remind_deadline.call((settings.deadline + timedelta(days=1)).isoformat(), 7) == 0
    assert len(mail.outbox) == 1 and staff_user.email in mail.outbox[0].to
