"""Round counts for token holders: per round and target group, how many were invited, started
and submitted, the response rate and how many more answers the group's results need.

Counts only — the same the coordinator's round page shows — for open and closed rounds alike;
results are read through the data endpoints, and only once published. A coordinator's token
reads their own organisation's rounds, a staff token every organisation's. Nothing here writes.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from assessments.models import Round, RoundLink
from invitations.counting import annotate_invitations
from registry.models import Organisation
from results.anonymity import answers_short

from .catalogue import closing_day, version_label
from .identifiers import municipality_id
from .tokens import Reader


class NotReadable(Exception):
    pass


def readable_organisations(reader: Reader, ids: list[str] | None) -> list[Organisation]:
    """The organisations asked for (None: all the reader may read), each one the reader may
    read; an id the reader may not read, or that names no organisation, is refused."""
    organisations = Organisation.objects.all()
    if not reader.is_staff:
        organisations = organisations.filter(pk=reader.organisation_id)
    by_id = {municipality_id(org.code): org for org in organisations}
    if ids is None:
        return sorted(by_id.values(), key=lambda org: municipality_id(org.code))
    refused = [i for i in ids if i not in by_id]
    if refused:
        raise NotReadable(
            _("Your token does not read the rounds of %(ids)s.") % {"ids": ", ".join(refused)}
        )
    return [by_id[i] for i in dict.fromkeys(ids)]


def rounds_of(organisations: list[Organisation]) -> list[Round]:
    return list(
        Round.objects.filter(organisation__in=organisations)
        .select_related("organisation", "version__framework")
        .annotate(published=Count("publication"))
        .order_by("organisation__code", "-closes_on", "-pk")
    )


def _links_by_round(rounds: list[Round]) -> dict[int, list[RoundLink]]:
    links = (
        RoundLink.objects.filter(round__in=rounds)
        .select_related("target_group")
        .annotate(
            started=Count("responses"),
            submitted=Count("responses", filter=Q(responses__submitted_on__isnull=False)),
        )
        .order_by("round_id", "target_group__order")
    )
    result = {}
    for link in annotate_invitations(links):
        result.setdefault(link.round_id, []).append(link)
    return result


def rows(rounds: list[Round]) -> list[dict]:
    """The rows of one page of rounds, in three queries whatever the number of rounds."""
    links = _links_by_round(rounds)
    result = []
    for round_ in rounds:
        day = closing_day(round_.closes_on, round_.closed_early_at)
        result.append(
            {
                "municipality": municipality_id(round_.organisation.code),
                "period": day.year,
                "title": round_.name,
                "x_round": round_.pk,
                "x_status": round_.status,
                "x_published": bool(round_.published),
                "x_opens_on": round_.opens_on,
                "x_closes_on": day,
                "x_framework_version": version_label(round_.version),
                "x_round_kind": round_.kind,
                "values": [_group(link) for link in links.get(round_.pk, [])],
            }
        )
    return result


def _group(link: RoundLink) -> dict:
    rate = link.response_rate
    return {
        "target_group": link.target_group.key,
        "x_invited": link.invited,
        "x_started": link.started,
        "x_submitted": link.submitted,
        "x_response_rate": round(rate, 2) if rate is not None else None,
        "x_answers_short": answers_short(link.submitted),
    }
