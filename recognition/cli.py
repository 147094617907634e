"""Plain functions for the project's CLI (no Typer here).

``recognise_paths`` yields one JSON-ready dict per input:
  image:  {"input": PATH, "plates": [{"text", "raw", "confidence", "box": [x, y, w, h], "format"}], "ms": MS}
  video:  the same keys, one line per video; "plates" holds one entry per vehicle (reads grouped
          over frames by the tracker), each plate dict having three extra keys "first_frame",
          "last_frame" and "n_reads"; the line also has "frames" (frames decoded) and "ms" is the
          total decode+localise+OCR time for the video.
  error:  {"input": PATH, "error": MESSAGE}   (unreadable file; the run goes on)
Folders are expanded to their image/video files in name order.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from .pipeline import PlateRead, PlateRecogniser
from .sources import IMAGE_EXTS, VIDEO_EXTS, SourceError, VideoFileSource, read_image
from .localise import MotionGate
from .tracking import DEFAULT_WINDOW_S, PlateTracker
from .training import train_command  # noqa: F401  (re-exported for the CLI)

_RECOGNISERS: dict = {}


def get_recogniser(region: str = "uk", stills: bool = True) -> PlateRecogniser:
    """A cached PlateRecogniser per region, for still images (which may be plate crops or
    close-ups) or, with ``stills=False``, for camera frames; the reader is loaded once per process."""
    r = _RECOGNISERS.get((region, stills))
    if r is None:
        r = _RECOGNISERS[(region, stills)] = PlateRecogniser(region=region, stills=stills)
    return r


def plate_dict(p: PlateRead) -> dict:
    return {"text": p.text, "raw": p.raw, "confidence": round(float(p.confidence), 4),
            "box": [int(v) for v in p.box], "format": p.format}


def _expand(paths: Iterable[Union[str, Path]]) -> Iterator[str]:
    for p in paths:
        pp = Path(p)
        if pp.is_dir():
            for c in sorted(pp.iterdir()):
                if c.is_file() and c.suffix.lower() in IMAGE_EXTS + VIDEO_EXTS:
                    yield str(c)
        else:
            yield str(p)


def recognise_image_file(path: str, recogniser: PlateRecogniser) -> dict:
    t0 = time.perf_counter()
    try:
        img = read_image(path)
    except SourceError as e:
        return {"input": path, "error": str(e)}
    res = recogniser.recognise(img)
    ms = (time.perf_counter() - t0) * 1000
    return {"input": path, "plates": [plate_dict(p) for p in res.plates], "ms": round(ms, 2)}


def recognise_video_file(path: str, recogniser: PlateRecogniser, window_s: float = DEFAULT_WINDOW_S,
                         motion_gate: bool = True) -> dict:
    errors = []
    src = VideoFileSource(path, "cli", on_error=errors.append)
    tracker = PlateTracker(window_s)
    gate = MotionGate() if motion_gate else None
    t0 = time.perf_counter()
    n = 0
    for f in src:
        n += 1
        if gate is not None and not gate.changed(f.image):
            continue
        tracker.feed_many("cli", recogniser.recognise(f.image).plates, f.captured_at, f.index)
    vehicles = tracker.flush()
    ms = (time.perf_counter() - t0) * 1000
    if n == 0 and errors:
        return {"input": path, "error": str(errors[0])}
    plates = []
    for v in vehicles:
        plates.append({"text": v.text, "raw": v.raw, "confidence": round(v.confidence, 4),
                       "box": [int(x) for x in v.box], "format": v.format,
                       "first_frame": v.first_index, "last_frame": v.last_index, "n_reads": v.n_reads})
    out = {"input": path, "plates": plates, "ms": round(ms, 2), "frames": n}
    if errors:
        out["warning"] = "; ".join(str(e) for e in errors)
    return out


def recognise_paths(paths: Iterable[Union[str, Path]], region: str = "uk",
                    recogniser: Optional[PlateRecogniser] = None, window_s: float = DEFAULT_WINDOW_S) -> Iterator[dict]:
    """Recognise plates in image files, video files and folders (expanded in name order).

    Yields one dict per input (see the module docstring for the exact shape); an unreadable
    input yields {"input": PATH, "error": MESSAGE} and the run goes on.  ``region``: "uk"
    (UK format correction) or "any" (normalisation only).
    """
    rec = recogniser or get_recogniser(region)
    for p in _expand(paths):
        try:
            if Path(p).suffix.lower() in VIDEO_EXTS:
                yield recognise_video_file(p, recogniser or get_recogniser(region, stills=False), window_s)
            else:
                yield recognise_image_file(p, rec)
        except Exception as e:  # one bad input never ends the run
            yield {"input": p, "error": f"{type(e).__name__}: {e}"}
