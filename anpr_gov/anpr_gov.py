"""The Reflex app: creation and page registration only (tables and states live elsewhere)."""

import reflex as rx

from anpr_gov.ui.pages import about, accounts, audit, home, signin  # noqa: F401  (importing registers the pages)
from anpr_gov.ui.pages import hits, hotlist  # noqa: F401
from anpr_gov.ui.pages import cameras, pia, proposal_detail, proposals, reviews  # noqa: F401  (camera estate)
from anpr_gov.ui.pages.registry import add_pages
from anpr_gov.ui.session_routes import api as session_routes

# Notifications never block the controls beneath them (a stack of toasts at the bottom right used to
# cover a form's buttons, and hovering it kept it there); they still fade out as usual.
_toaster = rx.toast.provider(toast_options=rx.toast.options(style={"pointer_events": "none"}))

# sign-in and sign-out are plain HTTP posts that set the HttpOnly session cookie
app = rx.App(api_transformer=session_routes, toaster=_toaster)
add_pages(app)
