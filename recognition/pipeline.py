"""Whole image in -> believed plates out.

``PlateRecogniser`` composes the localiser (candidate boxes), the reader (two crops per
box: tight and taller) and the format rules, keeps reads above a confidence threshold and
stops early on a strong read.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import List, Optional, Sequence, Tuple

import numpy as np

from . import formats
from .localise import Candidate, Localiser, dark_on_light, iou, plate_crops, split_join
from .ocr import PlateReader, TextRead, get_reader

# Reads at or above this confidence are "believed" (may raise a hit).  Chosen on a rendered UK
# evaluation set (seed unseen by training) so that >= 99% of reads above it are exact; see
# benchmarks/RECOGNITION.md for the accuracy per confidence band.
HIT_THRESHOLD = 0.69
# A read this confident ends the search over further candidate boxes.
STRONG_READ = 0.7
MIN_LEN, MAX_LEN = 2, 8
CORRECTION_DISCOUNT = 0.85
SHORT_MARK_DISCOUNT = 0.6


@dataclass(frozen=True)
class PlateRead:
    text: str                         # normalised (and, for region "uk", format-corrected)
    raw: str                          # as read by the recogniser (A-Z0-9)
    confidence: float                 # 0..1
    box: Tuple[int, int, int, int]    # x, y, w, h in input image pixels
    format: Optional[str]             # UK format name or None


@dataclass(frozen=True)
class ImageResult:
    plates: Tuple[PlateRead, ...]
    ms: float                         # localise + OCR (decode excluded unless the caller adds it)


def _choose(reads: Sequence[Tuple[Tuple[int, int, int, int], TextRead]]) -> Tuple[Tuple[int, int, int, int], TextRead]:
    """Pick one read among the crops of one box.  A confident read that is the other one
    minus an end character does not win against it (it lost a character at the crop edge)."""
    best = max(reads, key=lambda r: r[1].confidence)
    for box, r in reads:
        t, b = r.text, best[1].text
        if len(t) == len(b) + 1 and (t[1:] == b or t[:-1] == b) and r.confidence >= 0.3 * best[1].confidence:
            return box, r
    return best


def _overlap(a, b) -> bool:
    return min(a[0] + a[2], b[0] + b[2]) > max(a[0], b[0]) and min(a[1] + a[3], b[1] + b[3]) > max(a[1], b[1])


def _prefer_whole(reads: List[PlateRead]) -> List[PlateRead]:
    """A read that is part of another read of an overlapping box (the box caught only one
    character group) gives way to the longer read when that one is not much less confident."""
    out = []
    for r in reads:
        longer = [o for o in reads if o is not r and len(o.text) > len(r.text) and r.text in o.text
                  and _overlap(o.box, r.box) and o.confidence >= 0.3 * r.confidence]
        out.append(max(longer, key=lambda o: o.confidence) if longer else r)
    seen, uniq = set(), []
    for r in out:
        if id(r) not in seen:
            seen.add(id(r)); uniq.append(r)
    return uniq


class PlateRecogniser:
    """Finds and reads number plates in whole images.

    >>> rec = PlateRecogniser()                 # committed weights, UK region
    >>> result = rec.recognise(bgr_image)       # ImageResult(plates=(PlateRead...), ms=...)
    """

    def __init__(self, reader: Optional[PlateReader] = None, localiser: Optional[Localiser] = None,
                 region: str = "uk", threshold: float = HIT_THRESHOLD, strong: float = STRONG_READ,
                 max_boxes: int = 8, boxes_per_batch: int = 3, max_plates: int = 4,
                 two_line: Optional[bool] = None):
        if region not in ("uk", "any"):
            raise ValueError("region must be 'uk' or 'any'")
        self.reader = reader or get_reader()
        self.localiser = localiser or Localiser(top_k=max_boxes)
        self.region = region
        self.threshold = threshold
        self.strong = strong
        self.max_boxes = max_boxes
        self.boxes_per_batch = boxes_per_batch
        self.max_plates = max_plates
        # also read tall boxes as two-line plates (UK square rear plates); default: region "uk"
        self.two_line = (region == "uk") if two_line is None else two_line

    def candidates(self, image: np.ndarray) -> List[PlateRead]:
        """Every candidate box's best read (threshold not applied), best first."""
        return self._run(image, threshold=0.0, early_stop=False)

    def _plausible(self, text: str) -> bool:
        return MIN_LEN <= len(text) <= MAX_LEN

    def _make_read(self, r: TextRead, box) -> PlateRead:
        """The reader's confidence (best-path probability), discounted by 0.85 per character
        changed by the UK correction, and for short reads matching no UK format (fragments of a
        plate, badges, sign text): x0.5 at 4 characters, x0.25 below."""
        if self.region == "uk":
            text, fmt, n = formats.correct_uk_counted(formats.normalise(r.text))
        else:
            text, fmt = formats.normalise_plate(r.text, self.region)
            n = 0
        conf = r.confidence * (CORRECTION_DISCOUNT ** n)
        if fmt is None and len(text) < 5:
            conf *= 0.5 if len(text) == 4 else 0.25
        elif fmt in ("dateless", "ni") and len(text) <= 4:
            # rare, permissive patterns that fragments of longer plates and sign text also match
            conf *= SHORT_MARK_DISCOUNT
        return PlateRead(text, r.text, round(float(conf), 4), tuple(int(v) for v in box), fmt)

    @staticmethod
    def rank(read: "PlateRead") -> float:
        return read.confidence

    def _run(self, image: np.ndarray, threshold: float, early_stop: bool) -> List[PlateRead]:
        if image is None or image.ndim not in (2, 3) or image.shape[0] < 8 or image.shape[1] < 8:
            raise ValueError("not an image (expected an HxW or HxWx3 uint8 array)")
        cands: List[Candidate] = self.localiser.find(image, self.max_boxes)
        reads: List[PlateRead] = []
        for i in range(0, len(cands), self.boxes_per_batch):
            chunk = cands[i:i + self.boxes_per_batch]
            pairs = [plate_crops(image, c.box) for c in chunk]
            # tight crops first; then, only for boxes without a strong read that show some text:
            # the taller crop, and for tall boxes the two-line reading (split_join)
            tight = self.reader.read([p[0][1] for p in pairs])
            extra_idx, extra_crops = [], []
            for j, t in enumerate(tight):
                strong = self._plausible(t.text) and t.confidence >= self.strong and len(t.text) >= 5
                if strong or (len(t.text) < MIN_LEN and t.confidence >= 0.5):
                    continue
                extra_idx.append(j); extra_crops.append(pairs[j][1])
                tc = pairs[j][0][1]
                if self.two_line and tc.shape[1] < 2.6 * tc.shape[0]:
                    extra_idx.append(j); extra_crops.append((pairs[j][0][0], split_join(tc)))
            extra = self.reader.read([c for _, c in extra_crops]) if extra_crops else []
            for j, c in enumerate(chunk):
                options = [(pairs[j][0][0], tight[j])]
                options += [(bx, r) for k, (bx, _), r in zip(extra_idx, extra_crops, extra) if k == j]
                options = [o for o in options if self._plausible(o[1].text)]
                if not options:
                    continue
                box, r = _choose(options)
                read = self._make_read(r, c.box)
                if self.region == "uk" and not dark_on_light(pairs[j][0][1]):
                    # UK plates are dark characters on white/yellow: light-on-dark text is a sign
                    read = replace(read, confidence=round(read.confidence * 0.3, 4))
                reads.append(read)
            if early_stop and reads and max(self.rank(r) for r in reads) >= self.strong:
                break
        reads.sort(key=lambda r: -self.rank(r))
        reads = _prefer_whole(reads)
        out: List[PlateRead] = []
        for r in reads:
            if r.confidence < threshold:
                continue
            if any(iou(r.box, o.box) > 0.2 or r.text == o.text for o in out):
                continue
            out.append(r)
        return out

    def read_crops(self, crops: Sequence[np.ndarray]) -> List[Optional[PlateRead]]:
        """Read already-cropped plates (no localisation): each crop as it is and, when tall and
        two-line reading is on, as a two-line plate; the better read (or None) per crop."""
        items, owner = [], []
        for i, c in enumerate(crops):
            items.append(c); owner.append(i)
            if self.two_line and c.shape[1] < 2.6 * c.shape[0]:
                items.append(split_join(c)); owner.append(i)
        texts = self.reader.read(items)
        out: List[Optional[PlateRead]] = []
        for i, c in enumerate(crops):
            box = (0, 0, int(c.shape[1]), int(c.shape[0]))
            options = [(box, t) for k, t in zip(owner, texts) if k == i and self._plausible(t.text)]
            out.append(self._make_read(_choose(options)[1], box) if options else None)
        return out

    def recognise(self, image: np.ndarray) -> ImageResult:
        """Believed plates in a BGR (or grey) uint8 image, most confident first."""
        t0 = time.perf_counter()
        plates = self._run(image, self.threshold, early_stop=True)[: self.max_plates]
        return ImageResult(tuple(plates), round((time.perf_counter() - t0) * 1000, 2))

    def best(self, image: np.ndarray) -> Optional[PlateRead]:
        """The single most confident plausible read (no threshold), or None."""
        r = self._run(image, 0.0, early_stop=True)
        return r[0] if r else None


def watch(frames, recogniser: Optional[PlateRecogniser] = None, window_s: float = 3.0,
          motion_gate: bool = True):
    """Frames in (any iterable of ``sources.Frame``), one ``tracking.VehicleRead`` per vehicle out,
    as soon as its grouping window has closed (and all remaining ones when the frames end).
    Frames the motion gate finds unchanged are skipped (per camera)."""
    from .localise import MotionGate
    from .tracking import PlateTracker
    rec = recogniser or PlateRecogniser()
    tracker = PlateTracker(window_s)
    gates: dict = {}
    for f in frames:
        gate = gates.setdefault(f.camera_id, MotionGate()) if motion_gate else None
        if gate is not None and not gate.changed(f.image):
            yield from tracker.flush(f.captured_at)
            continue
        yield from tracker.feed_many(f.camera_id, rec.recognise(f.image).plates, f.captured_at, f.index)
    yield from tracker.flush()
