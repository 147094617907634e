"""The `anpr` command: a thin adapter over the services. User mistakes end in one clear line and exit 1."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any

import typer

from anpr_gov.services.errors import ServiceError

app = typer.Typer(help="anpr-gov: ANPR recognition and lawful data governance.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="Accounts and roles.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a service's refusal or validation error into one line on stderr and exit code 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ServiceError as exc:
            fail(str(exc))

    return wrapper


def _operator():
    from anpr_gov.services.actor import command_line_actor

    return command_line_actor(getpass.getuser())


@db_app.command("upgrade")
@friendly
def db_upgrade() -> None:
    """Apply all migrations to the database (ANPR_DB_URL, default SQLite under var/)."""
    from anpr_gov.core.migrations import upgrade
    from anpr_gov.core.settings import get_settings

    upgrade()
    typer.echo(f"database at head: {_safe_url(get_settings().db_url)}")


@db_app.command("check")
def db_check() -> None:
    """Exit 1 if the migrated database and the models disagree."""
    from anpr_gov.core.migrations import schema_differences

    diffs = schema_differences()
    if diffs:
        for diff in diffs:
            typer.echo(f"difference: {diff}", err=True)
        fail("the models and the migrations disagree: write a migration")
    typer.echo("models and migrations agree")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@app.command("demo-data")
@friendly
def demo_data(
    if_empty: Annotated[bool, typer.Option("--if-empty/--always", help="Only load into an empty database.")] = True,
) -> None:
    """Load demo forces and one account per role (demonstration only)."""
    from anpr_gov.services import demo

    created = demo.load(if_empty=if_empty)
    typer.echo("demo data loaded" if created else "demo data: the database already has accounts, nothing loaded")
    typer.echo(f"demo sign-ins, DEMONSTRATION ONLY (password for all: {demo.DEMO_PASSWORD}):")
    for user in demo.DEMO_USERS:
        typer.echo(f"  {user.username:<13} {', '.join(r.value for r in user.roles)}")


@users_app.command("create")
@friendly
def users_create(
    username: str,
    full_name: Annotated[str, typer.Option("--name", help="Full name.")],
    role: Annotated[list[str], typer.Option("--role", help="A role; repeat for several.")],
    force: Annotated[str | None, typer.Option(help="Force code, e.g. NVL.")] = None,
    password: Annotated[str | None, typer.Option(help="Omit to be prompted (safer).")] = None,
) -> None:
    """Create an account."""
    from anpr_gov.services import users

    if password is None:
        if not sys.stdin.isatty():
            fail("no --password given and no terminal to prompt on")
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    account = users.create_user(_operator(), username, full_name, password, role, force)
    typer.echo(f"created {account.username} ({', '.join(account.roles)})")


@users_app.command("list")
@friendly
def users_list() -> None:
    """List accounts with their roles."""
    from anpr_gov.services import users

    for a in users.list_users(_operator()):
        flags = ("" if a.is_active else " [disabled]") + (" [locked]" if a.locked else "")
        typer.echo(f"{a.username:<16} {a.force:<4} {','.join(a.roles)}{flags}")


@users_app.command("set-roles")
@friendly
def users_set_roles(username: str, roles: Annotated[list[str], typer.Argument(help="The full new set of roles.")]) -> None:
    """Replace an account's roles (ends its sessions)."""
    from anpr_gov.services import users

    account = users.set_roles(_operator(), username, roles)
    typer.echo(f"{account.username}: {', '.join(account.roles)}")


@users_app.command("unlock")
@friendly
def users_unlock(username: str) -> None:
    """Clear a lockout after repeated failed sign-ins."""
    from anpr_gov.services import users

    users.unlock(_operator(), username)
    typer.echo(f"{username} unlocked")


@audit_app.command("verify")
@friendly
def audit_verify() -> None:
    """Check the hash chain; exit 1 at the first altered, inserted or deleted event."""
    from anpr_gov.core.db import read_only, unit_of_work
    from anpr_gov.services import audit

    with read_only() as session:
        report = audit.verify_chain(session)
    with unit_of_work() as session:
        audit.record(session, _operator(), "audit.verify",
                     details={"ok": report.ok, "checked": report.checked, "problem": report.problem})
    if not report.ok:
        fail(f"audit chain broken after {report.checked} good events: {report.problem}")
    typer.echo(f"audit chain intact: {report.checked} events verified")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
