"""The worker end to end: a rendered video in, the expected reads and hits in the database, and a worker killed
mid-run and restarted neither loses nor duplicates a read. Uses the committed recogniser weights."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import select

from anpr_gov.core.db import read_only
from anpr_gov.models import Hit, Read
from anpr_gov.services import hotlists
from recognition.render import make_sample_feed
from recognition.worker import run_source
from tests.factories import make_camera

PLATES = ("KX19LMO", "YR21WPX", "BD51SMR", "LV70FTC")


@pytest.fixture(scope="module")
def feed(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("feed")
    return Path(make_sample_feed(folder, plates=PLATES, seed=11, write_images=False)["video"])


@pytest.fixture
def camera(demo):
    make_camera("CAM-T-001")


def _reads() -> list[Read]:
    with read_only() as session:
        return session.exec(select(Read).order_by(Read.captured_at)).all()


def test_worker_stores_one_read_per_vehicle_and_raises_hits(camera, feed, actors, caplog):
    hotlists.add_entry(actors["manager"], "YR21WPX", "no_mot", "stop", "DVLA")
    with caplog.at_level("INFO", logger="recognition"):
        stats = run_source("CAM-T-001", str(feed), "test-worker")
    reads = _reads()
    assert [r.vrm for r in reads] == list(PLATES)
    assert stats.stored == len(PLATES) and stats.duplicates == 0
    assert all(r.plate_image_path and r.overview_image_path and r.worker_id == "test-worker" for r in reads)
    with read_only() as session:
        hit_vrms = sorted(session.get(Read, h.read_id).vrm for h in session.exec(select(Hit)))
    # KX19LMO and BD51SMR are on the demo hotlist; YR21WPX was added above.
    assert hit_vrms == ["BD51SMR", "KX19LMO", "YR21WPX"]
    # the log names each stored read by its id, never by its registration
    stored_lines = [m for m in caplog.messages if m.startswith("read stored at CAM-T-001, captured")]
    assert sorted(int(re.search(r"UTC: read (\d+)", m).group(1)) for m in stored_lines) == sorted(r.id for r in reads)
    assert not [m for m in caplog.messages if any(p in m for p in PLATES)]


def test_a_camera_without_a_justification_stores_nothing_and_logs_no_registration(demo, feed, caplog):
    make_camera("CAM-T-009", status="suspended")
    with caplog.at_level("INFO"):
        stats = run_source("CAM-T-009", str(feed), "refused-worker")
    assert _reads() == [] and stats.refused == len(PLATES) and stats.stored == 0
    assert sum("read refused at CAM-T-009" in m for m in caplog.messages) == len(PLATES)
    assert not [m for m in caplog.messages if any(p in m for p in PLATES)]


def test_a_worker_killed_mid_run_and_restarted_neither_loses_nor_duplicates(camera, feed, database):
    env = {**os.environ, "ANPR_DB_URL": database}
    command = [sys.executable, "-m", "anpr_gov.cli", "worker", "--camera", "CAM-T-001", "--source", str(feed),
               "--worker-id", "crashy"]
    worker = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    for line in worker.stderr:  # wait for the first stored read, then kill without warning
        if "read stored" in line:
            break
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    worker.stderr.close()
    stored_before_kill = len(_reads())
    assert 1 <= stored_before_kill < len(PLATES)
    subprocess.run(command, env=env, check=True, capture_output=True)
    reads = _reads()
    assert Counter(r.vrm for r in reads) == Counter(PLATES)
    assert len({r.read_key for r in reads}) == len(reads)


def test_a_live_worker_that_falls_behind_skips_frames_to_catch_up(feed):
    from datetime import datetime, timedelta, timezone

    from recognition.cli import get_recogniser
    from recognition.sources import VideoFileSource
    from recognition.worker import LIVE_MAX_LAG_S, Worker

    stored = []
    worker = Worker("CAM-T-001", get_recogniser("uk"), "lagging", sink=stored.append, max_lag_s=LIVE_MAX_LAG_S)
    stale = datetime.now(timezone.utc) - timedelta(seconds=30)  # frames captured 30 s ago: far behind
    stats = worker.run(VideoFileSource(feed, "CAM-T-001", start_time=stale))
    assert stats.dropped == stats.frames and stats.processed == 0 and stored == []
    # frames as they are captured are read
    from anpr_gov.services.readstore import StoreOutcome

    worker = Worker("CAM-T-001", get_recogniser("uk"), "live", sink=lambda read: StoreOutcome("stored", read_id=1),
                    max_lag_s=LIVE_MAX_LAG_S)
    stats = worker.run(VideoFileSource(feed, "CAM-T-001", start_time=datetime.now(timezone.utc)))
    assert stats.processed >= 1


def test_a_video_given_its_start_time_stores_reads_captured_from_then(camera, feed):
    from datetime import datetime, timedelta, timezone

    start = datetime(2026, 11, 30, 7, 45, tzinfo=timezone.utc)
    stats = run_source("CAM-T-001", str(feed), "timed-worker", every=5, start_time=start)
    reads = _reads()
    assert stats.stored == len(reads) == len(PLATES)
    # the feed is a few seconds long: every read was captured within it, from the given start
    assert all(start <= r.captured_at.replace(tzinfo=timezone.utc) < start + timedelta(seconds=30) for r in reads)


def test_the_worker_command_refuses_a_start_time_without_a_zone_or_for_a_stream_and_a_bad_window(camera, feed):
    from typer.testing import CliRunner

    from anpr_gov.cli import app

    runner = CliRunner()
    naive = runner.invoke(app, ["worker", "--camera", "CAM-T-001", "--source", str(feed), "--start", "2026-11-30T07:45"])
    assert naive.exit_code == 1 and "give the time zone too" in naive.output
    stream = runner.invoke(app, ["worker", "--camera", "CAM-T-001", "--source", "rtsp://camera.invalid/1",
                                 "--start", "2026-11-30T07:45:00Z"])
    assert stream.exit_code == 1 and "applies to a video file only" in stream.output
    window = runner.invoke(app, ["worker", "--camera", "CAM-T-001", "--source", str(feed), "--window", "0"])
    assert window.exit_code == 1 and "grouping window 0.0: give 0.5 to 30 seconds" in window.output
    every = runner.invoke(app, ["worker", "--camera", "CAM-T-001", "--source", str(feed), "--every", "0"])
    assert every.exit_code == 2 and "--every" in every.output
    assert _reads() == []


def test_the_worker_command_purges_reads_past_twelve_months_unless_told_not_to(demo, feed):
    from datetime import timedelta

    from typer.testing import CliRunner

    from anpr_gov.cli import app
    from anpr_gov.core import clock
    from anpr_gov.services.readstore import CapturedRead, store_read

    make_camera("CAM-T-001", commissioned_at=clock.now() - timedelta(days=500))
    old = store_read(CapturedRead("CAM-T-001", "past-retention", "OL12DER", "OL12DER", 0.95,
                                  clock.now() - timedelta(days=366), "earlier-worker"))
    command = ["worker", "--camera", "CAM-T-001", "--source", str(feed), "--every", "5"]
    runner = CliRunner()
    # --config purges once for all its cameras, and starts each camera's worker with --no-purge
    assert runner.invoke(app, command + ["--no-purge"]).exit_code == 0
    assert old.read_id in [r.id for r in _reads()]
    assert runner.invoke(app, command).exit_code == 0
    reads = _reads()
    assert old.read_id not in [r.id for r in reads] and sorted(r.vrm for r in reads) == sorted(PLATES)


def test_the_demo_feed_is_drawn_in_the_uk_plate_face_and_every_vehicle_is_read(camera):
    import json

    from anpr_gov.services.demo_hotlist import SAMPLE_FEED_PLATES
    from recognition.plateface import FACE_NAME
    from recognition.worker import sample_feed_path

    video = Path(sample_feed_path())
    assert json.loads((video.parent / "truth.json").read_text())["face"] == FACE_NAME
    stats = run_source("CAM-T-001", str(video), "demo-feed-test")
    assert [r.vrm for r in _reads()] == list(SAMPLE_FEED_PLATES) and stats.duplicates == 0
