"""Who is acting, and the one permission check every service calls."""

from __future__ import annotations

from dataclasses import dataclass

from anpr_gov.policy import ROLE_LABELS, Permission, Role, has_permission
from anpr_gov.services.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    """The signed-in person (or the command line) on whose behalf a service runs.

    Built only on the server, from a session row or the CLI; never from anything the browser sends.
    """

    id: int | None
    username: str
    full_name: str
    roles: frozenset[Role]
    force_id: int | None = None

    def can(self, permission: Permission) -> bool:
        return has_permission(self.roles, permission)

    @property
    def role_labels(self) -> list[str]:
        return [ROLE_LABELS[r] for r in sorted(self.roles)]


def command_line_actor(name: str = "cli") -> Actor:
    """The operator at the server's shell: they administer accounts and run jobs."""
    return Actor(id=None, username=f"cli:{name}", full_name="Command line", roles=frozenset({Role.ADMIN}))


def require(actor: Actor | None, permission: Permission, action: str, target: str = "") -> Actor:
    """Return the actor when they hold ``permission``; otherwise audit the refusal and raise PermissionDenied."""
    if actor is not None and actor.can(permission):
        return actor
    from anpr_gov.services import audit  # late import: audit uses Actor

    audit.record_refusal(actor, action, target=target, reason=f"requires permission {permission.value}")
    if actor is None:
        raise PermissionDenied("Please sign in.")
    raise PermissionDenied("Your role does not allow this.")
