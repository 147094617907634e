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
    "ok": "green",
    "active": "green",
    "approved": "green",
    "in_date": "green",
    "refused": "red",
    "failed": "red",
    "rejected": "red",
    "suspended": "red",
    "overdue": "orange",
    "due_soon": "amber",
    "locked": "orange",
    "disabled": "gray",
    "decommissioned": "gray",
}
