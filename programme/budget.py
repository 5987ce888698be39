"""Budget use per year: grant, spent, committed and remaining, summed in SQL, exact in SEK."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import ExtractYear

from . import audit
from .models import Cost, Grant

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


@dataclass
class YearBudget:
    year: int
    grant: Decimal
    spent: Decimal
    committed: Decimal

    @property
    def used(self) -> Decimal:
        return self.spent + self.committed

    @property
    def remaining(self) -> Decimal:
        return self.grant - self.used

    @property
    def over(self) -> bool:
        return self.used > self.grant


def _cost_sums():
    rows = (
        Cost.objects.annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(
            spent=Sum("amount", filter=Q(status=Cost.Status.SPENT)),
            committed=Sum("amount", filter=Q(status=Cost.Status.COMMITTED)),
        )
        .order_by("year")
    )
    return {row["year"]: (row["spent"] or ZERO, row["committed"] or ZERO) for row in rows}


def by_year() -> list[YearBudget]:
    grants = dict(Grant.objects.values_list("year", "amount"))
    sums = _cost_sums()
    years = sorted(set(grants) | set(sums))
    return [YearBudget(y, grants.get(y, ZERO), *sums.get(y, (ZERO, ZERO))) for y in years]


def total(years: list[YearBudget]) -> YearBudget:
    return YearBudget(
        0,
        sum((y.grant for y in years), ZERO),
        sum((y.spent for y in years), ZERO),
        sum((y.committed for y in years), ZERO),
    )


def by_activity(year: int | None = None):
    costs = Cost.objects.all()
    if year:
        costs = costs.filter(date__year=year)
    return list(costs.values("activity").annotate(amount=Sum("amount")).order_by("activity"))


def would_go_over(date, amount: Decimal) -> YearBudget | None:
    """The year's budget after this cost, if that exceeds its grant; otherwise None."""
    current = next(
        (y for y in by_year() if y.year == date.year), YearBudget(date.year, ZERO, ZERO, ZERO)
    )
    after = YearBudget(current.year, current.grant, current.spent, current.committed + amount)
    return after if after.over else None


@transaction.atomic
def add_cost(user, **fields) -> Cost:
    fields["amount"] = Decimal(fields["amount"]).quantize(CENT)
    cost = Cost.objects.create(created_by=user, **fields)
    audit.record(user, cost, "create", None)
    return cost


@transaction.atomic
def delete_cost(user, cost: Cost):
    before = audit.snapshot(cost)
    pk = cost.pk
    cost.delete()
    cost.pk = pk
    audit.record(user, cost, "delete", before)


@transaction.atomic
def set_grant(user, year: int, amount: Decimal, note: str = "") -> Grant:
    amount = Decimal(amount).quantize(CENT)
    grant = Grant.objects.filter(year=year).first()
    before = audit.snapshot(grant)
    if grant is None:
        grant = Grant.objects.create(year=year, amount=amount, note=note)
        audit.record(user, grant, "create", None)
    else:
        grant.amount, grant.note = amount, note
        grant.save()
        audit.record(user, grant, "update", before)
    return grant
