"""The real production server (reflex run --env prod) on its own database and port, driven by Debian's Chromium.

Run in its own pytest invocation (`make test` does): pytest-playwright's event loop conflicts with pytest-asyncio.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
START_TIMEOUT_S = 180


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_ping(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/ping", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)  # polling a server that is starting: there is no event to await
    raise RuntimeError(f"the server did not answer /ping in {START_TIMEOUT_S}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def server_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("server-data")


@pytest.fixture
def use_server_database(server, server_data_dir, monkeypatch):
    """Point this test's own service calls at the running server's database (to feed it reads, say)."""
    from anpr_gov.core.db import reset_engines
    from anpr_gov.core.settings import get_settings

    monkeypatch.setenv("ANPR_DATA_DIR", str(server_data_dir))
    monkeypatch.setenv("ANPR_DB_URL", f"sqlite:///{server_data_dir / 'anpr.db'}")
    get_settings.cache_clear()
    reset_engines()
    yield
    reset_engines()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def server(server_data_dir: Path) -> Iterator[str]:
    data_dir = server_data_dir
    port = _free_port()
    env = {**os.environ, "ANPR_DATA_DIR": str(data_dir), "ANPR_DB_URL": f"sqlite:///{data_dir / 'anpr.db'}",
           "ANPR_PORT": str(port)}
    env.pop("PYTEST_CURRENT_TEST", None)
    anpr = str(ROOT / ".venv" / "bin" / "anpr")
    subprocess.run([anpr, "db", "upgrade"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run([anpr, "demo-data"], env=env, check=True, cwd=ROOT, capture_output=True)
    log = data_dir / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(["reflex", "run", "--env", "prod", "--single-port", "--loglevel", "warning"],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_ping(url, process, log)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def sign_in(page, server):
    def _sign_in(username: str, password: str = "demo-password-2026", path: str = "/"):
        page.goto(f"{server}{path}")
        page.wait_for_url("**/signin**")
        page.fill("#username", username)
        page.fill("#password", password)
        page.click("#sign-in")
        return page

    return _sign_in
