"""The evidence trail: append-only, hash-chained events.

Each event's hash is the SHA-256 of its canonical JSON (the contract, its place in the chain,
kind, UTC time, IP address, user agent, how the person was identified, its data) together with
the previous event's hash; the first event chains to 64 zeros. Editing, removing or reordering
any row breaks every hash after it, which `verify_chain` (and `manage.py contracts_verify`)
reports.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from trainerhub.contracts.models import Contract, ContractEvent

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who did a step, and how we know it was them."""

    ip_address: str | None = None
    user_agent: str = ""
    identified_by: str = ""

    @classmethod
    def system(cls, what: str) -> Actor:
        return cls(identified_by=what)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def row_hash(row: ContractEvent) -> str:
    """The SHA-256 of an event's canonical JSON, its previous hash included."""
    payload = {
        "contract": row.contract_id,
        "seq": row.seq,
        "kind": row.kind,
        "at": _iso(row.at),
        "ip_address": row.ip_address or "",
        "user_agent": row.user_agent,
        "identified_by": row.identified_by,
        "data": row.data,
        "prev_hash": row.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(
    contract: Contract, kind: str, actor: Actor, data: dict[str, Any] | None = None
) -> ContractEvent:
    """Append one event. The caller holds the contract's row lock (services lock it), so two
    steps cannot take the same place in the chain."""
    last = (
        ContractEvent.objects.filter(contract=contract)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    row = ContractEvent(
        trainer_id=contract.trainer_id,
        contract=contract,
        seq=seq,
        kind=kind,
        at=timezone.now().astimezone(UTC),
        ip_address=actor.ip_address or None,
        user_agent=(actor.user_agent or "")[:500],
        identified_by=(actor.identified_by or "")[:300],
        data=data or {},
        prev_hash=prev,
    )
    row.hash = row_hash(row)
    row.save()
    return row


@dataclass
class ChainReport:
    contract_id: int
    events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(contract: Contract, events: list[ContractEvent] | None = None) -> ChainReport:
    """Recompute every event's hash and link; also the stored document and PDF hashes."""
    from trainerhub.contracts.documents import sha256

    rows = events if events is not None else list(contract.events.order_by("seq"))
    report = ChainReport(contract_id=contract.pk, events=len(rows))
    prev = GENESIS
    for expected_seq, row in enumerate(rows, start=1):
        if row.seq != expected_seq:
            report.problems.append(f"event {expected_seq} is missing (found {row.seq}).")
        if row.prev_hash != prev:
            report.problems.append(f"event {row.seq} ({row.kind}) does not follow the one before.")
        digest = row_hash(row)
        if digest != row.hash:
            report.problems.append(
                f"event {row.seq} ({row.kind}) was changed after it was written."
            )
        prev = row.hash
    if contract.document_sha256:
        frozen = bytes(contract.document_pdf) if contract.document_pdf else contract.document_html
        if sha256(frozen) != contract.document_sha256:
            report.problems.append("the sent document no longer matches its SHA-256.")
        sent = [r for r in rows if r.kind == ContractEvent.Kind.SENT]
        if sent and any(r.data.get("document_sha256") != contract.document_sha256 for r in sent):
            report.problems.append("the document's SHA-256 differs from the one recorded on send.")
    final = bytes(contract.final_pdf) if contract.final_pdf else b""
    if contract.final_sha256 and sha256(final) != contract.final_sha256:
        report.problems.append("the signed PDF no longer matches its SHA-256.")
    return report
