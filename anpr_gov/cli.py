"""The `anpr` command: a thin adapter over the services. User mistakes end in one clear line and exit 1."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any

import typer

from anpr_gov.services.errors import ServiceError, ValidationFailed

app = typer.Typer(help="anpr-gov: ANPR recognition and lawful data governance.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="Accounts and roles.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
hotlist_app = typer.Typer(help="Hotlists of vehicles of interest.", no_args_is_help=True)
recognition_app = typer.Typer(help="The plate recogniser.", no_args_is_help=True)
app.add_typer(hotlist_app, name="hotlist")
app.add_typer(recognition_app, name="recognition")
cameras_app = typer.Typer(help="The camera estate and its periodic reviews.", no_args_is_help=True)
app.add_typer(cameras_app, name="cameras")
reads_app = typer.Typer(help="The read store.", no_args_is_help=True)
app.add_typer(reads_app, name="reads")


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


@app.command("recognise")
def recognise(
    paths: Annotated[list[str], typer.Argument(help="Images, videos or folders of them.")],
    region: Annotated[str, typer.Option(help="uk: UK format correction; any: keep the text as read.")] = "uk",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per input line.")] = False,
    threads: Annotated[int, typer.Option(help="CPU threads for the recogniser: 1 when a worker or anything else "
                                              "busy shares the machine (more threads then slow every read "
                                              "down many times over).")] = 2,
) -> None:
    """Read number plates in images and videos (no database involved)."""
    import json

    if region not in ("uk", "any"):
        fail("--region must be uk or any")
    if threads < 1:
        fail("--threads must be at least 1")
    import torch

    from recognition.cli import recognise_paths

    torch.set_num_threads(threads)

    failed = 0
    for result in recognise_paths(paths, region=region):
        failed += "error" in result
        if as_json:
            typer.echo(json.dumps(result))
        elif "error" in result:
            typer.echo(f"{result['input']}: error: {result['error']}")
        else:
            plates = ", ".join(f"{p['text']} ({p['confidence']:.2f})" for p in result["plates"]) or "no plate"
            typer.echo(f"{result['input']}: {plates}  [{result['ms']:.0f} ms]")
    if failed and failed == len(paths):
        raise typer.Exit(1)


@recognition_app.command("train")
def recognition_train(
    steps: Annotated[int, typer.Option(help="Training steps (batches of 32).")] = 2000,
    out: Annotated[str | None, typer.Option(help="Where to write the weights (default: the committed file).")] = None,
    seed: int = 0,
    us_dir: Annotated[str | None, typer.Option(help="Also train on the TRAINING half of this photo folder.")] = None,
    init: Annotated[str | None, typer.Option(help="Start from these weights instead of the stock recogniser.")] = None,
    threads: int = 2,
    time_limit_s: Annotated[float | None, typer.Option(help="Stop after this many seconds.")] = None,
    lr: Annotated[float, typer.Option(help="Peak learning rate (AdamW, warm-up then cosine decay).")] = 3e-4,
    img_h: Annotated[int, typer.Option(help="Input height in pixels the reader is trained at.")] = 64,
    rare_boost: Annotated[float, typer.Option(help="Show US training photos with rare characters more often.")] = 0.0,
    confusable: Annotated[float, typer.Option(help="Share of rendered plates made mostly of letters the reader "
                                                   "confuses (W/M/N/V/H, O/Q/D...).")] = 0.0,
    cells: Annotated[float, typer.Option(help="Share of rendered plates set one character per equal-width cell, "
                                             "as plate typefaces are.")] = 0.0,
    faces: Annotated[float, typer.Option(help="Share of rendered plates drawn in a condensed plate face "
                                              "(Bebas Neue).")] = 0.0,
    us_fraction: Annotated[float, typer.Option(help="Share of each batch taken from the --us-dir training half.")] = 0.25,
    swap: Annotated[float, typer.Option(help="Share of the --us-dir photo samples with 1-3 characters swapped in "
                                             "from other training photos.")] = 0.0,
    two_line: Annotated[float, typer.Option(help="Share of the rendered UK plates drawn on two lines.")] = 0.15,
    two_line_crops: Annotated[str, typer.Option(help="tight: two-line plates cropped tight or shifted only; any: "
                                                     "every way the localiser may crop them.")] = "tight",
    eu_marks: Annotated[float, typer.Option(help="Share of the rendered continental plates drawn with their "
                                                 "country's marks (French / Italian right-hand band, German "
                                                 "seals).")] = 0.0,
    uk_face: Annotated[float, typer.Option(help="Share of the rendered UK plates drawn in the UK plate face "
                                                "(recognition/plateface.py: the shapes of the Charles Wright "
                                                "face).")] = 0.0,
    raised: Annotated[float, typer.Option(help="Share of the rendered UK plates with raised characters (3D gel or "
                                               "4D acrylic plates).")] = 0.0,
    freeze_first: Annotated[int, typer.Option(min=0, max=20, help="Keep the first N modules of the convolutional "
                                                     "stack frozen (9: its first four convolutions; 0: train "
                                                     "them all).")] = 9,
    workers: Annotated[int, typer.Option(min=0, max=1, help="1: render batches in a second process, 0: in this one.")] = 1,
    precision: Annotated[str, typer.Option(help="auto (bf16 where the CPU has it), bf16 or fp32.")] = "auto",
    schedule_by_time: Annotated[bool, typer.Option(help="Decay the learning rate over --time-limit-s when the steps "
                                                        "would not fit into it (slower machines).")] = False,
    average_tail: Annotated[float, typer.Option(min=0.0, max=0.95, help="Save the mean of the weights over this last "
                                                "share of the run (such as 0.3) and the last step's beside it "
                                                "as <out>-last.pth; 0: off.")] = 0.0,
) -> None:
    """Fine-tune the plate recogniser on rendered plates (reproducible with --seed). Not run by CI.
    The committed weights' stages are listed in recognition/weights/MODEL_CARD.md."""
    import json

    from recognition.cli import train_command
    from recognition.training import TWO_LINE_CROPS

    if precision not in ("auto", "bf16", "fp32"):
        raise typer.BadParameter("choose auto, bf16 or fp32", param_hint="--precision")
    if two_line_crops not in TWO_LINE_CROPS:
        raise typer.BadParameter(f"choose {' or '.join(TWO_LINE_CROPS)}", param_hint="--two-line-crops")
    if schedule_by_time and not time_limit_s:
        raise typer.BadParameter("give --time-limit-s for the schedule to follow", param_hint="--schedule-by-time")
    bf16 = None if precision == "auto" else precision == "bf16"
    typer.echo(json.dumps(train_command(steps=steps, out=out, seed=seed, us_dir=us_dir, init=init, threads=threads,
                                        time_limit_s=time_limit_s, lr=lr, img_h=img_h, rare_boost=rare_boost,
                                        confusable=confusable, workers=workers, bf16=bf16, cells=cells, faces=faces,
                                        us_fraction=us_fraction, swap=swap, two_line=two_line,
                                        two_line_crops=two_line_crops, schedule_by_time=schedule_by_time,
                                        average_tail=average_tail, eu_marks=eu_marks, uk_face=uk_face,
                                        raised=raised, freeze_first=freeze_first),
                          indent=1))


@app.command("worker")
@friendly
def worker(
    camera: Annotated[str | None, typer.Option(help="Camera reference, e.g. CAM-NVL-001.")] = None,
    source: Annotated[str | None, typer.Option(help="Folder, video file, rtsp/http URL or device number.")] = None,
    config: Annotated[str | None, typer.Option(help="TOML file of [[camera]] reference/source/every/window: one "
                                                    "process per camera, restarted if it fails.")] = None,
    every: Annotated[int, typer.Option(min=1, help="Keep one frame in N (25 fps with 5: 5 frames a second). A stream "
                                                   "or camera also skips the frames it is too late for, so it keeps "
                                                   "up.")] = 1,
    worker_id: Annotated[str | None, typer.Option(help="Recorded on each read (default: host-pid).")] = None,
    demo: Annotated[bool, typer.Option("--demo", help="Loop the bundled sample feed in real time.")] = False,
    start: Annotated[str | None, typer.Option(help="For a video file: when its first frame was captured, ISO 8601 "
                                                   "with a time zone, e.g. 2026-12-04T08:15:00Z (default: the "
                                                   "file's modification time less its duration).")] = None,
    region: str = "uk",
    window: Annotated[float | None, typer.Option(help="Reads of one vehicle within this many seconds of each "
                                                      "other are one read (default: 3).")] = None,
    purge: Annotated[bool, typer.Option("--purge/--no-purge", help="Run the retention purge (nothing kept past 12 "
                                        "months) at start and every 24 hours. --config runs it once for all its "
                                        "cameras.")] = True,
) -> None:
    """Read plates from a camera feed into the read store, checking each against the hotlists."""
    import logging
    import os
    import socket

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    from recognition import worker as worker_runner

    from anpr_gov.services.readstore import purge_past_retention

    # nothing kept past 12 months, even where nobody set up `anpr reads purge` in cron
    daily = purge_past_retention if purge else None
    if config:
        try:
            worker_runner.supervise(config, daily=daily)
        except (OSError, ValueError) as exc:
            fail(str(exc))
        return
    if not camera:
        fail("give --camera (or --config for several cameras)")
    if not demo and not source:
        fail("give --source (or --demo for the bundled sample feed)")
    from recognition.tracking import DEFAULT_WINDOW_S, check_window

    try:
        window = check_window(DEFAULT_WINDOW_S if window is None else window)
    except ValueError as exc:
        fail(str(exc))
    if start and demo:
        fail("--start is for a video file given with --source (the demo feed is stamped with the current time)")
    start_time = _capture_start(start) if start else None
    wid = worker_id or f"{socket.gethostname()}-{os.getpid()}"
    if demo:
        worker_runner.run_demo(camera, wid, daily=daily, window_s=window)
    else:
        from recognition.sources import SourceError

        try:
            stats = worker_runner.run_source(camera, source, wid, every=every, region=region, start_time=start_time,
                                             daily=daily, window_s=window)
        except SourceError as exc:  # a source that cannot be opened as given: one line, not a traceback
            fail(str(exc))
        typer.echo(f"frames {stats.frames}, recognised {stats.processed}, vehicles {stats.vehicles}, stored "
                   f"{stats.stored}, duplicates {stats.duplicates}, refused {stats.refused}, hits {stats.hits}")


def _capture_start(text: str):
    """--start as an aware datetime in UTC; a time without a zone is refused (a read's time is evidence)."""
    from datetime import datetime, timezone

    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        fail(f"--start {text!r}: not an ISO 8601 time (e.g. 2026-12-04T08:15:00Z)")
    if when.tzinfo is None:
        fail(f"--start {text!r}: give the time zone too (e.g. 2026-12-04T08:15:00Z or +01:00)")
    return when.astimezone(timezone.utc)


@hotlist_app.command("import")
@friendly
def hotlist_import(
    file: Annotated[str, typer.Argument(help="CSV with header vrm,category,action,source,reason,expiry")],
    as_user: Annotated[str, typer.Option("--as", help="The ANPR manager's username the import is made as.")],
) -> None:
    """Import hotlist entries: good rows are kept, bad rows are reported by line number."""
    from pathlib import Path

    from anpr_gov.services import hotlists
    from anpr_gov.services.actor_lookup import actor_by_username

    path = Path(file)
    if not path.is_file():
        fail(f"{file}: no such file")
    report = hotlists.import_csv(actor_by_username(as_user), path.read_text(encoding="utf-8-sig"), path.name)
    for line, message in report.errors:
        typer.echo(f"{file}:{line}: {message}", err=True)
    typer.echo(f"added {report.added}, already on the list {report.duplicates}, rejected {len(report.errors)}")
    if report.errors and not report.added:
        raise typer.Exit(1)


@hotlist_app.command("list")
@friendly
def hotlist_list(
    as_user: Annotated[str, typer.Option("--as", help="The ANPR manager's username.")],
    all_entries: Annotated[bool, typer.Option("--all", help="Expired and removed entries too.")] = False,
) -> None:
    """The hotlist, newest first: registration, category, action, source, expiry (or when it stopped)."""
    from anpr_gov.services import hotlists
    from anpr_gov.services.actor_lookup import actor_by_username

    entries = hotlists.list_entries(actor_by_username(as_user), include_inactive=all_entries)
    if not entries:
        typer.echo("no entries" if all_entries else "no active entries (--all shows expired and removed ones)")
    for e in entries:
        typer.echo(f"{e.vrm:<10} {e.category:<28} {e.action:<12} {e.source:<24} {e.expiry_text}")


@hotlist_app.command("remove")
@friendly
def hotlist_remove(
    vrm: Annotated[str, typer.Argument(help="The registration, spaces allowed.")],
    reason: Annotated[str, typer.Option(help="Why it comes off the list (goes on the audit record).")],
    as_user: Annotated[str, typer.Option("--as", help="The ANPR manager's username.")],
    category: Annotated[str | None, typer.Option(help="Which entry, where the registration has several.")] = None,
) -> None:
    """Take a registration off the hotlist: new reads of it raise no hit (hits already raised stay)."""
    from anpr_gov.services import hotlists
    from anpr_gov.services.actor_lookup import actor_by_username

    actor = actor_by_username(as_user)
    try:
        entry = hotlists.active_entry_for(actor, vrm, category)
    except ValidationFailed as exc:
        fail(f"{exc.fields.get('category', exc)} with --category")  # "...: say which category with --category"
    hotlists.remove_entry(actor, entry.id, reason)
    typer.echo(f"removed {entry.vrm} ({entry.category}) from the hotlist")


@cameras_app.command("suspend-overdue")
@friendly
def cameras_suspend_overdue() -> None:
    """Suspend every camera whose review is overdue past the grace period (its reads are then refused)."""
    from anpr_gov.services import cameras

    suspended = cameras.suspend_overdue_cameras(_operator())
    typer.echo(f"suspended: {', '.join(suspended)}" if suspended else "no camera is overdue past the grace period")


@reads_app.command("purge")
@friendly
def reads_purge() -> None:
    """Delete the reads captured more than 12 months ago, their hits and images (run it daily)."""
    from anpr_gov.services import readstore

    report = readstore.purge_past_retention(_operator())
    typer.echo(f"purged {report.reads} reads, {report.hits} hits and {report.images} images captured before "
               f"{report.cutoff:%Y-%m-%d %H:%M} UTC")


def main() -> None:
    import warnings

    # torch's deprecation notice for the dynamic quantisation the recogniser uses: noise to an operator.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"torch\.ao\.")
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
