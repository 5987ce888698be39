"""What a respondent sees and does: pages of items, saving answers, submitting.

Views validate input here and call the action functions, which change the database
atomically. Every rejection raises ``AnswerRejected`` with a message fit for the respondent.
"""

import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from frameworks.models import SCALE_MAX, SCALE_MIN, GoalArea, Item

from .invitation_hooks import hooks
from .models import Answer, Response, RoundLink
from .scores import score_response
from .signals import response_submitted

DONT_KNOW = "dk"
# The only spellings accepted: ASCII digits. (str.isdigit and int() also take "²", "①" or
# full-width digits, which would either crash or slip through.)
SCALE_VALUES = {str(value): value for value in range(SCALE_MIN, SCALE_MAX + 1)}
ITEM_ID = re.compile(r"[0-9]{1,9}")


class AnswerRejected(Exception):
    """Why an answer (or a look at the questionnaire) is refused. ``reason`` is "closed" or
    "not_open" when the round itself is the reason, so the page can say when and whom to ask."""

    def __init__(self, message: str, status: int = 400, reason: str = ""):
        super().__init__(message)
        self.message = message
        self.status = status
        self.reason = reason


@dataclass
class Page:
    number: int
    area: GoalArea | None  # None for the closing page with background questions
    items: list[Item]

    @property
    def is_background(self) -> bool:
        return self.area is None


def visible_items(link: RoundLink):
    """The items of the round's framework version that this link's target group sees."""
    return Item.objects.filter(
        goal__area__version_id=link.round.version_id, target_groups=link.target_group_id
    ).select_related("goal", "goal__area")


def build_pages(link: RoundLink) -> list[Page]:
    """One page per goal area that has items for this target group, then the background page;
    each item with its goal, area and scale steps.

    Kept in this process after the first look-up (``_PAGES``): a link's version is frozen once
    a round uses it (frameworks.models), so its pages never change, and fetching them cost
    more than the rest of a page view. Saving or deleting framework content clears the cache."""
    key = (link.round.version_id, link.target_group_id)
    pages = _PAGES.get(key)
    if pages is None:
        if len(_PAGES) >= _PAGES_KEPT:
            _PAGES.clear()
        pages = _PAGES[key] = tuple(_fetch_pages(link))
    return list(pages)


_PAGES: dict[tuple[int, int], tuple[Page, ...]] = {}
_PAGES_KEPT = 200  # (version, target group) pairs: a few in practice


def forget_pages(**_signal):
    _PAGES.clear()


def _fetch_pages(link: RoundLink) -> list[Page]:
    items = visible_items(link).prefetch_related("scale_steps")
    by_area: dict[int, list[Item]] = {}
    areas: dict[int, GoalArea] = {}
    for item in items:
        by_area.setdefault(item.goal.area_id, []).append(item)
        areas[item.goal.area_id] = item.goal.area
    ordered = sorted(areas.values(), key=lambda a: (a.order, a.id))
    pages = [Page(i + 1, area, by_area[area.id]) for i, area in enumerate(ordered)]
    pages.append(Page(len(pages) + 1, None, []))
    return pages


def ensure_round_open(link: RoundLink):
    if not link.round.is_open():
        if timezone.localdate() < link.round.opens_on:
            raise AnswerRejected(
                _("This assessment opens on %(date)s. Welcome back then.")
                % {"date": link.round.opens_on},
                status=403,
                reason="not_open",
            )
        raise AnswerRejected(
            _("This assessment round is closed, so no more answers can be given."),
            status=410,
            reason="closed",
        )


def closed_on(round_):
    """The day the round closed: the day it was closed early, or its last open day."""
    if round_.closed_early_at is not None:
        return timezone.localdate(round_.closed_early_at)
    return round_.closes_on


def parse_value(raw) -> int | None:
    """A scale value 1–5, or None for "don't know"; anything else is rejected."""
    raw = (str(raw) if raw is not None else "").strip()
    if raw == DONT_KNOW:
        return None
    if raw in SCALE_VALUES:
        return SCALE_VALUES[raw]
    raise AnswerRejected(
        _("The answer “%(value)s” is not on the scale. Choose %(min)s–%(max)s or “Don't know”.")
        % {"value": raw[:20], "min": SCALE_MIN, "max": SCALE_MAX}
    )


def parse_item_id(raw) -> int | None:
    """The item id a form sent, or None if it is not a plain number."""
    raw = str(raw) if raw is not None else ""
    return int(raw) if ITEM_ID.fullmatch(raw) else None


def _unknown_item() -> AnswerRejected:
    return AnswerRejected(_("That question is not part of this assessment."))


def _already_submitted() -> AnswerRejected:
    return AnswerRejected(
        _("Your answers have already been submitted and can no longer be changed."), status=409
    )


def _ensure_not_submitted(response: Response):
    if response.is_submitted:
        raise _already_submitted()


def no_draft() -> AnswerRejected:
    return AnswerRejected(
        _(
            "We could not find your answers in this browser. Start from the link again; "
            "answers are kept on the device where you began."
        ),
        status=403,
    )


def _invalid_link() -> AnswerRejected:
    return AnswerRejected(
        _("This link is not valid. Check that you copied the whole link."), status=404
    )


def _ensure_gender(gender: str):
    if gender not in Response.Gender.values and gender != "":
        raise AnswerRejected(_("Choose one of the listed options, or leave the question blank."))


def _store_answers(response: Response, values: dict[int, int | None]):
    """Insert or overwrite the answers in one statement (INSERT … ON CONFLICT DO UPDATE, on
    SQLite and PostgreSQL alike): a concurrent save of the same item cannot make a second row,
    and the later save is the last word."""
    Answer.objects.bulk_create(
        [
            Answer(response=response, item_id=item_id, value=value)
            for item_id, value in values.items()
        ],
        update_conflicts=True,
        unique_fields=["response", "item"],
        update_fields=["value"],
    )


def _lock_draft(response: Response) -> bool:
    """Lock the draft's row until the end of the transaction, if it is still a draft. A submit
    (an UPDATE of that row) waits for the lock, so no answer is written after the submit."""
    return (
        Response.objects.select_for_update()
        .filter(pk=response.pk, submitted_on__isnull=True)
        .values_list("pk", flat=True)
        .first()
        is not None
    )


def save_answers(response: Response, page: Page, raw_answers: dict) -> int:
    """A page of answers (the page form's submit): validate every answer first, then store
    them all (or none), in a fixed number of statements however many they are: the page's
    items are known, so no answer needs a look-up. Returns how many were saved."""
    ensure_round_open(response.link)
    _ensure_not_submitted(response)
    on_page = {item.pk for item in page.items}
    values = {}
    for raw_item, raw in raw_answers.items():
        item_id = parse_item_id(raw_item)
        if item_id not in on_page:
            raise _unknown_item()
        values[item_id] = parse_value(raw)
    if not values:
        return 0
    with transaction.atomic(savepoint=False):
        still_draft = _lock_draft(response)
        if still_draft:
            _store_answers(response, values)
    if not still_draft:  # submitted from another tab meanwhile
        raise _already_submitted()
    return len(values)


def save_background(response: Response, gender: str):
    ensure_round_open(response.link)
    _ensure_not_submitted(response)
    _ensure_gender(gender)
    Response.objects.filter(pk=response.pk, submitted_on__isnull=True).update(gender=gender)
    response.gender = gender


def _locked_draft(token: str, keys: dict[int, str], item_id: int | None) -> Response | None:
    """The draft that one of the device's keys (``{link id: secret}``) opens on the link with
    ``token``, with its link and round, locked until the end of the transaction (see
    ``_lock_draft``), and annotated ``item_visible``: whether ``item_id`` is a statement this
    link's target group answers in this round. One query."""
    if not keys:
        return None
    visible = Item.objects.filter(
        pk=item_id,
        goal__area__version_id=OuterRef("link__round__version_id"),
        target_groups=OuterRef("link__target_group_id"),
    )
    drafts = (
        Response.objects.select_related("link__round")
        .select_for_update(of=("self",))
        .filter(link__token=token, secret__in=list(keys.values()), submitted_on__isnull=True)
        .annotate(item_visible=Exists(visible) if item_id is not None else Value(False))
    )
    for draft in drafts:
        if keys.get(draft.link_id) == draft.secret:
            draft.round = draft.link.round
            return draft
    return None


def _why_no_draft(token: str) -> AnswerRejected:
    """Off the hot path: a link that does not exist is a 404, else the device has no draft."""
    if not RoundLink.objects.filter(token=token).exists():
        return _invalid_link()
    return no_draft()


def autosave_answer(token: str, keys: dict[int, str], raw_item, raw_value):
    """One answer saved as it is given: normally one statement (``_upsert_if_allowed``). When
    that stores nothing, the two-statement path below finds out why, or saves after all if the
    draft changed in between. A bad value is refused before the database is asked anything."""
    value = parse_value(raw_value)
    item_id = parse_item_id(raw_item)
    if item_id is not None and keys and _upsert_if_allowed(token, keys, item_id, value):
        return
    _autosave_answer_checked(token, keys, item_id, value)


# The busiest statement of a kick-off (about 330 a second), written as SQL: compiling the ORM's
# version cost more CPU than everything else in the request (bench/respondents.py). It stores
# the answer only if every rule holds: the device's key opens an unsubmitted draft on this
# link, the round is open today (Round.is_open), and the item is one this link's target group
# answers (visible_items). A change to those rules must be made here too; test_autosave has a
# refusal for each. On PostgreSQL the draft's row is locked for the statement (a submit waits,
# see _lock_draft).
_UPSERT_IF_ALLOWED = """
INSERT INTO assessments_answer (response_id, item_id, value)
SELECT r.id, %s, %s
FROM assessments_response r
JOIN assessments_roundlink l ON l.id = r.link_id
JOIN assessments_round ro ON ro.id = l.round_id
WHERE l.token = %s
  AND (r.link_id, r.secret) IN ({keys})
  AND r.submitted_on IS NULL
  AND ro.closed_early_at IS NULL AND ro.opens_on <= %s AND ro.closes_on >= %s
  AND EXISTS (
    SELECT 1 FROM frameworks_item i
    JOIN frameworks_goal g ON g.id = i.goal_id
    JOIN frameworks_goalarea a ON a.id = g.area_id
    JOIN frameworks_item_target_groups t ON t.item_id = i.id
    WHERE i.id = %s AND a.version_id = ro.version_id AND t.targetgroup_id = l.target_group_id
  )
{lock}
ON CONFLICT (response_id, item_id) DO UPDATE SET value = excluded.value
"""


def _upsert_if_allowed(token: str, keys: dict[int, str], item_id: int, value) -> bool:
    """Store one answer in one statement if the rules allow it; False if nothing was stored."""
    lock = "FOR UPDATE OF r" if connection.features.has_select_for_update_of else ""
    sql = _UPSERT_IF_ALLOWED.format(keys="VALUES " + ", ".join(["(%s, %s)"] * len(keys)), lock=lock)
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    params = [item_id, value, token]
    for link_id, secret in keys.items():
        params += [link_id, secret]
    params += [today, today, item_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def _autosave_answer_checked(token: str, keys: dict[int, str], item_id, value):
    """The answer saved in two statements: the device's draft (locked, with its link and round,
    and whether the item belongs to it), then the upsert; or the reason it cannot be."""
    # Nothing raises inside the transaction: a refusal leaves the block normally and is raised
    # after it, so that the test suite's surrounding transaction stays usable.
    with transaction.atomic(savepoint=False):
        draft = _locked_draft(token, keys, item_id)
        problem = _autosave_problem(token, draft)
        if problem is None and not draft.item_visible:
            problem = _unknown_item()
        if problem is None:
            _store_answers(draft, {item_id: value})
    if problem is not None:
        raise problem


def autosave_background(token: str, keys: dict[int, str], gender: str):
    """The background question saved as it is given, in two statements: the device's draft
    (locked, as in ``_autosave_answer_checked``), then the update. Once per questionnaire, so
    it has no one-statement path."""
    _ensure_gender(gender)
    with transaction.atomic(savepoint=False):
        draft = _locked_draft(token, keys, None)
        problem = _autosave_problem(token, draft)
        if problem is None:
            Response.objects.filter(pk=draft.pk).update(gender=gender)
    if problem is not None:
        raise problem


def _autosave_problem(token: str, draft: Response | None) -> AnswerRejected | None:
    if draft is None:
        return _why_no_draft(token)
    try:
        ensure_round_open(draft.link)
    except AnswerRejected as exc:
        return exc
    return None


def submit(
    response: Response, invitation_token: str | None = None, holds_place: bool = False
) -> bool:
    """Mark the response submitted and remove the device's key to it, in one UPDATE, and
    store its scores per unit (``scores``) in the same transaction.

    A response begun through a personal invitation (``invitation_token``) first claims that
    invitation, in a transaction of its own so that the two rows never share a database
    transaction, or is refused if another draft spent it already (``invitations.personal``).
    A response begun on the shared link took its place at the begin (``begin_response``; the
    device's cookie says so: ``holds_place``), so its submit is refused only when the round
    has closed. (A draft begun before places existed takes one now, or is refused.)

    Idempotent: returns False if it already was submitted (a replay, or the loser of two
    simultaneous submits), and changes nothing then.
    """
    ensure_round_open(response.link)
    if invitation_token is not None:
        if not hooks.spend_invitation(response.link_id, invitation_token, response.secret):
            if not Response.objects.filter(pk=response.pk, submitted_on__isnull=True).exists():
                return False  # this very draft was submitted already: a replay
            raise AnswerRejected(already_submitted_message(), status=409)
    problem = None
    with transaction.atomic():
        if invitation_token is None:
            locked = _lock_link(response.link_id)
            if not holds_place:
                problem = shared_link_problem(locked)
        if problem is None:
            updated = Response.objects.filter(pk=response.pk, submitted_on__isnull=True).update(
                submitted_on=timezone.localdate(), secret=None
            )
            if updated and invitation_token is None and not holds_place:
                _take_place(response.link_id)
            if updated:
                # Its answers summed per unit, in this transaction (``scores``: ~2 ms).
                score_response(response.pk)
                response_submitted.send(sender=Response, round_id=response.round_id)
    if problem is not None:
        raise problem
    response.refresh_from_db(fields=["submitted_on", "secret"])
    return bool(updated)


def already_submitted_message() -> str:
    return _(
        "This personal link has already been used to submit answers. Each personal link "
        "takes one submission, so nothing more was stored."
    )


def _lock_link(link_id: int) -> RoundLink:
    """The link with its round, its row locked until the end of the transaction. The lock is
    taken by a write (an UPDATE that changes nothing), so that SQLite takes its write lock
    before the counts are read, as PostgreSQL takes the row's lock: two begins or submits on
    one link are counted one after the other."""
    RoundLink.objects.filter(pk=link_id).update(shared_begins=F("shared_begins"))
    return RoundLink.objects.select_related("round").get(pk=link_id)


def _take_place(link_id: int) -> None:
    RoundLink.objects.filter(pk=link_id).update(shared_begins=F("shared_begins") + 1)


def places_left(link: RoundLink) -> int | None:
    """How many more may begin on the shared link (None: no limit known). The places are the
    link's cap (``invitations.counting.open_link_cap``): with an invitation list, only the
    number the coordinator typed; each respondent let in takes one for good (submitted or not:
    a draft left unsubmitted keeps its place, so that no answer is refused at its end)."""
    cap = hooks.open_link_cap(link)
    if cap is None:
        return None
    return cap - link.shared_begins


def shared_link_problem(link: RoundLink) -> AnswerRejected | None:
    """Why the shared link takes no new respondent now, or None if it takes one."""
    if not link.round.open_links:
        return AnswerRejected(
            _(
                "This round takes answers only through the personal links sent by email. "
                "Use the link in your invitation."
            ),
            status=403,
            reason="shared_link_off",
        )
    left = places_left(link)
    if left is not None and left <= 0:
        if hooks.open_link_cap(link) == 0:
            message = _(
                "This target group answers through personal links sent by email, so its "
                "shared link takes no answers. Use the link in your invitation; if you have "
                "none, ask the coordinator."
            )
        else:
            message = _(
                "The shared link of this target group has as many respondents as were "
                "invited through it, so it takes no more. If you received a personal link "
                "by email, use that one; otherwise ask the coordinator."
            )
        return AnswerRejected(message, status=403, reason="shared_link_full")
    return None


def ensure_open_links_accepted(link: RoundLink):
    """Refuse, at the first step, a new respondent the shared link has no place for."""
    if problem := shared_link_problem(link):
        raise problem


def begin_response(link: RoundLink) -> Response:
    """A new, empty open-link response on ``link``, taking one of the shared link's places,
    or ``AnswerRejected`` if there is none left. Checked and created with the link row locked,
    so that a link with N places lets exactly N in however many begin at once. The caller
    gives the device the draft's key with the mark that it holds a place (``SHARED_PLACE``):
    nothing in the database says which response holds one."""
    with transaction.atomic():
        locked = _lock_link(link.pk)
        problem = shared_link_problem(locked)
        if problem is None:
            response = Response.objects.create(link=link, round=link.round)
            _take_place(link.pk)
    if problem is not None:
        raise problem
    return response


def answered_values(response: Response) -> dict[int, int | None]:
    return dict(response.answers.values_list("item_id", "value"))


def resume_page(response: Response, pages: list[Page]) -> int:
    """The first page with a statement not yet answered; once every statement is answered,
    the last page (the background question, just before submitting)."""
    answered = set(response.answers.values_list("item_id", flat=True))
    for page in pages:
        if any(item.pk not in answered for item in page.items):
            return page.number
    return len(pages)


@dataclass
class Unanswered:
    page: int
    item: Item


def unanswered_items(response: Response, pages: list[Page]) -> list[Unanswered]:
    """Every statement not yet answered, in the order asked, with the page it is on."""
    answered = set(response.answers.values_list("item_id", flat=True))
    return [
        Unanswered(page.number, item)
        for page in pages
        for item in page.items
        if item.pk not in answered
    ]


def rating_counts(response: Response) -> tuple[int, int]:
    """(answered, rated): statements answered at all, and those given a rating 1–5."""
    values = list(response.answers.values_list("value", flat=True))
    return len(values), sum(value is not None for value in values)


def own_scores(response: Response) -> list[dict]:
    """The respondent's own mean per goal area (don't-know answers left out), in order."""
    rows = (
        Answer.objects.filter(response=response)
        .values("item__goal__area__id", "item__goal__area__order")
        .annotate(
            mean=Avg("value"),
            rated=Count("id", filter=Q(value__isnull=False)),
            dont_know=Count("id", filter=Q(value__isnull=True)),
        )
        .order_by("item__goal__area__order")
    )
    areas = GoalArea.objects.in_bulk([row["item__goal__area__id"] for row in rows])
    return [
        {
            "area": areas[row["item__goal__area__id"]],
            "mean": row["mean"],
            "rated": row["rated"],
            "dont_know": row["dont_know"],
        }
        for row in rows
    ]
