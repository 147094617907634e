"""Restricted PDF reports of the camera estate, rendered by WeasyPrint from templates/reports/.

Each function checks the actor's permission, renders in memory (nothing is written to disk, never under assets/ or
an upload folder) and audits the download in the same transaction as the read. Pages hand the bytes to
rx.download."""

from __future__ import annotations

from datetime import datetime

from jinja2 import Environment, FileSystemLoader, select_autoescape

from anpr_gov.core import clock
from anpr_gov.core.db import unit_of_work
from anpr_gov.core.settings import PROJECT_ROOT, get_settings
from anpr_gov.policy import CONSULTEE_LABELS, PROPOSAL_STATUS_LABELS, Permission
from anpr_gov.services import audit, cameras, estate
from anpr_gov.services.actor import Actor, require
from anpr_gov.services.estate import categories_label

TEMPLATES = PROJECT_ROOT / "templates" / "reports"


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]))
    env.filters["when"] = lambda value: value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else (
        value or "")
    return env


def render_pdf(template: str, **context) -> bytes:
    from weasyprint import HTML  # imported late: it loads pango

    html = _environment().get_template(template).render(controller=get_settings().data_controller,
                                                        generated_at=clock.now(), **context)
    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()


def assessment_pack(actor: Actor, proposal_id: int) -> tuple[str, bytes]:
    """The proposal, its PIA, consultations and decision. Holds the location: restricted."""
    require(actor, Permission.VIEW_CAMERA_LOCATIONS, "report.assessment_pack", f"proposal {proposal_id}")
    detail = estate.get_proposal(actor, proposal_id)
    data = render_pdf("assessment_pack.html", p=detail, status_label=PROPOSAL_STATUS_LABELS[detail.status],
                      categories=categories_label(detail.categories), consultee_labels=CONSULTEE_LABELS,
                      generated_by=actor.full_name)
    filename = f"{detail.reference}-assessment-pack-RESTRICTED.pdf"
    with unit_of_work() as session:
        audit.record(session, actor, "report.download", target_type="proposal", target_id=proposal_id,
                     details={"report": "assessment_pack", "reference": detail.reference, "bytes": len(data)})
    return filename, data


def review_report(actor: Actor, review_id: int) -> tuple[str, bytes]:
    """A camera's periodic review: figures, findings, the re-signed PIA and the decision. Restricted."""
    require(actor, Permission.VIEW_CAMERA_LOCATIONS, "report.review", f"review {review_id}")
    review = cameras.get_review(actor, review_id)
    camera = cameras.get_camera(actor, review.camera_id).summary
    data = render_pdf("review_report.html", r=review, camera=camera, generated_by=actor.full_name)
    filename = f"{camera.reference}-review-{review.id}-RESTRICTED.pdf"
    with unit_of_work() as session:
        audit.record(session, actor, "report.download", target_type="camera", target_id=camera.id,
                     details={"report": "review", "review_id": review.id, "reference": camera.reference,
                              "bytes": len(data)})
    return filename, data
