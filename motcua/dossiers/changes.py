"""A dossier changed": the one place the domain announces a committed change of what a dossier shows,
and the one place others subscribe to it (ADR 0018).

A write that changes a dossier — a workflow move, a payment, the return channel, the account a fee
is paid into — calls `dossier_changed(dossier, kind)` (or `dossiers_changed` for many) inside its
transaction. Once that transaction commits, every subscriber is called with the changes; if it rolls
back, nobody hears of them. Subscribers register in their AppConfig.ready() with
`on_dossier_changed(callback)`: the portal forgets its cached tracking pages this way, so the domain
never imports an interface app.

Issue [I] grows the change feed from here: `dossiers_changed` is where the outbox row would be
written in the same transaction, and delivery would read the outbox instead of the closure below.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DossierChange:
    """One change: which dossier (its id, and its code once received — the public key of its
    pages), and what kind of change (a workflow action such as "assign", or "payment",
    "return_channel", "collecting_account")."""

    dossier_id: int | None
    code: str
    kind: str


Subscriber = Callable[[Sequence[DossierChange]], None]
_subscribers: list[Subscriber] = []


def on_dossier_changed(callback: Subscriber) -> Subscriber:
    """Call `callback(changes)` after every commit that changed dossiers. Registering the same
    callback twice keeps one (AppConfig.ready() may run more than once in tests)."""
    if callback not in _subscribers:
        _subscribers.append(callback)
    return callback


def dossier_changed(dossier, kind: str) -> None:
    """Announce that this dossier changed (delivered once the current transaction commits)."""
    dossiers_changed([(dossier.pk, dossier.code)], kind=kind)


def dossiers_changed(dossiers: Iterable[tuple[int | None, str | None]], *, kind: str) -> None:
    """Announce many changed dossiers, given as (id, code) pairs, with one delivery after commit
    (at once outside a transaction; never if it rolls back)."""
    changes = tuple(DossierChange(pk, code or "", kind) for pk, code in dossiers)
    if changes:
        transaction.on_commit(lambda: _deliver(changes))


def _deliver(changes: tuple[DossierChange, ...]) -> None:
    """Every subscriber hears of the changes; one that fails is logged and does not keep the
    others from hearing (the change itself is committed already)."""
    for subscriber in list(_subscribers):
        try:
            subscriber(changes)
        except Exception:
            logger.exception("dossier change subscriber %r failed", subscriber)
