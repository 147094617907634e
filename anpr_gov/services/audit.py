"""The audit trail: append-only, hash-chained, verifiable.

Each event's hash is SHA-256 over its canonical content plus the previous event's hash; AuditHead holds the
newest sequence number and hash so deleting the newest events is detected too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, func, select

from anpr_gov.core import clock
from anpr_gov.core.db import unit_of_work
from anpr_gov.models import AuditEvent, AuditHead
from anpr_gov.policy import Permission
from anpr_gov.services.actor import Actor, require

GENESIS_HASH = "0" * 64


def _canonical(event: AuditEvent) -> str:
    body = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "outcome": event.outcome,
        "purpose": event.purpose,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "query": event.query,
        "result_count": event.result_count,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event).encode()).hexdigest()


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    *,
    outcome: str = "ok",
    purpose: str = "",
    target_type: str = "",
    target_id: str | int = "",
    query: dict[str, Any] | str = "",
    result_count: int | None = None,
    details: dict[str, Any] | None = None,
    actor_name: str | None = None,
) -> AuditEvent:
    """Append one event inside the caller's transaction (so it commits or rolls back with the change)."""
    head = session.get(AuditHead, 1)
    seq, prev_hash = (head.seq + 1, head.hash) if head else (1, GENESIS_HASH)
    event = AuditEvent(
        seq=seq,
        occurred_at=clock.now(),
        actor_id=actor.id if actor else None,
        actor_name=(actor_name or (actor.username if actor else "anonymous"))[:64],
        action=action,
        outcome=outcome,
        purpose=purpose[:255],
        target_type=target_type,
        target_id=str(target_id),
        query=query if isinstance(query, str) else json.dumps(query, sort_keys=True, default=str),
        result_count=result_count,
        details=json.loads(json.dumps(details or {}, default=str)),
        prev_hash=prev_hash,
        hash="",
    )
    event.hash = compute_hash(event)
    if head is None:
        head = AuditHead(id=1, seq=seq, hash=event.hash)
    else:
        head.seq, head.hash = seq, event.hash
    session.add(event)
    session.add(head)
    session.flush()
    return event


def record_refusal(actor: Actor | None, action: str, *, target: str = "", reason: str = "") -> None:
    """Record a refused attempt in a transaction of its own (the refused work itself is rolled back)."""
    with unit_of_work() as session:
        record(session, actor, action, outcome="refused", target_id=target, details={"reason": reason})


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    problem: str = ""
    first_bad_seq: int | None = None


def verify_chain(session: Session) -> ChainReport:
    """Walk the chain in order and report the first altered, inserted or deleted event."""
    expected_seq, expected_prev, checked = 1, GENESIS_HASH, 0
    for event in session.exec(select(AuditEvent).order_by(AuditEvent.seq)):
        if event.seq != expected_seq:
            return ChainReport(False, checked, f"event(s) {expected_seq}..{event.seq - 1} are missing (deleted)", expected_seq)
        if event.prev_hash != expected_prev:
            return ChainReport(False, checked, f"event {event.seq} does not follow event {event.seq - 1} (inserted or re-chained)", event.seq)
        if compute_hash(event) != event.hash:
            return ChainReport(False, checked, f"event {event.seq} was altered (its hash does not match its content)", event.seq)
        expected_seq, expected_prev, checked = expected_seq + 1, event.hash, checked + 1
    head = session.get(AuditHead, 1)
    last_seq = expected_seq - 1
    if head is None and last_seq == 0:
        return ChainReport(True, 0)
    if head is None or head.seq != last_seq or head.hash != expected_prev:
        head_seq = head.seq if head else 0
        if head_seq > last_seq:
            return ChainReport(False, checked, f"event(s) {last_seq + 1}..{head_seq} are missing (deleted from the end)", last_seq + 1)
        return ChainReport(False, checked, f"the chain head does not match event {last_seq} (events appended outside the service)", last_seq)
    return ChainReport(True, checked)


@dataclass(frozen=True)
class AuditRow:
    seq: int
    occurred_at: datetime
    actor_name: str
    action: str
    outcome: str
    target: str
    purpose: str
    result_count: int | None
    details: str


def search_events(
    actor: Actor, *, action: str = "", actor_name: str = "", outcome: str = "", limit: int = 500
) -> list[AuditRow]:
    """Audit trail for auditors and Professional Standards, newest first. Viewing it is itself audited."""
    require(actor, Permission.VIEW_AUDIT, "audit.search")
    with unit_of_work() as session:
        stmt = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
        if action:
            stmt = stmt.where(AuditEvent.action.contains(action))
        if actor_name:
            stmt = stmt.where(AuditEvent.actor_name.contains(actor_name))
        if outcome:
            stmt = stmt.where(AuditEvent.outcome == outcome)
        rows = [
            AuditRow(
                seq=e.seq, occurred_at=e.occurred_at, actor_name=e.actor_name, action=e.action, outcome=e.outcome,
                target=f"{e.target_type} {e.target_id}".strip(), purpose=e.purpose, result_count=e.result_count,
                details=json.dumps(e.details, sort_keys=True) if e.details else "",
            )
            for e in session.exec(stmt)
        ]
        record(session, actor, "audit.search", query={"action": action, "actor": actor_name, "outcome": outcome},
               result_count=len(rows))
    return rows


def verify(actor: Actor) -> ChainReport:
    require(actor, Permission.VIEW_AUDIT, "audit.verify")
    with unit_of_work() as session:
        report = verify_chain(session)
    with unit_of_work() as session:
        record(session, actor, "audit.verify", details={"ok": report.ok, "checked": report.checked, "problem": report.problem})
    return report


def count_events(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditEvent)).one()
