"""The long-running loop: frames from a source -> plate recogniser -> one read per vehicle -> the read store.

A vehicle is stored once: at its first confident read, or as soon as a few frames all read it alike and one of
them is hit-worthy (so a hit reaches officers within a second of capture), or, when neither happens, with the text
voted over its frames once its grouping window closes.

This is the one module of ``recognition`` that talks to ``anpr_gov`` (through a sink function, by default
``anpr_gov.services.readstore.store_read``). Crash safety: each vehicle's read key is derived from the camera, the
capture time of its first sighting and its text, so a worker restarted over the same frames stores nothing twice;
a vehicle is stored as soon as its grouping window closes, so a crash loses at most the open window (default 3 s).
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import cv2
import numpy as np

from .formats import similar
from .localise import MotionGate, crop
from .pipeline import HIT_THRESHOLD, PlateRecogniser
from .sources import Frame
from .tracking import DEFAULT_WINDOW_S, PlateTracker, VehicleRead, check_window

log = logging.getLogger(__name__)
OVERVIEW_WIDTH = 960
# A live camera's frames older than this when their turn comes are skipped: a worker slower than the feed then
# reads the newest frames it can (a vehicle in view for 1 s is still seen many times) and a hit stays well under
# a second behind the camera, instead of the worker queueing behind it.
LIVE_MAX_LAG_S = 0.3
# A vehicle is stored early (before its grouping window closes) at its first well-formed read of this confidence,
# or once this many frames have read it, every one of them as the same well-formed registration, with at least one
# read at the hit threshold: a plate read at 0.4-0.9 would otherwise wait for its window to close, and its hit
# 3-4 s with it. Any frame reading it otherwise (a similar text) leaves it to the vote.
EARLY_CONFIDENCE = 0.9
EARLY_AGREEING_FRAMES = 3


@dataclass
class WorkerStats:
    frames: int = 0
    processed: int = 0  # frames that passed sampling and the motion gate and were recognised
    vehicles: int = 0
    stored: int = 0
    duplicates: int = 0
    refused: int = 0
    hits: int = 0
    errors: int = 0
    dropped: int = 0  # live frames skipped because the worker had fallen more than max_lag_s behind
    refusal_reasons: dict[str, int] = field(default_factory=dict)


def _jpeg(image: np.ndarray, quality: int = 85) -> bytes:
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return buf.tobytes() if ok else b""


def _overview(image: np.ndarray) -> bytes:
    h, w = image.shape[:2]
    if w > OVERVIEW_WIDTH:
        image = cv2.resize(image, (OVERVIEW_WIDTH, int(h * OVERVIEW_WIDTH / w)), interpolation=cv2.INTER_AREA)
    return _jpeg(image, 80)


def same_vehicle(text: str, raw: str, stored: str) -> bool:
    """Whether a read belongs to a vehicle already stored as ``stored``: similar text, or a fragment of it (a plate
    half out of view read as "LV70F" after "LV70FTC", whose format correction may have changed it further)."""
    return similar(text, stored) or similar(raw, stored) or (len(raw) >= 4 and raw in stored)


def read_key(camera_reference: str, vehicle: VehicleRead) -> str:
    return f"{camera_reference}:{vehicle.first_seen.astimezone(dt.timezone.utc):%Y%m%dT%H%M%S.%f}:{vehicle.text}"


def _when(t: dt.datetime) -> str:
    return f"{t.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M:%S.%f} UTC"


def outcome_line(camera_reference: str, captured_at: dt.datetime, outcome) -> str:
    """The log line for a read handed to the store. It never holds the registration: a log file is kept outside
    the read store's access rules and retention, and a refused read must leave no trace of the vehicle at all.
    A stored read is named by its id, which an authorised user can look up (audited) in the read store."""
    line = f"read {outcome.status} at {camera_reference}, captured {_when(captured_at)}"
    if outcome.read_id is not None:
        line += f": read {outcome.read_id}"
    if outcome.hit_ids:
        line += f", {len(outcome.hit_ids)} hit{'s' if len(outcome.hit_ids) > 1 else ''}"
    if outcome.reason:
        line += f": {outcome.reason}"
    return line


class Worker:
    """Runs one camera. ``sink(CapturedRead) -> outcome`` stores a read; ``every`` keeps one frame in N
    (25 fps with every=5 reads 5 frames a second: a vehicle in view for 1 s is seen about 5 times)."""

    def __init__(self, camera_reference: str, recogniser: PlateRecogniser, worker_id: str = "worker",
                 sink: Callable | None = None, every: int = 1, window_s: float = DEFAULT_WINDOW_S,
                 motion_gate: bool = True, on_outcome: Callable | None = None,
                 early_confidence: float = EARLY_CONFIDENCE, early_agreeing: int = EARLY_AGREEING_FRAMES,
                 max_lag_s: float | None = None):
        if sink is None:
            from anpr_gov.services.readstore import store_read

            sink = store_read
        self.camera_reference = camera_reference
        self.recogniser = recogniser
        self.worker_id = worker_id
        self.sink = sink
        self.every = max(1, every)
        self.tracker = PlateTracker(check_window(window_s))  # an operator's bound; the library takes any window
        self.window = self.tracker.window
        self.gate = MotionGate() if motion_gate else None
        self.on_outcome = on_outcome
        self.early_confidence = early_confidence
        self.early_agreeing = early_agreeing
        # Live sources only (capture time = wall clock): a worker behind by more than this skips frames to catch up
        # rather than lag further and further behind the camera.
        self.max_lag = dt.timedelta(seconds=max_lag_s) if max_lag_s else None
        self.stats = WorkerStats()
        self._evidence: dict[tuple[int, str], tuple[dt.datetime, bytes, bytes]] = {}
        self._early: list[list] = []  # [text, first_seen, last_seen] of vehicles stored lately (early or voted)
        self._recent: list[tuple] = []  # (captured_at, index, PlateRead) of the reads within the last window

    def process(self, frame: Frame) -> None:
        self.stats.frames += 1
        if self.max_lag is not None and dt.datetime.now(dt.timezone.utc) - frame.captured_at > self.max_lag:
            self.stats.dropped += 1
            self._store(self.tracker.flush(frame.captured_at))
            return
        due = frame.index % self.every == 0 and (self.gate is None or self.gate.changed(frame.image))
        if not due:
            self._store(self.tracker.flush(frame.captured_at))
            return
        self.stats.processed += 1
        plates = self.recogniser.recognise(frame.image).plates
        if plates:
            overview = _overview(frame.image)
            for p in plates:
                self._evidence[(frame.index, p.text)] = (frame.captured_at, _jpeg(crop(frame.image, p.box)), overview)
        self._store(self.tracker.feed_many(self.camera_reference, plates, frame.captured_at, frame.index))
        self._store_early(frame, plates)

    def _early_match(self, text: str, raw: str, first: dt.datetime, last: dt.datetime) -> list | None:
        """The early-stored vehicle this read and time span belong to, if any."""
        for entry in self._early:
            if same_vehicle(text, raw, entry[0]) and first - self.window <= entry[2] and entry[1] <= last + self.window:
                return entry
        return None

    def _store_early(self, frame: Frame, plates) -> None:
        at = frame.captured_at
        self._recent = [r for r in self._recent if at - r[0] <= self.window] + [(at, frame.index, p) for p in plates]
        for p in plates:
            entry = self._early_match(p.text, p.raw, at, at)
            if entry is not None:
                entry[2] = max(entry[2], at)  # the same vehicle, still in view
                continue
            # only a well-formed registration: a confident fragment ("LV70F" of LV70FTC, cut at the frame's edge)
            # waits for the vote over the vehicle's frames instead
            if p.format is None:
                continue
            if p.confidence >= self.early_confidence:
                self._store_seen(p.text, [(at, frame.index, p)])
                continue
            seen = [r for r in self._recent if same_vehicle(r[2].text, r[2].raw, p.text)]
            if (len(seen) >= self.early_agreeing and all(r[2].text == p.text for r in seen)
                    and max(r[2].confidence for r in seen) >= HIT_THRESHOLD):
                self._store_seen(p.text, seen)

    def _store_seen(self, text: str, seen: list) -> None:
        """Store a vehicle early, first seen at ``seen[0]`` (its reads so far), with its most confident read."""
        first_at, first_index, _ = seen[0]
        last_at, last_index, _ = seen[-1]
        _, best_index, best = max(seen, key=lambda r: r[2].confidence)
        self._early.append([text, first_at, last_at])
        self._store([VehicleRead(self.camera_reference, text, best.raw, float(best.confidence), best.format,
                                 tuple(best.box), first_at, last_at, len(seen), best_index, ((text, len(seen)),),
                                 first_index, last_index)], early=True)

    def finish(self) -> WorkerStats:
        """End of the source: store every vehicle still in its window."""
        self._store(self.tracker.flush(None))
        return self.stats

    def run(self, frames: Iterable[Frame], stop: threading.Event | None = None) -> WorkerStats:
        for frame in frames:
            if stop is not None and stop.is_set():
                break
            self.process(frame)
        return self.finish()

    def _store(self, vehicles: list[VehicleRead], early: bool = False) -> None:
        from anpr_gov.services.readstore import CapturedRead

        for v in vehicles:
            if not early:
                if self._early_match(v.text, v.raw, v.first_seen, v.last_seen) is not None:
                    continue  # stored already: at its first confident read, or a fragment of a vehicle just stored
                self._early.append([v.text, v.first_seen, v.last_seen])
            self.stats.vehicles += 1
            _, plate_jpeg, overview_jpeg = self._evidence.get((v.best_index, v.text), (None, None, None))
            read = CapturedRead(
                camera_reference=self.camera_reference, read_key=read_key(self.camera_reference, v), vrm=v.text,
                raw_text=v.raw, confidence=v.confidence, captured_at=v.first_seen, worker_id=self.worker_id,
                plate_format=v.format, plate_jpeg=plate_jpeg, overview_jpeg=overview_jpeg,
            )
            try:
                outcome = self.sink(read)
            except Exception:  # noqa: BLE001  (one bad read must not stop the camera; it is logged and counted)
                log.exception("could not store a read captured at %s by %s", _when(v.first_seen), self.camera_reference)
                self.stats.errors += 1
                continue
            self.stats.stored += outcome.status == "stored"
            self.stats.duplicates += outcome.status == "duplicate"
            if outcome.status == "refused":
                self.stats.refused += 1
                self.stats.refusal_reasons[outcome.reason] = self.stats.refusal_reasons.get(outcome.reason, 0) + 1
            self.stats.hits += len(outcome.hit_ids)
            log.info("%s", outcome_line(self.camera_reference, v.first_seen, outcome))
            if self.on_outcome:
                self.on_outcome(read, outcome)
        if vehicles and not early:
            self._prune(max(v.last_seen for v in vehicles))

    def _prune(self, now: dt.datetime) -> None:
        """Forget evidence and early-stored vehicles older than any open group could still need."""
        horizon = now - 3 * self.window
        for key in [k for k, (at, _, _) in self._evidence.items() if at < horizon]:
            del self._evidence[key]
        self._early = [e for e in self._early if e[2] >= horizon]


def limit_threads() -> None:
    """One torch thread per worker by default (ANPR_WORKER_THREADS to change): a worker shares the machine with
    the web app and other cameras' workers, and oversubscribed OpenMP threads were measured 10-30x slower per
    frame (a 1080p frame: 0.5-4.6 s with 2 threads beside another busy process, 40-150 ms with 1)."""
    import os

    import torch

    torch.set_num_threads(max(1, int(os.environ.get("ANPR_WORKER_THREADS", "1"))))


def run_source(camera_reference: str, source: str, worker_id: str, every: int = 1, region: str = "uk",
               stop: threading.Event | None = None, start_time: dt.datetime | None = None,
               daily: Callable[[], object] | None = None, window_s: float = DEFAULT_WINDOW_S) -> WorkerStats:
    """Run a worker over one source until it ends (files) or ``stop`` is set (streams reconnect forever).
    ``start_time``: when a video file's first frame was captured (see sources.VideoFileSource). ``daily`` (the
    read store's retention purge, from the CLI) runs before the first frame and then every 24 hours beside them."""
    from .cli import get_recogniser

    limit_threads()
    from .sources import SourceError, StreamSource, VideoFileSource, open_source

    frames = open_source(source, camera_reference, on_error=lambda e: log.warning("source: %s", e))
    if start_time is not None:
        if not isinstance(frames, VideoFileSource):
            raise SourceError("a start time applies to a video file only (other sources carry their own times)")
        frames.start_time = start_time
    live = isinstance(frames, StreamSource)  # devices are streams too
    worker = Worker(camera_reference, get_recogniser(region, stills=False), worker_id, every=every, window_s=window_s,
                    max_lag_s=LIVE_MAX_LAG_S if live else None)
    finished = threading.Event()
    _start_housekeeping(daily, finished)
    try:
        stats = worker.run(frames, stop)
    finally:
        finished.set()
    log.info("worker %s finished: %s", worker_id, stats)
    return stats


def _start_housekeeping(daily: Callable[[], object] | None, finished: threading.Event) -> None:
    """Run ``daily`` now, before the first frame, and then every 24 hours in a background thread until
    ``finished`` is set: a day's purge must not hold up a live camera's frames."""
    if daily is None:
        return
    job = Periodic(daily, DAY_S)
    job.run_if_due()

    def later() -> None:
        while not finished.wait(DAY_S):
            job.run_if_due()

    threading.Thread(target=later, name="housekeeping", daemon=True).start()


def sample_feed_path() -> str:
    """The bundled sample feed (rendered UK plates in the UK plate face, some on the demo hotlist), made once
    under the data folder (again when its plates or face change)."""
    import json
    from pathlib import Path

    from anpr_gov.core.settings import get_settings
    from anpr_gov.services.demo_hotlist import SAMPLE_FEED_PLATES

    from .plateface import FACE_NAME
    from .render import make_sample_feed

    folder = get_settings().data_dir / "sample-feed"
    truth = folder / "truth.json"
    made = {"plates": list(SAMPLE_FEED_PLATES), "face": FACE_NAME}
    stored = json.loads(truth.read_text()) if truth.is_file() else {}
    if {k: stored.get(k) for k in made} != made:
        result = make_sample_feed(folder, plates=SAMPLE_FEED_PLATES, seed=7, write_images=False, font=FACE_NAME)
        truth.write_text(json.dumps({**result, **made}))
    return str(Path(folder) / "feed.mp4")


# The sample feed is 15 s of 8 vehicles, 3 of them on the demo hotlist. Looped back to back it raised 49 hits to
# confirm in four minutes, a wall of the same three plates on the live hits page; with this rest between passes a
# new user still sees reads and hits within a minute of `make run`, and then three more hits a minute or so.
DEMO_REST_S = 60.0


def run_demo(camera_reference: str, worker_id: str, passes: int | None = None,
             stop: threading.Event | None = None, rest_s: float = DEMO_REST_S,
             daily: Callable[[], object] | None = None, window_s: float = DEFAULT_WINDOW_S) -> None:
    """Loop the sample feed in real time, each pass stamped with the current time and followed by ``rest_s``
    seconds without traffic, so reads and hits keep arriving on the live pages. ``daily``: as for run_source."""
    import time

    from .cli import get_recogniser
    from .sources import VideoFileSource

    limit_threads()
    stop = stop or threading.Event()  # never set: run until killed
    path = sample_feed_path()
    worker = Worker(camera_reference, get_recogniser("uk", stills=False), worker_id, max_lag_s=LIVE_MAX_LAG_S, window_s=window_s)
    _start_housekeeping(daily, stop)
    done = 0
    while passes is None or done < passes:
        start = dt.datetime.now(dt.timezone.utc)
        t0 = time.monotonic()
        source = VideoFileSource(path, camera_reference, start_time=start)
        for frame in source:
            if stop.is_set():
                return
            # Real-time pacing: a demo feed should arrive as a camera's would, not as fast as the CPU allows.
            delay = (frame.captured_at - start).total_seconds() - (time.monotonic() - t0)
            if delay > 0:
                time.sleep(delay)
            worker.process(frame)
        stats = worker.finish()
        if stats.errors and not stats.stored:
            log.warning("demo worker: reads could not be stored (does camera %s exist?)", camera_reference)
        log.info("demo pass %d: %s", done + 1, stats)
        done += 1
        if (passes is None or done < passes) and stop.wait(rest_s):
            return


def load_camera_config(path: str) -> list[dict]:
    """Cameras from a TOML file: [[camera]] reference = "...", source = "...", and optionally every = 5 and
    window = 3 (the grouping window in seconds), filled in with their defaults. Every problem is named, by
    camera."""
    import tomllib

    with open(path, "rb") as f:
        data = tomllib.load(f)
    cameras = [{"every": 1, "window": DEFAULT_WINDOW_S, **c} for c in data.get("camera", [])]
    problems = [f"camera #{i + 1}: {problem}" for i, c in enumerate(cameras) for problem in _config_problems(c)]
    if not cameras or problems:
        raise ValueError("; ".join(problems) or f"{path}: no [[camera]] entries")
    return cameras


def _config_problems(camera: dict) -> list[str]:
    problems = [] if camera.get("reference") and camera.get("source") else ["needs reference and source"]
    every = camera["every"]
    if not isinstance(every, int) or isinstance(every, bool) or every < 1:
        problems.append(f"every {every!r}: give a whole number of frames, 1 or more")
    try:
        check_window(camera["window"])
    except ValueError as exc:
        problems.append(str(exc))
    return problems


class Periodic:
    """Runs ``job`` when first asked and then once every ``interval_s`` (a job that fails is logged, not fatal:
    the cameras go on, and it is tried again at its next time)."""

    def __init__(self, job: Callable[[], object], interval_s: float, clock: Callable[[], float] | None = None):
        import time

        self.job, self.interval_s = job, interval_s
        self.clock = clock or time.monotonic
        self.next_at: float | None = None

    def run_if_due(self) -> bool:
        now = self.clock()
        if self.next_at is not None and now < self.next_at:
            return False
        self.next_at = now + self.interval_s
        try:
            self.job()
        except Exception:  # noqa: BLE001  (housekeeping must never stop the cameras)
            log.exception("periodic job %s failed", getattr(self.job, "__name__", self.job))
        return True


DAY_S = 24 * 3600.0


def supervise(path: str, stop: threading.Event | None = None, restart_delay_s: float = 2.0,
              daily: Callable[[], object] | None = None) -> None:
    """One worker process per camera (a crash or a stuck stream never stops the others); a worker that exits
    with an error is restarted after a pause. ``daily`` (the read store's retention purge, from the CLI) runs at
    start and then every 24 hours. Ctrl-C (or ``stop``) ends them all."""
    import subprocess
    import sys
    import time

    cameras = load_camera_config(path)
    housekeeping = Periodic(daily, DAY_S) if daily else None

    def start(camera: dict) -> subprocess.Popen:
        command = [sys.executable, "-m", "anpr_gov.cli", "worker", "--camera", camera["reference"],
                   "--source", str(camera["source"]), "--every", str(camera["every"]),
                   "--worker-id", f"{camera['reference']}-worker", "--no-purge",  # purged here, once for all
                   "--window", str(camera["window"])]
        log.info("starting worker for %s on %s", camera["reference"], camera["source"])
        return subprocess.Popen(command)

    running = {c["reference"]: (c, start(c)) for c in cameras}
    try:
        while running and not (stop is not None and stop.is_set()):
            if housekeeping:
                housekeeping.run_if_due()
            for reference, (camera, process) in list(running.items()):
                code = process.poll()
                if code is None:
                    continue
                if code == 0:
                    log.info("worker for %s finished its source", reference)
                    del running[reference]
                else:
                    log.warning("worker for %s exited with %s; restarting in %.0f s", reference, code, restart_delay_s)
                    time.sleep(restart_delay_s)
                    running[reference] = (camera, start(camera))
            time.sleep(0.5)  # supervising child processes: nothing to await across them but their exit
    finally:
        for _, process in running.values():
            if process.poll() is None:
                process.terminate()
        for _, process in running.values():
            process.wait(timeout=10)
