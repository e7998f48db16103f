"""Is this report a transfer we already hold? The same bank transfer can reach us through several
providers (SePay and Casso both reading one account, payOS, a statement imported later), each with
its own transaction id and often without the bank's reference. docs/adr/0022.

A transfer is recognised by the facts every provider reports alike: the receiving account, the
amount, the moment (within WINDOW; a statement line that carries only a day, within a day), and
the payment reference found in the narrative (or the same bank reference).

- Every fact agrees with one earlier credit of another provider that this provider has not
  already reported → the same transfer: a duplicate report linked to that credit, no new money.
- Amount and moment agree but a fact is missing or differs in form (no reference in either
  narrative, another reference, two different bank references, no account) → in doubt: the
  credit is stored but goes to the review queue instead of being counted, never a double credit.
- Otherwise it is a new transfer.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from .models import Credit, CreditSource, ProviderReport, ReportKind
from .references import references_in

WINDOW = timedelta(minutes=30)  # providers stamp one transfer with times minutes apart
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Facts:
    """What every provider reports of a transfer, whatever its format."""

    pk: int | None
    provider: str
    source: str
    account: str
    amount: int
    booked_at: datetime
    references: frozenset[str]
    bank_reference: str


def _key(text: str) -> str:
    return "".join((text or "").split()).upper()


def facts_of(item, pk: int | None = None) -> Facts:
    """The facts of a Credit or a CreditData."""
    return Facts(
        pk=pk if pk is not None else getattr(item, "pk", None),
        provider=item.provider,
        source=item.source,
        account=_key(item.account_number),
        amount=item.amount,
        booked_at=item.booked_at,
        references=frozenset(references_in(item.narrative)[0]),
        bank_reference=_key(item.bank_reference),
    )


def _day_only(facts: Facts) -> bool:
    """A statement line whose date carried no time (booked at local midnight)."""
    local = timezone.localtime(facts.booked_at)
    return facts.source == CreditSource.STATEMENT and local.time() == datetime.min.time()


def _same_moment(a: Facts, b: Facts) -> bool:
    if _day_only(a) or _day_only(b):
        days = timezone.localtime(a.booked_at).date() - timezone.localtime(b.booked_at).date()
        return abs(days.days) <= 1  # a late-evening transfer is booked the next day
    return abs(a.booked_at - b.booked_at) <= WINDOW


def verdict(new: Facts, old: Facts) -> str:
    """ "same", "doubt" or "other" for a new report against an earlier credit."""
    if new.provider == old.provider or CreditSource.DESK in (new.source, old.source):
        return "other"  # one provider's distinct ids are distinct transfers; cash is no transfer
    if new.amount != old.amount or not _same_moment(new, old):
        return "other"
    if new.account and old.account and new.account != old.account:
        return "other"
    refs_conflict = bool(new.bank_reference and old.bank_reference) and (
        new.bank_reference != old.bank_reference
    )
    same_bank_ref = bool(new.bank_reference) and new.bank_reference == old.bank_reference
    same_payment_ref = bool(new.references) and new.references == old.references
    if new.account and old.account and not refs_conflict and (same_bank_ref or same_payment_ref):
        return "same"
    return "doubt"


def same_transfer(new: Facts, candidates, claimed: set[int]) -> tuple[Facts | None, Facts | None]:
    """(the credit this report repeats, or a credit it may repeat) among `candidates`, skipping
    the credits in `claimed` (already reported by this provider: this is another transfer). The
    nearest in time wins when several are the same."""
    same, doubt = [], []
    for old in candidates:
        if old.pk in claimed:
            continue
        found = verdict(new, old)
        if found == "same":
            same.append(old)
        elif found == "doubt":
            doubt.append(old)

    def nearest(items):
        return min(items, key=lambda f: (abs(f.booked_at - new.booked_at), f.pk or 0))

    if same:
        return nearest(same), None
    return None, nearest(doubt) if doubt else None


class Nearby:
    """Candidates by amount, sorted by moment: a statement of 10.000 lines compares each line
    with the few credits of its amount around its moment, not with all of them."""

    def __init__(self, facts):
        self._by_amount = defaultdict(list)
        for item in sorted(facts, key=lambda f: f.booked_at):
            self._by_amount[item.amount].append(item)
        self._moments = {a: [f.booked_at for f in items] for a, items in self._by_amount.items()}

    def near(self, new: Facts) -> list[Facts]:
        items = self._by_amount.get(new.amount, [])
        moments = self._moments.get(new.amount, [])
        start = bisect.bisect_left(moments, new.booked_at - DAY - WINDOW)
        end = bisect.bisect_right(moments, new.booked_at + DAY + WINDOW)
        return items[start:end]


def candidates_for(provider: str, amounts, start: datetime, end: datetime, accounts=()):
    """Earlier credits of other providers that could be one of these transfers (one query), and
    the ids of those this provider has already reported as duplicates."""
    query = (
        Credit.objects.filter(amount__in=list(amounts), booked_at__range=(start, end))
        .exclude(provider=provider)
        .exclude(source=CreditSource.DESK)
        .only(
            "pk",
            "provider",
            "source",
            "account_number",
            "amount",
            "booked_at",
            "narrative",
            "bank_reference",
        )  # fmt: skip
    )
    found = [facts_of(c) for c in query]
    if accounts:
        wanted = {_key(a) for a in accounts}
        found = [f for f in found if not f.account or f.account in wanted]
    ids, claimed = [f.pk for f in found], set()
    for offset in range(0, len(ids), 500):
        claimed |= set(
            ProviderReport.objects.filter(
                provider=provider,
                kind=ReportKind.DUPLICATE,
                credit_id__in=ids[offset : offset + 500],
            ).values_list("credit_id", flat=True)
        )
    return found, claimed


def search_range(moments) -> tuple[datetime, datetime]:
    """The span to look in around some moments: a day either side covers statements' days."""
    moments = list(moments)
    return min(moments) - DAY - WINDOW, max(moments) + DAY + WINDOW
