"""Public information about the collaboration's use of ANPR. No camera locations, ever."""

import reflex as rx

from anpr_gov.core.settings import get_settings
from anpr_gov.policy import MAX_RETENTION_DAYS, ROUTINE_ACCESS_DAYS
from anpr_gov.ui import styles
from anpr_gov.ui.pages.registry import page


def _section(title: str, *body: str) -> rx.Component:
    return rx.vstack(rx.heading(title, size="4"), *[rx.text(p) for p in body], spacing="2", width="100%")


@page(route="/about", title="ANPR in our forces · anpr-gov")
def about() -> rx.Component:
    controller = get_settings().data_controller
    return rx.box(
        rx.vstack(
            rx.hstack(rx.icon("scan-line", size=28, color="var(--accent-11)"), rx.heading("ANPR in our forces", size="7"),
                      align="center"),
            rx.link("Staff sign-in", href="/signin"),
            _section(
                "What ANPR is",
                "Automatic Number Plate Recognition (ANPR) cameras read vehicle registration marks. Each read records "
                "the registration, the time, and the camera that took it, with a photograph of the plate.",
                "Reads are checked against lists of vehicles of interest, such as stolen or uninsured vehicles or "
                "vehicles linked to serious crime, so that officers can respond.",
            ),
            _section(
                "Why cameras are placed where they are",
                "Every camera location must be justified before it is used: national security and counter terrorism, "
                "serious organised and major crime, local crime, community reassurance, or crime prevention and "
                "reduction. Each proposal has a Privacy Impact Assessment and a consultation with the local community "
                "and organisations, is decided by a senior officer, and is reviewed periodically for necessity and "
                "privacy impact. A camera whose review is overdue stops collecting data.",
                "We do not publish the locations of fixed cameras: doing so would help people avoid them.",
            ),
            _section(
                "How long reads are kept and who may see them",
                f"Staff may see read data only when it is relevant to their role, and only for {ROUTINE_ACCESS_DAYS} "
                f"days after it was collected. Access to older reads, up to {MAX_RETENTION_DAYS // 30} months, needs an "
                "authorisation from a senior officer for a specific purpose. Nothing is kept for longer than "
                f"{MAX_RETENTION_DAYS // 30} months. Every search is recorded and audited.",
                "Reads are also submitted daily to the National ANPR Data Centre, which applies the national standards.",
            ),
            _section("Data controller", f"{controller}."),
            _section(
                "Freedom of Information requests and complaints",
                "You may ask for information we hold under the Freedom of Information Act 2000 by writing to the "
                "Freedom of Information officer of any of the collaboration's forces. We answer within 20 working days.",
                "If you are concerned about how ANPR data about you has been used, you may complain to the Professional "
                "Standards Department of any of the forces; complaints are recorded and investigated.",
            ),
            spacing="5",
            max_width="48em",
        ),
        **styles.page_padding,
        margin_x="auto",
        max_width="52em",
    )
