"""Design tokens shared by every page."""

ACCENT = "indigo"  # keep in step with the theme in rxconfig.py
SIDEBAR_WIDTH = "15em"
CONTENT_MAX_WIDTH = "80em"
BORDER = "1px solid var(--gray-a5)"
RADIUS = "var(--radius-3)"

page_padding = {"padding_x": ["1em", "1.5em", "2em"], "padding_y": "1.5em"}

card_style = {"border": BORDER, "border_radius": RADIUS, "padding": "1em", "background": "var(--color-panel-solid)"}

# Badge colours by meaning, so a status reads the same on every page.
STATUS_COLOURS = {
    # good / in force
    "ok": "green", "active": "green", "approved": "green", "commissioned": "green", "retained": "green",
    "in_date": "green", "completed": "green", "signed": "green", "low": "green",
    # in progress
    "draft": "gray", "submitted": "blue", "assessment": "violet", "consultation": "cyan", "under_review": "blue",
    "open": "blue", "awaiting_decision": "amber", "due_soon": "amber", "unsigned": "amber", "medium": "amber",
    # needs attention / refused
    "overdue": "orange", "locked": "orange", "refused": "red", "failed": "red", "rejected": "red",
    "suspended": "red", "high": "red",
    # ended
    "disabled": "gray", "decommissioned": "gray", "relocated": "gray",
}
