"""The staff audit log's one writer (the model is `polis.core.models.AuditEntry`).

Every staff, moderator and wrangler action calls `record` inside its own transaction, so an
action and its entry commit together or not at all.
"""

from polis.core.models import AuditEntry


def record(
    *,
    actor,
    verb: str,
    target_type: str,
    target_id: object = "",
    target_label: str = "",
    reason: str = "",
    role: str = "",
    details: dict | None = None,
) -> AuditEntry:
    """Append one entry. `actor` is a user (or None for the system: the worker, a command)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=actor.get_username() if getattr(actor, "pk", None) else "system",
        role=role,
        verb=verb,
        target_type=target_type,
        target_id=str(target_id) if target_id is not None else "",
        target_label=str(target_label)[:255],
        reason=reason,
        details=details or {},
    )
