"""What a respondent sees and does: pages of items, saving answers, submitting.

Views validate input here and call the action functions, which change the database
atomically. Every rejection raises ``AnswerRejected`` with a message fit for the respondent.
"""

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from frameworks.models import SCALE_MAX, SCALE_MIN, GoalArea, Item
from invitations import counting, personal

from .models import Answer, Response, RoundLink
from .signals import response_submitted

DONT_KNOW = "dk"
# The only spellings accepted: ASCII digits. (str.isdigit and int() also take "²", "①" or
# full-width digits, which would either crash or slip through.)
SCALE_VALUES = {str(value): value for value in range(SCALE_MIN, SCALE_MAX + 1)}
ITEM_ID = re.compile(r"[0-9]{1,9}")


class AnswerRejected(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


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
    return (
        Item.objects.filter(
            goal__area__version_id=link.round.version_id, target_groups=link.target_group_id
        )
        .select_related("goal", "goal__area")
        .prefetch_related("scale_steps")
    )


def build_pages(link: RoundLink) -> list[Page]:
    """One page per goal area that has items for this target group, then the background page."""
    by_area: dict[int, list[Item]] = {}
    areas: dict[int, GoalArea] = {}
    for item in visible_items(link):
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
            )
        raise AnswerRejected(
            _("This assessment round is closed, so no more answers can be given."), status=410
        )


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


def resolve_item(link: RoundLink, raw_item_id) -> Item:
    raw = str(raw_item_id) if raw_item_id is not None else ""
    item_id = int(raw) if ITEM_ID.fullmatch(raw) else None
    visible = Item.objects.filter(
        goal__area__version_id=link.round.version_id, target_groups=link.target_group_id
    )
    item = visible.filter(pk=item_id).only("pk").first() if item_id else None
    if item is None:
        raise AnswerRejected(_("That question is not part of this assessment."))
    return item


def _ensure_not_submitted(response: Response):
    if response.is_submitted:
        raise AnswerRejected(
            _("Your answers have already been submitted and can no longer be changed."), status=409
        )


def save_answers(response: Response, raw_answers: dict) -> int:
    """Validate every answer first, then store them all (or none). Returns how many were saved."""
    link = response.link
    ensure_round_open(link)
    _ensure_not_submitted(response)
    cleaned = [
        (resolve_item(link, item_id), parse_value(raw)) for item_id, raw in raw_answers.items()
    ]
    with transaction.atomic():
        for item, value in cleaned:
            _upsert_answer(response, item, value)
    return len(cleaned)


def _upsert_answer(response: Response, item: Item, value: int | None):
    updated = Answer.objects.filter(response=response, item=item).update(value=value)
    if updated:
        return
    try:
        with transaction.atomic():
            Answer.objects.create(response=response, item=item, value=value)
    except IntegrityError:
        # A concurrent save of the same item won the race; ours is the later word.
        Answer.objects.filter(response=response, item=item).update(value=value)


def save_background(response: Response, gender: str):
    ensure_round_open(response.link)
    _ensure_not_submitted(response)
    if gender not in Response.Gender.values and gender != "":
        raise AnswerRejected(_("Choose one of the listed options, or leave the question blank."))
    Response.objects.filter(pk=response.pk).update(gender=gender)
    response.gender = gender


def submit(response: Response, invitation_token: str | None = None) -> bool:
    """Mark the response submitted and remove the device's key to it, in one UPDATE.

    A response begun through a personal invitation (``invitation_token``) spends that
    invitation in the same transaction, or is refused if it was spent already; an open-link
    response is refused when the round takes personal links only, or when the group already
    has as many open-link submissions as were invited through the open link.

    Idempotent: returns False if it already was submitted (a replay, or the loser of two
    simultaneous submits), and changes nothing then.
    """
    ensure_round_open(response.link)
    with transaction.atomic():
        if invitation_token is None:
            _ensure_open_link_has_room(response.link)
        updated = Response.objects.filter(pk=response.pk, submitted_on__isnull=True).update(
            submitted_on=timezone.localdate(), secret=None
        )
        if updated and invitation_token is not None:
            if not personal.mark_submitted(response.link_id, invitation_token):
                raise AnswerRejected(already_submitted_message(), status=409)
        if updated:
            response_submitted.send(sender=Response, round_id=response.round_id)
    response.refresh_from_db(fields=["submitted_on", "secret"])
    return bool(updated)


def already_submitted_message() -> str:
    return _(
        "This personal link has already been used to submit answers. Each personal link "
        "takes one submission, so nothing more was stored."
    )


def begin_response(link: RoundLink) -> Response:
    """A new, empty open-link response on ``link`` (the caller has checked that the link
    takes one: ``ensure_open_links_accepted`` and the start limit)."""
    return Response.objects.create(link=link, round=link.round)


def ensure_open_links_accepted(link: RoundLink):
    if not link.round.open_links:
        raise AnswerRejected(
            _(
                "This round takes answers only through the personal links sent by email. "
                "Use the link in your invitation."
            ),
            status=403,
        )


def _ensure_open_link_has_room(link: RoundLink):
    """Lock the link row (so that two submits are counted one after the other) and refuse an
    open-link submission beyond the number invited through the open link."""
    ensure_open_links_accepted(link)
    locked = RoundLink.objects.select_for_update().get(pk=link.pk)
    room = counting.open_link_room(locked)
    if room is not None and room <= 0:
        raise AnswerRejected(
            _(
                "This target group already has as many answers through the shared link as "
                "were invited through it, so no more can be stored. If you received a "
                "personal link by email, use that one."
            ),
            status=409,
        )


def answered_values(response: Response) -> dict[int, int | None]:
    return dict(response.answers.values_list("item_id", "value"))


def resume_page(response: Response, pages: list[Page]) -> int:
    """The page after the last page with answers (at most the last page), or 1 if none."""
    answered = set(response.answers.values_list("item_id", flat=True))
    last = max(
        (page.number for page in pages if any(item.pk in answered for item in page.items)),
        default=0,
    )
    return min(last + 1, len(pages))


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
