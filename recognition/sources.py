"""Frame sources: image folder, video file, network stream (RTSP/HTTP), local device.

Every source is an iterable of :class:`Frame`.  A bad input (corrupt image, unreadable or
truncated video, dropped stream) does not end the run: it is reported as a
:class:`SourceError` to ``on_error`` (default: logged and kept in ``source.errors``); pass
``on_error="raise"`` to raise instead.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, List, Optional, Union

import cv2
import numpy as np

log = logging.getLogger(__name__)

IMAGE_EXTS = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff")
VIDEO_EXTS = (".mp4", ".avi", ".mkv", ".mov", ".m4v", ".webm", ".mpg", ".mpeg", ".ts")


@dataclass(frozen=True)
class Frame:
    image: np.ndarray               # BGR uint8
    captured_at: dt.datetime        # timezone-aware UTC
    camera_id: str
    index: int                      # position in this source (0, 1, ...)


class SourceError(Exception):
    """A frame source could not deliver (part of) its input."""


class CorruptImageError(SourceError):
    """An image file could not be decoded."""


class VideoReadError(SourceError):
    """A video could not be opened, or ended before its announced length (truncated)."""


class StreamDroppedError(SourceError):
    """A network stream / device stopped delivering frames (a reconnect follows)."""


ErrorHandler = Union[None, str, Callable[[SourceError], None]]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def read_image(path) -> np.ndarray:
    """Decode an image file to BGR uint8, or raise :class:`CorruptImageError`."""
    p = str(path)
    try:
        data = np.fromfile(p, dtype=np.uint8)
    except OSError as e:
        raise CorruptImageError(f"{p}: cannot read file ({e})") from e
    img = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if img is None:
        raise CorruptImageError(f"{p}: not a decodable image (corrupt, truncated or unsupported)")
    return img


class _Base:
    def __init__(self, camera_id: str, on_error: ErrorHandler = None):
        self.camera_id = camera_id
        self.on_error = on_error
        self.errors: List[SourceError] = []

    def _error(self, err: SourceError) -> None:
        self.errors.append(err)
        if self.on_error == "raise":
            raise err
        if callable(self.on_error):
            self.on_error(err)
        else:
            log.warning("%s", err)


class ImageFolderSource(_Base):
    """Images of a folder in name order; with ``watch=True`` it then keeps polling for new
    files (every ``poll_s`` seconds) until ``stop`` is set.  ``captured_at`` = file mtime (UTC)."""

    def __init__(self, folder, camera_id: str = "folder", watch: bool = False, poll_s: float = 0.5,
                 stop: Optional[threading.Event] = None, on_error: ErrorHandler = None,
                 settle_s: float = 0.0):
        super().__init__(camera_id, on_error)
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise SourceError(f"{self.folder}: not a folder")
        self.watch = watch
        self.poll_s = poll_s
        self.stop = stop or threading.Event()
        self.settle_s = settle_s

    def _list(self):
        return sorted(p.name for p in self.folder.iterdir() if p.suffix.lower() in IMAGE_EXTS and p.is_file())

    def __iter__(self) -> Iterator[Frame]:
        seen = set()
        index = 0
        while True:
            for name in self._list():
                if name in seen:
                    continue
                p = self.folder / name
                try:
                    st = p.stat()
                    if self.watch and self.settle_s and time.time() - st.st_mtime < self.settle_s:
                        continue  # still being written
                    seen.add(name)
                    img = read_image(p)
                except CorruptImageError as e:
                    self._error(e)
                    continue
                except OSError as e:
                    seen.add(name)
                    self._error(CorruptImageError(f"{p}: {e}"))
                    continue
                yield Frame(img, dt.datetime.fromtimestamp(st.st_mtime, dt.timezone.utc), self.camera_id, index)
                index += 1
            if not self.watch or self.stop.wait(self.poll_s):
                return


class VideoFileSource(_Base):
    """Frames of a video file.  ``captured_at`` = ``start_time`` + frame position / fps.  Without a
    ``start_time`` the recording is taken to have ended when the file was last written: the first frame
    was captured at the file's mtime less the video's duration.  ``every``: keep one frame in ``every``."""

    def __init__(self, path, camera_id: str = "video", start_time: Optional[dt.datetime] = None,
                 every: int = 1, on_error: ErrorHandler = None):
        super().__init__(camera_id, on_error)
        self.path = Path(path)
        self.start_time = start_time
        self.every = max(1, every)
        self.fps: Optional[float] = None
        self.frame_count: Optional[int] = None

    def __iter__(self) -> Iterator[Frame]:
        if not self.path.is_file():
            self._error(VideoReadError(f"{self.path}: no such video file"))
            return
        cap = cv2.VideoCapture(str(self.path))
        try:
            if not cap.isOpened():
                self._error(VideoReadError(f"{self.path}: cannot open video (corrupt or unsupported)"))
                return
            fps = cap.get(cv2.CAP_PROP_FPS)
            self.fps = fps if fps and fps > 0 and fps < 1000 else 25.0
            n = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
            self.frame_count = n if n > 0 else None
            start = self.start_time or (dt.datetime.fromtimestamp(self.path.stat().st_mtime, dt.timezone.utc)
                                        - dt.timedelta(seconds=(self.frame_count or 0) / self.fps))
            pos = 0
            while True:
                ok, img = cap.read()
                if not ok or img is None:
                    break
                if pos % self.every == 0:
                    yield Frame(img, start + dt.timedelta(seconds=pos / self.fps), self.camera_id, pos)
                pos += 1
            if pos == 0:
                self._error(VideoReadError(f"{self.path}: no decodable frame (corrupt or truncated video)"))
            elif self.frame_count and pos < self.frame_count - 1:
                self._error(VideoReadError(f"{self.path}: video truncated: read {pos} of {self.frame_count} frames"))
        finally:
            cap.release()


class StreamSource(_Base):
    """Frames of a network stream (``rtsp://``, ``http://``...) or local device (an int) via
    ``cv2.VideoCapture``.  When the stream drops or cannot be opened it reconnects with
    exponential backoff (``backoff_s`` doubling up to ``max_backoff_s``), reporting a
    :class:`StreamDroppedError` each time; gives up after ``max_retries`` consecutive failed
    attempts (None = never).  Waits use ``stop.wait`` so setting ``stop`` ends it promptly.
    ``capture_factory`` builds the capture (tests inject fakes)."""

    def __init__(self, url: Union[str, int], camera_id: Optional[str] = None, backoff_s: float = 0.5,
                 max_backoff_s: float = 30.0, max_retries: Optional[int] = None,
                 stop: Optional[threading.Event] = None, on_error: ErrorHandler = None,
                 capture_factory: Callable = cv2.VideoCapture):
        super().__init__(camera_id if camera_id is not None else str(url), on_error)
        self.url = url
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.max_retries = max_retries
        self.stop = stop or threading.Event()
        self.capture_factory = capture_factory
        self.reconnects = 0
        self.delays: List[float] = []   # backoff waits so far (seconds)

    def __iter__(self) -> Iterator[Frame]:
        index = 0
        failures = 0
        delay = self.backoff_s
        while not self.stop.is_set():
            cap = self.capture_factory(self.url)
            got_any = False
            try:
                if cap is not None and cap.isOpened():
                    while not self.stop.is_set():
                        ok, img = cap.read()
                        if not ok or img is None:
                            break
                        if not got_any:
                            got_any = True
                            failures = 0
                            delay = self.backoff_s
                        yield Frame(img, utcnow(), self.camera_id, index)
                        index += 1
            finally:
                if cap is not None:
                    cap.release()
            if self.stop.is_set():
                return
            failures += 0 if got_any else 1
            what = "dropped" if got_any else "cannot be opened"
            self._error(StreamDroppedError(f"stream {self.url!r} {what}; reconnecting in {delay:.3g}s"))
            if self.max_retries is not None and failures > self.max_retries:
                self._error(StreamDroppedError(f"stream {self.url!r}: giving up after {failures} failed attempts"))
                return
            self.delays.append(delay)
            if self.stop.wait(delay):
                return
            self.reconnects += 1
            delay = min(self.max_backoff_s, delay * 2)


class DeviceSource(StreamSource):
    """A local capture device (``/dev/videoN`` index)."""

    def __init__(self, device: int = 0, camera_id: Optional[str] = None, **kw):
        super().__init__(int(device), camera_id or f"device{device}", **kw)


def open_source(spec: str, camera_id: Optional[str] = None, **kw):
    """Pick a source from a spec: a folder, a video file, an rtsp/http(s) URL, or a device number."""
    s = str(spec)
    if s.isdigit():
        return DeviceSource(int(s), camera_id, **kw)
    if "://" in s:
        return StreamSource(s, camera_id or s, **kw)
    p = Path(s)
    if p.is_dir():
        return ImageFolderSource(p, camera_id or p.name, **kw)
    if p.suffix.lower() in VIDEO_EXTS:
        return VideoFileSource(p, camera_id or p.stem, **kw)
    raise SourceError(f"{s}: not a folder, video file, stream URL or device number")
