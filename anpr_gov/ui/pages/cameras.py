"""The camera estate: the list (locations only for roles that may see them) and one camera's page with its
reviews and timeline."""

from __future__ import annotations

import reflex as rx

from anpr_gov.policy import Permission
from anpr_gov.services import cameras
from anpr_gov.services.errors import ServiceError
from anpr_gov.ui.components.layout import signed_in_page
from anpr_gov.ui.components.table import TableState, data_table
from anpr_gov.ui.pages.estate_common import (fetch_for_page, categories_text, day, estate_badge, fact, section, timeline,
                                             timeline_rows, when)
from anpr_gov.ui.session import SessionState


ACTIVITY_REFRESH_MS = 30_000


class CamerasState(TableState):
    located: bool = False
    error: str = ""

    @rx.event
    def load(self):
        actor = self.actor()
        if actor is None or not actor.can(Permission.VIEW_CAMERAS):
            return
        try:
            if actor.can(Permission.MANAGE_ESTATE):
                cameras.suspend_overdue_cameras(actor)
            rows = cameras.list_cameras(actor)
        except ServiceError as exc:
            self.error = str(exc)
            return
        self.error = ""
        self.located = actor.can(Permission.VIEW_CAMERA_LOCATIONS)
        self.rows = [
            {"id": str(c.id), "reference": c.reference, "name": c.name, "force": c.force, "deployment": c.deployment,
             "status": c.status, "review": c.review_state, "due": day(c.next_review_due),
             "last_read": when(c.last_read_at) or "none",
             "location": "" if c.latitude is None and not c.road else
             f"{c.road}{' · ' if c.road and c.latitude is not None else ''}"
             f"{'' if c.latitude is None else f'{c.latitude:.4f}, {c.longitude:.4f}'}"}
            for c in rows
        ]


def _cell(row: rx.Var, key: str) -> rx.Component:
    if key == "reference":
        return rx.link(row["reference"], href="/cameras/" + row["id"].to(str), weight="bold", white_space="nowrap")
    if key in ("status", "review"):
        return rx.cond(row[key] != "", estate_badge(row[key]), rx.text("—", color_scheme="gray"))
    return rx.text(row[key], size="2")


COLUMNS = [("reference", "Camera"), ("name", "Name"), ("force", "Force"), ("deployment", "Deployment"),
           ("status", "Status"), ("review", "Review"), ("due", "Review due"), ("last_read", "Last read (UTC)")]


@signed_in_page("/cameras", "Cameras", Permission.VIEW_CAMERAS.value, on_load=[CamerasState.load])
def cameras_page() -> rx.Component:
    return rx.vstack(
        rx.text("Every camera that may read plates, with the state of its periodic review. A camera whose review is "
                "overdue past the grace period is suspended and its reads are refused.", color_scheme="gray"),
        rx.cond(CamerasState.error != "", rx.callout(CamerasState.error, color_scheme="red", icon="triangle-alert")),
        rx.cond(
            CamerasState.located,
            data_table(CamerasState, [*COLUMNS, ("location", "Location (restricted)")], _cell,
                       "No cameras yet. A camera is commissioned from an approved location proposal.",
                       table_id="cameras-table"),
            data_table(CamerasState, COLUMNS, _cell,
                       "No cameras yet. A camera is commissioned from an approved location proposal.",
                       table_id="cameras-table"),
        ),
        width="100%", spacing="4",
    )


# --- One camera ---------------------------------------------------------------------------------------------
class CameraState(SessionState):
    found: bool = False
    load_error: str = ""
    c: dict[str, str] = {}
    reviews: list[dict[str, str]] = []
    events: list[dict[str, str]] = []
    located: bool = False
    may_manage: bool = False
    activity: dict[str, str] = {}
    activity_bars: list[dict[str, str]] = []

    def _load_activity(self, actor, camera_id: int) -> None:
        a = cameras.read_activity(actor, camera_id)
        self.activity = {"reads": f"{a.reads:,}", "hits": f"{a.hits:,}",
                         "last": f"{when(a.last_read_at)} UTC" if a.last_read_at else "none stored yet"}
        self.activity_bars = _bars(a)

    @rx.event
    def refresh_activity(self, _value: str = ""):
        actor = self.actor()
        if actor is None or not self.found or not actor.can(Permission.VIEW_CAMERAS):
            return
        try:
            self._load_activity(actor, int(self.c.get("id", "0")))
        except ServiceError:
            return  # the next refresh, or a reload, tries again

    def _reload(self, actor) -> None:
        loaded = fetch_for_page(
            self, "camera_key", "No camera chosen: open one from the cameras list.",
            lambda cid: (cameras.get_camera(actor, cid),
                         cameras.camera_timeline(actor, cid) if actor.can(Permission.VIEW_CAMERA_LOCATIONS) else []),
            by_reference=lambda reference: cameras.camera_id_for_reference(actor, reference))
        if loaded is None:
            return
        d, events = loaded
        s = d.summary
        self.found, self.load_error = True, ""
        self.located, self.may_manage = d.location_visible, actor.can(Permission.MANAGE_ESTATE)
        self.c = {
            "id": str(s.id), "reference": s.reference, "name": s.name, "force": s.force, "deployment": s.deployment,
            "status": s.status, "review_state": s.review_state, "due": day(s.next_review_due),
            "commissioned": when(d.commissioned_at), "decommissioned": when(d.decommissioned_at),
            "coordinates": "" if s.latitude is None else f"{s.latitude:.5f}, {s.longitude:.5f}",
            "road": s.road, "site": d.site_description, "vehicle": d.vehicle,
            "categories": categories_text(d.categories), "proposal_id": str(d.proposal_id or ""),
            "proposal_reference": d.proposal_reference,
            "refused_reads": _refusals(d),
            "open_review_id": str(d.open_review_id or ""),
        }
        self.reviews = [
            {"id": str(r.id), "opened": when(r.created_at), "status": r.status, "decision": r.decision or "—",
             "reads": str(r.figures.reads), "hits": str(r.figures.hits), "next_due": day(r.next_due) or "—",
             "completed": when(r.completed_at) or "—"}
            for r in d.reviews
        ]
        self.events = timeline_rows(events)
        self._load_activity(actor, s.id)

    @rx.event
    def load(self):
        actor = self.actor()
        if actor is None or not actor.can(Permission.VIEW_CAMERAS):
            return
        self.found = False  # never show the previous visit's camera while this one loads
        yield
        self._reload(actor)

    @rx.event
    def open_review(self):
        actor = self.actor()
        try:
            review_id = cameras.open_review(actor, int(self.c.get("id", "0")))
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        return rx.redirect(f"/reviews/{review_id}")


def _review_row(r: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link("Review " + r["id"], href="/reviews/" + r["id"])),
        rx.table.cell(r["opened"]), rx.table.cell(estate_badge(r["status"])), rx.table.cell(r["decision"]),
        rx.table.cell(r["reads"]), rx.table.cell(r["hits"]), rx.table.cell(r["next_due"]),
        rx.table.cell(r["completed"]),
    )


def _reviews() -> rx.Component:
    c = CameraState.c
    return section(
        "Periodic reviews",
        rx.cond(
            CameraState.may_manage & (c["status"] != "decommissioned"),
            rx.cond(c["open_review_id"] != "",
                    rx.link(rx.button("Continue the open review", id="continue-review"),
                            href="/reviews/" + c["open_review_id"]),
                    rx.button(rx.icon("clipboard-check", size=16), "Open a review", on_click=CameraState.open_review,
                              id="open-review")),
        ),
        rx.cond(
            CameraState.reviews.length() > 0,
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                               ("Review", "Opened", "Status", "Decision", "Reads", "Hits",
                                                "Next due", "Completed")])),
                rx.table.body(rx.foreach(CameraState.reviews, _review_row)),
                width="100%", variant="surface", id="reviews-table",
            ),
            rx.text("No review yet. The first is due on " + c["due"] + ".", color_scheme="gray", size="2"),
        ),
    )


def _bars(a: cameras.ReadActivity) -> list[dict[str, str]]:
    """One bar an hour, its height a share of the busiest hour's reads (an empty hour keeps a sliver)."""
    top = max(a.reads_per_hour, default=0) or 1
    return [{"height": f"{max(2.0, 100 * n / top):.0f}%", "empty": "1" if n == 0 else "",
             "tip": f"{start:%H}:00-{(start.hour + 1) % 24:02d}:00 UTC: {n:,} read{'s' if n != 1 else ''}"}
            for start, n in zip(a.hour_starts, a.reads_per_hour)]


def _activity_chart() -> rx.Component:
    bar = lambda b: rx.tooltip(  # noqa: E731
        rx.box(height=b["height"], flex="1", border_radius="2px 2px 0 0",
               background=rx.cond(b["empty"] == "1", "var(--gray-5)", "var(--accent-9)")),
        content=b["tip"])
    return rx.vstack(
        rx.hstack(rx.foreach(CameraState.activity_bars, bar), align="end", spacing="1", height="6em", width="100%",
                  border_bottom="1px solid var(--gray-7)", id="reads-chart"),
        rx.hstack(rx.text("24 hours ago", size="1", color_scheme="gray"), rx.spacer(),
                  rx.text("now", size="1", color_scheme="gray"), width="100%"),
        spacing="1", width="100%",
    )


def _reads_section() -> rx.Component:
    a = CameraState.activity
    return section(
        "Reads stored",
        rx.moment(interval=ACTIVITY_REFRESH_MS, on_change=CameraState.refresh_activity, display="none"),
        fact("Last 24 hours", rx.text(a["reads"], " reads, ", a["hits"], " hits", id="reads-24h")),
        fact("Last read", a["last"]),
        rx.cond(a["reads"] != "0", _activity_chart(),
                rx.text("No reads stored in the last 24 hours. Reads arrive while a worker runs for this camera "
                        "(anpr worker --camera REFERENCE --source FEED) and its justification is in force.",
                        size="2", color_scheme="gray")),
    )


def _refusals(d: cameras.CameraDetail) -> str:
    """The "Reads refused" fact, e.g. "20 (last 2026-12-04 00:51: camera suspended: its review is overdue)";
    refusals from before the reason was kept (migration 0002) give the time alone."""
    if not d.last_refusal_at:
        return str(d.refused_reads)
    why = f": {d.last_refusal_reason}" if d.last_refusal_reason else ""
    return f"{d.refused_reads} (last {when(d.last_refusal_at)}{why})"


@signed_in_page("/cameras/[camera_key]", "Camera", Permission.VIEW_CAMERAS.value, on_load=[CameraState.load])
def camera_page() -> rx.Component:
    c = CameraState.c
    return rx.cond(
        CameraState.found,
        rx.vstack(
            rx.hstack(rx.heading(c["reference"], size="5", id="camera-reference"), rx.text(c["name"], size="4"),
                      estate_badge(c["status"]),
                      # a suspended camera's review state is "suspended" too: one badge says it
                      rx.cond((c["review_state"] != "") & (c["review_state"] != c["status"]),
                              estate_badge(c["review_state"])),
                      align="center", wrap="wrap", width="100%"),
            rx.cond(c["status"] == "suspended",
                    rx.callout("Suspended: its review is overdue past the grace period, so its reads are refused. "
                               "Complete a review to bring it back.", color_scheme="red", icon="octagon-alert",
                               id="suspended-note")),
            section(
                "Camera",
                fact("Force", c["force"]),
                fact("Deployment", c["deployment"]),
                fact("Commissioned", c["commissioned"]),
                rx.cond(c["decommissioned"] != "", fact("Decommissioned", c["decommissioned"])),
                fact("Next review due", c["due"]),
                fact("Justification", c["categories"]),
                fact("Reads refused", c["refused_reads"]),
                rx.cond(
                    CameraState.located,
                    rx.vstack(
                        rx.cond(c["coordinates"] != "", fact("Coordinates (restricted)", c["coordinates"])),
                        rx.cond(c["road"] != "", fact("Road or area (restricted)", c["road"])),
                        rx.cond(c["site"] != "", fact("Site (restricted)", c["site"])),
                        rx.cond(c["vehicle"] != "", fact("Vehicle", c["vehicle"])),
                        rx.hstack(rx.text("Approved proposal", size="2", color_scheme="gray", min_width="13em"),
                                  rx.link(c["proposal_reference"], href="/proposals/" + c["proposal_id"])),
                        width="100%", spacing="2",
                    ),
                    rx.text("The camera's exact location is restricted to roles that need it.", size="2",
                            color_scheme="gray", id="location-restricted"),
                ),
            ),
            _reads_section(),
            rx.cond(CameraState.located, _reviews()),
            rx.cond(CameraState.located, section("Timeline", timeline(CameraState.events))),
            width="100%", spacing="4",
        ),
        rx.cond(CameraState.load_error != "", rx.callout(CameraState.load_error, color_scheme="red",
                                                         icon="triangle-alert"), rx.spinner()),
    )
