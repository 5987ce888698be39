"""The good-practice library's cases: a coordinator's proposal, which the programme office
reviews before it is published."""

import secrets

from django.db import transaction

from .models import Case, CaseGoal


@transaction.atomic
def propose_case(*, organisation, user, fields: dict, goal_keys, link: str = "") -> Case:
    """Store a proposed (unpublished) case of ``organisation`` with its goals, all or nothing.
    ``fields`` are the case's own texts as the proposal form cleaned them."""
    case = Case(**fields)
    case.organisation = organisation
    case.status = Case.Status.PROPOSED
    case.proposed_by = user
    case.link = link
    case.key = f"forslag-{secrets.token_hex(6)}"
    case.save()
    CaseGoal.objects.bulk_create(CaseGoal(case=case, goal_key=key) for key in goal_keys)
    return case


def refold_cases_of(sender, instance, **kwargs):
    """Keep the cases' folded search text in step when their organisation is renamed."""
    for case in Case.objects.filter(organisation=instance).select_related("organisation"):
        if case.search_text != case.folded_text():
            case.save(update_fields=["search_text"])
