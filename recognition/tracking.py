"""Group repeated reads of one vehicle at one camera and vote across frames.

Feed reads frame by frame (:meth:`PlateTracker.feed`), and call :meth:`PlateTracker.flush`
with the current time to get the vehicles whose window has closed: one
:class:`VehicleRead` per vehicle, carrying the voted best text.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from . import formats

DEFAULT_WINDOW_S = 3.0
# A shorter window splits one slow vehicle into several reads; a longer one delays every vote-stored read by as
# much and merges different vehicles with similar plates.
MIN_WINDOW_S, MAX_WINDOW_S = 0.5, 30.0


def check_window(window_s: float) -> float:
    """The grouping window in seconds, refused (ValueError) outside MIN_WINDOW_S-MAX_WINDOW_S."""
    number = isinstance(window_s, (int, float)) and not isinstance(window_s, bool)
    if not number or not MIN_WINDOW_S <= window_s <= MAX_WINDOW_S:
        raise ValueError(f"grouping window {window_s!r}: give {MIN_WINDOW_S:g} to {MAX_WINDOW_S:g} seconds")
    return float(window_s)


@dataclass(frozen=True)
class VehicleRead:
    camera_id: str
    text: str                       # voted text
    raw: str
    confidence: float               # best confidence among reads of the voted text
    format: Optional[str]
    box: Tuple[int, int, int, int]  # box of the best read of the voted text
    first_seen: dt.datetime
    last_seen: dt.datetime
    n_reads: int
    best_index: Optional[int]       # frame index of the best read
    texts: Tuple[Tuple[str, int], ...]   # (text, number of reads) seen in the group
    first_index: Optional[int] = None    # frame indices spanned by the group
    last_index: Optional[int] = None


@dataclass
class _Group:
    camera_id: str
    first: dt.datetime
    last: dt.datetime
    reads: list = field(default_factory=list)   # (read, at, index)

    def texts(self):
        return {r.text for r, _, _ in self.reads}


class PlateTracker:
    """Groups reads at one camera within ``window_s`` seconds (measured from the group's last
    read) whose texts are similar (Levenshtein <= 1 or Jaro-Winkler >= 0.85)."""

    def __init__(self, window_s: float = DEFAULT_WINDOW_S):
        self.window = dt.timedelta(seconds=window_s)
        self._open: Dict[str, List[_Group]] = defaultdict(list)

    def feed(self, camera_id: str, read, at: dt.datetime, index: Optional[int] = None) -> List[VehicleRead]:
        """Add one read (a ``PlateRead``-like object with text/raw/confidence/box/format).
        Returns the vehicles whose window closed before ``at`` (same as ``flush(at)``)."""
        closed = self.flush(at)
        best_group = None
        for g in self._open[camera_id]:
            if at - g.last <= self.window and any(formats.similar(read.text, t) for t in g.texts()):
                if best_group is None or g.last > best_group.last:
                    best_group = g
        if best_group is None:
            best_group = _Group(camera_id, at, at)
            self._open[camera_id].append(best_group)
        best_group.reads.append((read, at, index))
        best_group.last = max(best_group.last, at)
        return closed

    def feed_many(self, camera_id: str, reads, at: dt.datetime, index: Optional[int] = None) -> List[VehicleRead]:
        out = self.flush(at)
        for r in reads:
            out.extend(self.feed(camera_id, r, at, index))
        return out

    def flush(self, now: Optional[dt.datetime] = None) -> List[VehicleRead]:
        """Emit (and forget) groups idle for more than the window at ``now``; ``now=None``
        emits every open group (end of stream)."""
        out = []
        for cam, groups in list(self._open.items()):
            keep = []
            for g in groups:
                if now is None or now - g.last > self.window:
                    out.append(_vote(g))
                else:
                    keep.append(g)
            self._open[cam] = keep
        out.sort(key=lambda v: v.first_seen)
        return out

    @property
    def open_groups(self) -> int:
        return sum(len(g) for g in self._open.values())


def _vote(g: _Group) -> VehicleRead:
    score: Dict[str, float] = defaultdict(float)
    count: Dict[str, int] = defaultdict(int)
    for r, _, _ in g.reads:
        score[r.text] += r.confidence
        count[r.text] += 1
    text = max(score, key=lambda t: (score[t], count[t]))
    best, _, idx = max(((r, at, i) for r, at, i in g.reads if r.text == text), key=lambda x: x[0].confidence)
    idxs = [i for _, _, i in g.reads if i is not None]
    return VehicleRead(g.camera_id, text, best.raw, float(best.confidence), best.format, tuple(best.box),
                       g.first, g.last, len(g.reads), idx,
                       tuple(sorted(count.items(), key=lambda kv: -kv[1])),
                       min(idxs) if idxs else None, max(idxs) if idxs else None)
