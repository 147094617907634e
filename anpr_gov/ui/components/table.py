"""A table that sorts, filters and pages, shared by every list page.

A page state subclasses TableState, fills ``rows`` (a list of dicts of strings) and names its columns.
"""

from __future__ import annotations

import reflex as rx

from anpr_gov.ui import styles
from anpr_gov.ui.session import SessionState

PAGE_SIZE = 15


class TableState(SessionState):
    rows: list[dict[str, str]] = []
    search: str = ""
    sort_key: str = ""
    sort_desc: bool = False
    page: int = 0

    @rx.var
    def filtered_rows(self) -> list[dict[str, str]]:
        needle = self.search.strip().lower()
        rows = [r for r in self.rows if not needle or any(needle in str(v).lower() for v in r.values())]
        if self.sort_key:
            rows = sorted(rows, key=lambda r: str(r.get(self.sort_key, "")), reverse=self.sort_desc)
        return rows

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-len(self.filtered_rows) // PAGE_SIZE))

    @rx.var
    def page_rows(self) -> list[dict[str, str]]:
        start = min(self.page, self.page_count - 1) * PAGE_SIZE
        return self.filtered_rows[start:start + PAGE_SIZE]

    @rx.var
    def row_summary(self) -> str:
        total, shown = len(self.rows), len(self.filtered_rows)
        return f"{shown} of {total}" if shown != total else f"{total}"

    @rx.event
    def set_search(self, value: str):
        self.search = value
        self.page = 0

    @rx.event
    def sort_by(self, key: str):
        self.sort_desc = not self.sort_desc if self.sort_key == key else False
        self.sort_key = key

    @rx.event
    def next_page(self):
        self.page = min(self.page + 1, self.page_count - 1)

    @rx.event
    def previous_page(self):
        self.page = max(self.page - 1, 0)


def _header(state: type[TableState], key: str, label: str) -> rx.Component:
    arrow = rx.cond(state.sort_key == key, rx.cond(state.sort_desc, " ▼", " ▲"), "")
    return rx.table.column_header_cell(
        rx.text(label, arrow, cursor="pointer", on_click=state.sort_by(key), white_space="nowrap"),
    )


def data_table(
    state: type[TableState],
    columns: list[tuple[str, str]],
    cell: callable,
    empty_message: str,
    search_placeholder: str = "Filter…",
    table_id: str = "data-table",
) -> rx.Component:
    """``columns`` are (key, label); ``cell(row, key)`` renders one cell."""
    return rx.vstack(
        rx.hstack(
            rx.input(placeholder=search_placeholder, value=state.search, on_change=state.set_search, width="20em",
                     id=f"{table_id}-filter"),
            rx.spacer(),
            rx.text(state.row_summary, " rows", size="2", color_scheme="gray"),
            width="100%",
            align="center",
        ),
        rx.cond(
            state.filtered_rows.length() > 0,
            rx.vstack(
                rx.box(
                    rx.table.root(
                        rx.table.header(rx.table.row(*[_header(state, k, label) for k, label in columns])),
                        rx.table.body(rx.foreach(
                            state.page_rows,
                            lambda row: rx.table.row(*[rx.table.cell(cell(row, k)) for k, _ in columns]),
                        )),
                        variant="surface",
                        width="100%",
                        id=table_id,
                    ),
                    overflow_x="auto",
                    width="100%",
                ),
                rx.hstack(
                    rx.button("Previous", on_click=state.previous_page, variant="soft", size="1",
                              disabled=state.page == 0),
                    rx.text("Page ", state.page + 1, " of ", state.page_count, size="2"),
                    rx.button("Next", on_click=state.next_page, variant="soft", size="1",
                              disabled=state.page >= state.page_count - 1),
                    align="center",
                ),
                width="100%",
            ),
            rx.center(rx.text(empty_message, color_scheme="gray"), padding="2em", border=styles.BORDER,
                      border_radius=styles.RADIUS, width="100%"),
        ),
        width="100%",
        spacing="3",
    )
