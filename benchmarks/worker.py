"""Worker benchmark: can one worker keep up with a 25 frames-a-second 1080p feed, without missing a vehicle that
is in view for one second, and how long from a frame's capture to its hit being on record for officers?

Two parts: the throughput of a worker over a video file with --every N (every frame of a file is read, at
whatever speed the machine allows), and a simulated live camera (frames handed over in real time, the worker's
defaults: every frame offered, late ones skipped), which gives the vehicles read and capture to hit.

    .venv/bin/python -m benchmarks.worker [--vehicles 12] [--every 1 3 5] [--cameras 2 4]

--cameras N...: N live cameras at once, one worker process per camera (what `anpr worker --config` runs) against
one process with a worker thread per camera, all writing to one read store.

Writes benchmarks/results/worker.json. Uses the committed recogniser weights and a temporary SQLite database.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from benchmarks.machine import describe


def _feed(folder: Path, vehicles: int, seed: int) -> dict:
    from recognition.render import make_sample_feed, random_uk_registration

    rng = random.Random(seed)
    plates = [random_uk_registration(rng, "current")[0] for _ in range(vehicles)]
    # 25 fps, each vehicle in view for exactly 1 s (25 frames), 1 s of empty road between vehicles.
    return make_sample_feed(folder, plates=plates, seed=seed, frames_per_vehicle=25, gap_frames=25,
                            size=(1920, 1080), fps=25.0, write_images=False)


class Collect:
    """A sink that keeps what the worker would store (throughput runs measure the pipeline, not the database)."""

    def __init__(self):
        self.reads = []

    def __call__(self, read):
        from anpr_gov.services.readstore import StoreOutcome

        self.reads.append(read)
        return StoreOutcome("stored", read_id=len(self.reads))


def throughput(video: str, truth: list[dict], every: int, recogniser) -> dict:
    from recognition.sources import VideoFileSource
    from recognition.worker import Worker

    sink = Collect()
    worker = Worker("BENCH", recogniser, "bench", sink=sink, every=every)
    frames = VideoFileSource(video, "BENCH", start_time=datetime(2026, 1, 1, tzinfo=timezone.utc))
    t0 = time.perf_counter()
    for frame in frames:  # decoding the 1080p video is part of the cost
        worker.process(frame)
    stats = worker.finish()
    seconds = time.perf_counter() - t0
    expected = [t["plate"] for t in truth]
    read = [r.vrm for r in sink.reads]
    found = sum(1 for p in expected if p in read)
    return {"every": every, "frames": stats.frames, "recognised_frames": stats.processed,
            "seconds": round(seconds, 2), "fps": round(stats.frames / seconds, 1),
            "keeps_up_with_25fps": stats.frames / seconds >= 25, "vehicles": len(expected), "vehicles_read": found,
            "extra_reads": len(read) - found, "reads": read}


def live(video: str, truth: list[dict], recogniser, every: int = 1) -> dict:
    """A simulated live camera, as `anpr worker` runs one: each frame is decoded and handed over at its capture time
    (wall clock), and the worker skips frames that are more than LIVE_MAX_LAG_S old when their turn comes. Measures
    the vehicles read and the time from a hotlisted plate's first capture to its hit being on record (officers'
    pages poll every 0.7 s on top of this). The read store is a throw-away database, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="anpr-bench-") as data:
        return _live(Path(data), video, truth, recogniser, every)


def _use_store(data: Path) -> None:
    """Point this process's read store at the database in ``data`` (each run's store is a new database, so
    the cached settings and engines are dropped)."""
    from anpr_gov.core.db import reset_engines
    from anpr_gov.core.settings import get_settings

    os.environ["ANPR_DATA_DIR"] = str(data)
    os.environ["ANPR_DB_URL"] = f"sqlite:///{Path(data) / 'anpr.db'}"
    get_settings.cache_clear()
    reset_engines()


def _store(data: Path, cameras: dict) -> None:
    """A throw-away read store in ``data``: migrated, demo data (accounts), each camera commissioned, and each
    camera's vehicles on the hotlist. ``cameras``: reference -> truth."""
    from anpr_gov.core.migrations import upgrade
    from anpr_gov.services import demo, hotlists
    from anpr_gov.services.actor_lookup import actor_by_username
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.factories import make_camera

    _use_store(data)
    upgrade()
    demo.load()
    manager = actor_by_username("manager")
    for reference, truth in cameras.items():
        make_camera(reference)
        for t in truth:
            hotlists.add_entry(manager, t["plate"], "stolen", "stop", "bench")


def _live(data: Path, video: str, truth: list[dict], recogniser, every: int) -> dict:
    _store(data, {"CAM-BENCH": truth})
    return _camera(video, truth, recogniser, every, "CAM-BENCH")


def _camera(video: str, truth: list[dict], recogniser, every: int, reference: str) -> dict:
    """One simulated live camera into the read store set up by _store: frames handed over at 25 fps in real time."""
    from anpr_gov.services.readstore import store_read
    from recognition.sources import VideoFileSource
    from recognition.worker import LIVE_MAX_LAG_S, Worker

    first_seen = {t["plate"]: min(t["frames"]) for t in truth}
    latencies, reads = {}, []

    def on_outcome(read, outcome):
        reads.append(read.vrm)
        if outcome.hit_ids and read.vrm in first_seen and read.vrm not in latencies:
            latencies[read.vrm] = time.perf_counter()

    worker = Worker(reference, recogniser, f"bench-{reference}", sink=store_read, every=every,
                    on_outcome=on_outcome, max_lag_s=LIVE_MAX_LAG_S)
    fps = 25.0
    start_wall, start_perf = datetime.now(timezone.utc), time.perf_counter()
    for frame in VideoFileSource(video, reference):
        due = start_perf + frame.index / fps
        while time.perf_counter() < due:  # a camera delivers a frame when it is captured, not sooner
            time.sleep(due - time.perf_counter())
        worker.process(frame.__class__(frame.image, start_wall + timedelta(seconds=frame.index / fps),
                                       frame.camera_id, frame.index))
    stats = worker.finish()
    ms = [1000 * (latencies[p] - (start_perf + first_seen[p] / fps)) for p in latencies]
    found = sum(1 for p in first_seen if p in reads)
    return {"camera": reference, "every": every, "max_lag_s": LIVE_MAX_LAG_S, "frames": stats.frames,
            "recognised_frames": stats.processed, "skipped_late": stats.dropped, "vehicles": len(truth),
            "vehicles_read": found, "extra_reads": len(reads) - found, "hits": len(latencies),
            "store_errors": stats.errors,
            "capture_to_hit_median_ms": round(statistics.median(ms), 1) if ms else None,
            "capture_to_hit_max_ms": round(max(ms), 1) if ms else None}


def _camera_process(args: tuple) -> dict:
    """A worker process of its own for one camera, as `anpr worker --config` starts them."""
    data, video, truth, reference = args
    _use_store(data)
    from recognition.cli import get_recogniser
    from recognition.worker import limit_threads

    limit_threads()
    return _camera(video, truth, get_recogniser("uk", stills=False), 1, reference)


def several_cameras(feeds: list[dict], arrangement: str, recogniser) -> dict:
    """Live cameras at once on this machine, each with its own vehicles: one worker process per camera
    ("processes", what `anpr worker --config` does) or one process with a worker thread per camera sharing one
    recogniser ("threads"). Every vehicle must still be read, and each hit come within a second."""
    import multiprocessing
    from concurrent.futures import ThreadPoolExecutor

    cameras = {f"CAM-BENCH-{i + 1}": feed for i, feed in enumerate(feeds)}
    with tempfile.TemporaryDirectory(prefix="anpr-bench-") as data:
        _store(Path(data), {ref: feed["truth"] for ref, feed in cameras.items()})
        jobs = [(data, feed["video"], feed["truth"], ref) for ref, feed in cameras.items()]
        t0 = time.perf_counter()
        if arrangement == "processes":
            with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
                per_camera = pool.map(_camera_process, jobs)
        else:
            with ThreadPoolExecutor(len(jobs)) as pool:
                per_camera = list(pool.map(lambda j: _camera(j[1], j[2], recogniser, 1, j[3]), jobs))
        wall = time.perf_counter() - t0
    worst = [c["capture_to_hit_max_ms"] for c in per_camera if c["capture_to_hit_max_ms"] is not None]
    medians = [c["capture_to_hit_median_ms"] for c in per_camera if c["capture_to_hit_median_ms"] is not None]
    return {"cameras": len(feeds), "arrangement": arrangement, "wall_s": round(wall, 1),
            "vehicles": sum(c["vehicles"] for c in per_camera),
            "vehicles_read": sum(c["vehicles_read"] for c in per_camera),
            "extra_reads": sum(c["extra_reads"] for c in per_camera),
            "hits": sum(c["hits"] for c in per_camera),
            "recognised_frames": sum(c["recognised_frames"] for c in per_camera),
            "skipped_late": sum(c["skipped_late"] for c in per_camera),
            "capture_to_hit_median_ms_worst_camera": max(medians) if medians else None,
            "capture_to_hit_max_ms": max(worst) if worst else None, "per_camera": per_camera}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vehicles", type=int, default=12)
    parser.add_argument("--every", type=int, nargs="*", default=[1, 3, 5],
                        help="throughput runs over the video file (none: only the live camera)")
    parser.add_argument("--cameras", type=int, nargs="*", default=[],
                        help="also run this many live cameras at once, one process each and one thread each "
                             "(e.g. --cameras 2 4)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", default=str(Path(__file__).parent / "results" / "worker.json"))
    args = parser.parse_args()
    from recognition.cli import get_recogniser
    from recognition.worker import limit_threads

    limit_threads()  # as the worker runs (ANPR_WORKER_THREADS, default 1)
    recogniser = get_recogniser("uk", stills=False)
    with tempfile.TemporaryDirectory(prefix="anpr-feed-") as folder:
        feed = _feed(Path(folder), args.vehicles, args.seed)
        results = {"machine": describe(), "video": "1920x1080, 25 fps, each vehicle in view 1 s",
                   "throughput": [throughput(feed["video"], feed["truth"], e, recogniser) for e in args.every]}
        results["live"] = live(feed["video"], feed["truth"], recogniser)
        feeds = [feed] + [_feed(Path(folder) / f"camera-{i}", args.vehicles, args.seed + i)
                          for i in range(1, max(args.cameras, default=0))]
        results["several_cameras"] = [several_cameras(feeds[:n], arrangement, recogniser)
                                      for n in args.cameras for arrangement in ("processes", "threads")]
        for r in results["several_cameras"]:
            print(f"{r['cameras']} cameras, {r['arrangement']}: {r['vehicles_read']}/{r['vehicles']} vehicles read, "
                  f"{r['extra_reads']} extra, {r['hits']} hits, {r['recognised_frames']} frames read, "
                  f"{r['skipped_late']} skipped late, capture to hit max {r['capture_to_hit_max_ms']} ms",
                  file=sys.stderr)
    out = Path(args.json)
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
