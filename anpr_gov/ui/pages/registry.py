"""The app's pages, collected as their modules are imported and added to the app once (anpr_gov.anpr_gov).

Not ``@rx.page``: Reflex applies its decorated pages at every compile, and the production server compiles twice,
so each page was "redefined" with a warning at every `make run`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

PAGES: list[tuple[Callable[[], rx.Component], dict[str, Any]]] = []


def page(route: str, title: str, on_load: Any = None) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    """Record a page for :func:`add_pages` (same arguments as ``rx.page``)."""

    def decorator(render: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        kwargs: dict[str, Any] = {"route": route, "title": title}
        if on_load is not None:
            kwargs["on_load"] = on_load
        PAGES.append((render, kwargs))
        return render

    return decorator


def add_pages(app: rx.App) -> None:
    """Add every recorded page to ``app``."""
    for render, kwargs in PAGES:
        app.add_page(render, **kwargs)
