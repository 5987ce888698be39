"""Every URL of the project (from the resolver, the admin aside), as staff, the coordinator
of A, the coordinator of B, an anonymous visitor and a logged-in account with no
organisation, by GET and by POST (an empty form): each answer's status against the table.

Objects in the URLs belong to organisation A. A URL missing from the table, or one in the
table that no longer exists, fails the test too, so a new page is placed in the table when
it is added. Each request is made with a fresh login, in the table's order."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import make_user
from frameworks.models import Goal
from learning.models import RequestedGoal, WorkshopRequest
from learning.tests.factories import make_case
from plans import actions
from programme.models import Activity, Cost, SelectionOverride
from pulse.pulses import start_pulse
from results.tests.factories import link, make_round, publish, submit
from webinars.models import Registration
from webinars.tests.factories import make_session

PERSONAS = ["staff", "coord_a", "coord_b", "anonymous", "no_org"]

# url name: ("GET: staff A B anonymous no-org", "POST: the same"). 302 for the anonymous
# visitor is the way to the login page.
EXPECTED = {
    "api:bulk_csv": ("200 200 200 200 200", "405 405 405 405 405"),
    "api:bulk_json": ("200 200 200 200 200", "405 405 405 405 405"),
    "api:bulk_datapackage": ("200 200 200 200 200", "405 405 405 405 405"),
    "api:docs": ("200 200 200 200 200", "405 405 405 405 405"),
    "api:token_create": ("405 405 405 405 405", "400 400 400 302 403"),
    "api:token_revoke": ("405 405 405 405 405", "404 404 404 302 403"),
    "api:tokens": ("200 200 200 302 403", "405 405 405 405 405"),
    "api_v1:api-root": ("404 404 404 404 404", "404 404 404 404 404"),
    "api_v1:data_kpi_municipality": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:data_kpi_municipality_year": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:data_kpi_year": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:data_municipality_year": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:data_query": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:kpi_items": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:kpi_group_items": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:kpi_group_list": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:kpi_list": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:municipality_group_items": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:municipality_group_list": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:municipality_items": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:municipality_list": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:openapi-json": ("200 200 200 200 200", "200 200 200 200 200"),
    "api_v1:ou_items": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:ou_list": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:oudata_path": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:oudata_query": ("200 200 200 200 200", "405 405 405 405 405"),
    "api_v1:round_counts": ("401 401 401 401 401", "405 405 405 405 405"),
    "api_v1:round_counts_of": ("401 401 401 401 401", "405 405 405 405 405"),
    "assessments:coordinator_home": ("200 200 200 302 403", "405 405 405 405 405"),
    "assessments:respond_autosave": ("405 405 405 405 405", "400 400 400 400 400"),
    "assessments:respond_begin": ("405 405 405 405 405", "302 302 302 302 302"),
    "assessments:respond_page": ("403 403 403 403 403", "403 403 403 403 403"),
    "assessments:respond_restart": ("405 405 405 405 405", "302 302 302 302 302"),
    "assessments:respond_review": ("403 403 403 403 403", "200 200 200 200 200"),
    "assessments:respond_saved": ("200 200 200 200 200", "405 405 405 405 405"),
    "assessments:respond_short": ("404 404 404 404 404", "405 405 405 405 405"),
    "assessments:respond_start": ("200 200 200 200 200", "405 405 405 405 405"),
    "assessments:respond_thanks": ("200 200 200 200 200", "405 405 405 405 405"),
    "assessments:round_close": ("200 200 404 302 403", "302 302 404 302 403"),
    "assessments:round_create": ("403 200 200 302 403", "403 400 400 302 403"),
    "assessments:round_detail": ("200 200 404 302 403", "405 405 405 405 405"),
    "assessments:round_invited": ("405 405 405 405 405", "302 302 404 302 403"),
    "assessments:round_link_screen": ("200 200 404 302 403", "405 405 405 405 405"),
    "core:accessibility": ("200 200 200 200 200", "405 405 405 405 405"),
    "core:after_login": ("302 302 302 302 302", "405 405 405 405 405"),
    "core:healthz": ("200 200 200 200 200", "405 405 405 405 405"),
    "core:home": ("200 200 200 200 200", "405 405 405 405 405"),
    "core:privacy": ("200 200 200 200 200", "405 405 405 405 405"),
    "core:second_factor": ("302 403 403 302 403", "302 403 403 302 403"),
    "core:second_factor_setup": ("200 403 403 302 403", "400 403 403 302 403"),
    "invitations:add_list": ("405 405 405 405 405", "302 302 404 302 403"),
    "invitations:begin": ("405 405 405 405 405", "404 404 404 404 404"),
    "invitations:open_links": ("405 405 405 405 405", "302 302 404 302 403"),
    "invitations:reminders": ("405 405 405 405 405", "302 302 404 302 403"),
    "invitations:round_invitations": ("200 200 404 302 403", "405 405 405 405 405"),
    "invitations:send": ("405 405 405 405 405", "302 302 404 302 403"),
    "invitations:sending_progress": ("200 200 404 302 403", "405 405 405 405 405"),
    "invitations:start": ("404 404 404 404 404", "405 405 405 405 405"),
    "invitations:stop_reminders": ("404 404 404 404 404", "404 404 404 404 404"),
    "learning:add_participant": ("405 405 405 405 405", "400 400 404 302 403"),
    "learning:case_detail": ("200 200 200 200 200", "405 405 405 405 405"),
    "learning:close_evaluation": ("405 405 405 405 405", "302 302 404 302 403"),
    "learning:evaluate": ("404 404 404 404 404", "404 404 404 404 404"),
    "learning:evaluate_thanks": ("404 404 404 404 404", "405 405 405 405 405"),
    "learning:evaluation_links": ("200 200 404 302 403", "405 405 405 405 405"),
    "learning:library": ("200 200 200 200 200", "405 405 405 405 405"),
    "learning:make_evaluation_links": ("405 405 405 405 405", "302 302 404 302 403"),
    "learning:propose": ("403 200 404 302 403", "403 400 404 302 403"),
    "learning:propose_case": ("403 200 200 302 403", "403 400 400 302 403"),
    "learning:replace_evaluation_links": ("405 405 405 405 405", "302 302 404 302 403"),
    "learning:workshop_detail": ("200 200 404 302 403", "405 405 405 405 405"),
    "learning:workshop_list": ("200 200 200 302 403", "405 405 405 405 405"),
    "learning:workshop_move": ("405 405 405 405 405", "302 403 403 302 403"),
    "login": ("200 200 200 200 200", "200 200 200 200 200"),
    "logout": ("405 405 405 405 405", "302 302 302 302 302"),
    "password_change": ("200 200 200 302 200", "200 200 200 302 200"),
    "password_change_done": ("200 200 200 302 200", "405 405 405 302 405"),
    "password_reset": ("200 200 200 200 200", "200 200 200 200 200"),
    "password_reset_complete": ("200 200 200 200 200", "405 405 405 405 405"),
    "password_reset_confirm": ("200 200 200 200 200", "200 200 200 200 200"),
    "password_reset_done": ("200 200 200 200 200", "405 405 405 405 405"),
    "plans:add_activity": ("405 405 405 405 405", "400 400 404 302 403"),
    "plans:change_status": ("405 405 405 405 405", "302 302 404 302 403"),
    "plans:detail": ("200 200 404 302 403", "405 405 405 405 405"),
    "plans:docx": ("200 200 404 302 403", "405 405 405 405 405"),
    "plans:effect": ("200 403 403 302 403", "405 405 405 405 405"),
    "plans:from_round": ("405 405 405 405 405", "302 302 404 302 403"),
    "plans:from_workshop": ("405 405 405 405 405", "302 302 404 302 403"),
    "plans:list": ("200 200 200 302 403", "405 405 405 405 405"),
    "plans:pdf": ("200 200 404 302 403", "405 405 405 405 405"),
    "plans:set_target": ("405 405 405 405 405", "302 302 404 302 403"),
    "programme:audit": ("200 403 403 302 403", "405 405 405 405 405"),
    "programme:budget": ("200 403 403 302 403", "200 403 403 302 403"),
    "programme:budget_xlsx": ("200 403 403 302 403", "405 405 405 405 405"),
    "programme:delete_cost": ("405 405 405 405 405", "302 403 403 302 403"),
    "programme:loop": ("200 403 403 302 403", "405 405 405 405 405"),
    "programme:overview": ("200 403 403 302 403", "405 405 405 405 405"),
    "programme:partners": ("200 403 403 302 403", "200 403 403 302 403"),
    "programme:pulse": ("200 403 403 302 403", "405 405 405 405 405"),
    "programme:pulse_xlsx": ("200 403 403 302 403", "405 405 405 405 405"),
    "programme:reach": ("200 403 403 302 403", "405 405 405 405 405"),
    "programme:reach_xlsx": ("200 403 403 302 403", "405 405 405 405 405"),
    "programme:report": ("200 403 403 302 403", "200 403 403 302 403"),
    "programme:report_docx": ("200 403 403 302 403", "405 405 405 405 405"),
    "programme:report_pdf": ("200 403 403 302 403", "405 405 405 405 405"),
    "programme:republish": ("200 403 403 302 403", "200 403 403 302 403"),
    "programme:selection": ("200 403 403 302 403", "200 403 403 302 403"),
    "programme:selection_xlsx": ("200 403 403 302 403", "405 405 405 405 405"),
    "programme:withdraw_override": ("405 405 405 405 405", "302 403 403 302 403"),
    "pulse:answer": ("200 200 200 200 200", "200 200 200 200 200"),
    "pulse:close": ("200 200 404 302 403", "302 302 404 302 403"),
    "pulse:create": ("403 200 200 302 403", "403 400 400 302 403"),
    "pulse:detail": ("200 200 404 302 403", "405 405 405 405 405"),
    "pulse:list": ("200 200 200 302 403", "405 405 405 405 405"),
    "pulse:results": ("200 200 200 200 200", "405 405 405 405 405"),
    "results:national": ("200 403 403 302 403", "405 405 405 405 405"),
    "results:national_csv": ("200 403 403 302 403", "405 405 405 405 405"),
    "results:national_xlsx": ("200 403 403 302 403", "405 405 405 405 405"),
    "results:round_pdf": ("200 200 404 302 403", "405 405 405 405 405"),
    "results:round_results": ("200 200 404 302 403", "405 405 405 405 405"),
    "results:round_xlsx": ("200 200 404 302 403", "405 405 405 405 405"),
    "set_language": ("302 302 302 302 302", "302 302 302 302 302"),
    "webinars:calendar": ("200 200 200 200 200", "405 405 405 405 405"),
    "webinars:cancel": ("405 405 405 405 405", "302 302 302 302 302"),
    "webinars:certificate": ("404 404 404 404 404", "405 405 405 405 405"),
    "webinars:check_email": ("200 200 200 200 200", "405 405 405 405 405"),
    "webinars:confirm": ("302 302 302 302 302", "302 302 302 302 302"),
    "webinars:erase": ("405 405 405 405 405", "200 200 200 200 200"),
    "webinars:evaluate": ("404 404 404 404 404", "404 404 404 404 404"),
    "webinars:evaluate_thanks": ("404 404 404 404 404", "405 405 405 405 405"),
    "webinars:office_attendance": ("200 403 403 302 403", "200 403 403 302 403"),
    "webinars:office_certificate_minimum": ("405 405 405 405 405", "302 403 403 302 403"),
    "webinars:office_close_evaluation": ("405 405 405 405 405", "302 403 403 302 403"),
    "webinars:office_open_evaluation": ("405 405 405 405 405", "302 403 403 302 403"),
    "webinars:office_reach": ("200 403 403 302 403", "405 405 405 405 405"),
    "webinars:office_sessions": ("200 403 403 302 403", "405 405 405 405 405"),
    "webinars:programme": ("200 200 200 200 200", "405 405 405 405 405"),
    "webinars:recording": ("404 404 404 404 404", "405 405 405 405 405"),
    "webinars:register": ("200 200 200 200 200", "400 400 400 400 400"),
    "webinars:registration": ("200 200 200 200 200", "405 405 405 405 405"),
}


def _patterns(patterns=None, namespace="", prefix=()):
    """(name, parameter names) of every named URL, the admin aside."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _patterns(pattern.url_patterns, inner, (*prefix, pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            names = []
            for part in (*prefix, pattern.pattern):
                names += list(getattr(part, "converters", {})) or list(part.regex.groupindex)
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), names


@pytest.fixture
def world(org_a, org_b, coordinator_a, coordinator_b, staff_user, version, open_round):
    published = make_round(org_a, version, name="Publicerad", days_ago=60)
    submit(link(published, "official"), 6, value=3)
    publish(published)
    goal = Goal.objects.filter(area__version=version).first()
    workshop = WorkshopRequest.objects.create(
        organisation=org_a,
        format=WorkshopRequest.Format.HALF_DAY,
        status=WorkshopRequest.Status.HELD,
        wished_date_1=timezone.localdate() - timedelta(days=1),
    )
    RequestedGoal.objects.create(request=workshop, goal_key=goal.key, goal_name="", reasons="")
    plan = actions.plan_from_workshop(workshop, coordinator_a)
    activity = actions.add_activity(
        plan.goals.get(),
        coordinator_a,
        what="Strategi",
        responsible="Chef",
        due_on=timezone.localdate() + timedelta(days=30),
    )
    session = make_session(hours_ahead=48, groups=("official",))
    registration = Registration.objects.create(
        session=session,
        name="X",
        email="x@example.org",
        organisation=org_a,
        target_group="official",
        status="confirmed",
    )
    case = make_case("fallet", org_a, [goal.key])
    cost = Cost.objects.create(date=timezone.localdate(), amount=100, activity=Activity.values[0])
    override = SelectionOverride.objects.create(
        organisation=org_b, include=True, reason="x", by=staff_user
    )
    token = open_round.links.get(target_group__key="politician").token
    pulse = start_pulse(
        organisation=org_a,
        user=coordinator_a,
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate() + timedelta(days=10),
    )
    return {
        "pulse_token": pulse.token,
        "pk": {
            "pulse": pulse.pk,
            "results": published.pk,
            "plans:from_round": published.pk,
            "plans:from_workshop": workshop.pk,
            "programme:republish": published.pk,
            "learning:propose": published.pk,
        },
        "round": open_round.pk,
        "link_pk": open_round.links.first().pk,
        "token": token,
        "workshop": workshop.pk,
        "plan": plan.pk,
        "goal_pk": plan.goals.get().pk,
        "activity_pk": activity.pk,
        "session": session.pk,
        "registration": registration.token,
        "case": case.key,
        "cost": cost.pk,
        "override": override.pk,
    }


def _kwargs(name, pattern_keys, world):
    values = {}
    app = name.split(":")[0]
    for key in pattern_keys:
        if key == "pk":
            values[key] = (
                world["pk"].get(name)
                or world["pk"].get(app)
                or {
                    "learning": world["workshop"],
                    "plans": world["plan"],
                    "webinars": world["session"],
                    "programme": {"programme:delete_cost": world["cost"]}.get(
                        name, world["override"]
                    ),
                }.get(app, world["round"])
            )
        elif key in ("token", "link_token"):
            values[key] = {
                "webinars": world["registration"],
                "learning": "no-such-token",
                "pulse": world["pulse_token"],
            }.get(app, world["token"])
        elif key == "key":
            values[key] = world["case"]
        elif key == "code":
            values[key] = "no-such-code"
        elif key == "number":
            values[key] = 1
        elif key == "to_status":
            values[key] = "evaluated"
        elif key in ("kpi", "municipality", "year", "kpi_group", "group", "ou"):
            values[key] = {
                "kpi": "DL1A1",
                "municipality": "1287",
                "year": "2026",
                "kpi_group": "GDL1A1",
                "group": "GL12",
                "ou": "V15E128700101",
            }[key]
        elif key == "uidb64":
            values[key] = "x"
        elif key == "rest":
            values[key] = "nothing"
        else:
            values[key] = world[key]
    if name.startswith("invitations:") and "link_token" in pattern_keys:
        values["token"] = "no-such-invitation"
    return values


def _url(name, params, world):
    return reverse(name, kwargs=_kwargs(name, params, world) or None)


def _client(persona, users):
    client = Client()
    if users.get(persona) is not None:
        client.force_login(users[persona])
    return client


def test_every_url_answers_every_persona_as_the_table_says(
    world, staff_user, coordinator_a, coordinator_b, settings
):
    settings.DIGILYFT_API_RATE_LIMIT = 0  # hundreds of requests from one address, by design
    users = {
        "staff": staff_user,
        "coord_a": coordinator_a,
        "coord_b": coordinator_b,
        "anonymous": None,
        "no_org": make_user("no-org"),
    }
    params = dict(_patterns())
    names = sorted(params)
    assert set(names) ^ set(EXPECTED) == set()  # every URL is in the table, and only those
    found = {}
    for name in names:
        url = _url(name, params[name], world)
        answers = []
        for method in ("get", "post"):
            codes = []
            for persona in PERSONAS:
                response = getattr(_client(persona, users), method)(url)
                codes.append(str(response.status_code))
            answers.append(" ".join(codes))
        found[name] = tuple(answers)
    wrong = {name: (found[name], EXPECTED[name]) for name in names if found[name] != EXPECTED[name]}
    assert wrong == {}, "(found, expected) per URL name"
