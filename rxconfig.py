import os

import reflex as rx

config = rx.Config(
    app_name="anpr_gov",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    frontend_port=int(os.environ.get("ANPR_PORT", "3000")),
    backend_port=int(os.environ.get("ANPR_PORT", "3000")),
    disable_plugins=[rx.plugins.SitemapPlugin],
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium", appearance="light"))],
)
