"""Whole image in -> believed plates out.

``PlateRecogniser`` composes the localiser (candidate boxes), the reader (two crops per
box: tight and taller, and tall boxes as two-line plates) and the format rules, confirms the
leading reads by reading their crop twice more (see CONFIRM_TOP), completes a leading read that is
part of a plate from grown boxes (see COMPLETE_TOP), reports reads at or above READ_THRESHOLD and
stops early on a strong read.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np

from . import formats
from .localise import (Candidate, Localiser, crop, dark_on_light, expand, grown, intersection, iou, plate_crops,
                       split_join, two_line_views, without_band)
from .ocr import PlateReader, TextRead, get_reader

# Reads at or above READ_THRESHOLD are reported (chosen on the calibration seed, benchmarks/
# recognition.py --calibrate: >= 95 % of them exact); reads at or above HIT_THRESHOLD may raise a
# hit: on every part of the rendered UK evaluation set >= 99 % of them are exact (the benchmark's
# "exact_at_or_above" curves; 0.70-0.75 all qualify).  See benchmarks/RECOGNITION.md.
READ_THRESHOLD = 0.3
HIT_THRESHOLD = 0.7
# A read this confident ends the search over further candidate boxes.
STRONG_READ = 0.7
# Reads of MIN_LEN-MAX_LEN characters are plausible plates: UK marks have 2-7, continental ones up to
# 8, Irish ones 9 or 10 ("191-D-12345", "12-D-123456"); the hotlist takes 2-10 as well.
MIN_LEN, MAX_LEN = 2, 10
CORRECTION_DISCOUNT = 0.85
SHORT_MARK_DISCOUNT = 0.6
# a fuller read of the same box wins over a read it contains down to this share of its confidence
FULLER_READ_RATIO = 0.3
# crops narrower than this many heights are also read as two-line plates (split_join) ...
TWO_LINE_ASPECT = 2.6
# ... and crops this square are two-line plates (UK square plates are 279 x 203 mm) or boxes
# around something else: read as they are, they give one line at best, so that read is discounted
SQUARE_ASPECT = 1.8
SQUARE_AS_IS_DISCOUNT = 0.5
# margins (of the box's width, each side; of its height, top and bottom) of the crop joined besides the tight one
TWO_LINE_ROOM = (0.08, 0.25)
# Text without a digit is rarely a registration (every UK format and nearly every issued plate has
# one) and often a word near one: a US state name printed above the number, a sign, a badge, a
# dealer's name.  Discounted, not dropped: a personalised plate may have no digit.
NO_DIGIT_DISCOUNT = 0.3
# The leading reads (this many boxes) are confirmed: their crop is read three times more, trimmed at
# top and bottom, widened at the sides and padded above and below, and the four reads vote (summed
# confidence per text).  A read that one crop gets and its neighbours do not is a guess, so the vote's
# confidence (the winner's summed confidence / 4) is also the better-calibrated one.  Reads at or above
# CONFIRM_BELOW are nearly always exact and kept as they are (time).  Chosen on development seeds.
CONFIRM_TOP = 2
CONFIRM_BELOW = 0.9
# the padded view: a quarter of the crop's height above and below (development seeds, 2026-12-07:
# two-line crops 2,257 of 2,400 exact against 2,240 without it, one-line 3,050 of 3,078 against 3,043)
CONFIRM_PAD = 0.25
# The leading read, if it looks like part of a plate (see PlateRecogniser._incomplete), is read
# again from boxes grown where the rest would be (_growths): sideways (an edge character or a
# character group the box missed) and, for two-line plates, up or down (the other line).  The
# fullest read that contains it and is a more complete UK mark takes its place (see _complete).
# Growth as fractions of the box (left, top, right, bottom); chosen on development seeds.
COMPLETE_TOP = 1
COMPLETE_EDGE_LEFT, COMPLETE_EDGE_RIGHT = (0.35, 0.1, 0.05, 0.1), (0.05, 0.1, 0.35, 0.1)     # a character
COMPLETE_GROUP = ((1.3, 0.1, 0.05, 0.1), (0.05, 0.1, 1.3, 0.1))                              # a group
COMPLETE_LINES = ((0.15, 1.5, 0.15, 0.15), (0.15, 0.15, 0.15, 1.5))                          # a line
# a read whose box lies this much inside a better read's box is not reported (see _run)
INSIDE_SAME_PLATE = 0.6
# An image that may be a plate already cut out (by another detector, or by hand) rather than a
# camera frame or a photo: small (up to PLATE_CROP_MAX_H px high, square plates included), or up
# to 2.5 times that high and wider than PLATE_CROP_ASPECT heights (no camera frame is).  Such an image
# is read whole, first, and its candidates are found in it set in a margin (Localiser.find_in_crop):
# the localiser looks for plates inside a scene (at most 0.3 of its height) and finds none in an
# image that is all plate.
PLATE_CROP_ASPECT = 2.0
PLATE_CROP_MAX_H = 200


def may_be_plate_crop(image: np.ndarray) -> bool:
    """See PLATE_CROP_ASPECT."""
    h, w = image.shape[:2]
    return (w >= PLATE_CROP_ASPECT * h and h <= 2.5 * PLATE_CROP_MAX_H) or (h <= PLATE_CROP_MAX_H and w <= 4 * PLATE_CROP_MAX_H)


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


@dataclass(frozen=True)
class _Read:
    """A box's chosen read with what is needed to read it again the same way."""
    read: PlateRead
    crop: np.ndarray            # the crop (tight, taller or two-line joined) the read came from
    as_is: bool                 # the crop is the box's own, read as it is (see _as_is)
    factor: float = 1.0         # further discount (light-on-dark text)


def confirm_variants(crop: np.ndarray) -> List[np.ndarray]:
    """Three more views of a crop: 6 % trimmed off top and bottom, 5 % widened at each side, and
    CONFIRM_PAD of its height added above and below (edge pixels repeated), so that a character lost
    or invented at a crop edge, or a letter read as a digit in a crop cut close to the text, is outvoted."""
    h, w = crop.shape[:2]
    dy, dx, pad = max(1, int(0.06 * h)), max(1, int(0.05 * w)), max(1, int(CONFIRM_PAD * h))
    return [crop[dy:h - dy] if h - 2 * dy >= 4 else crop,
            cv2.copyMakeBorder(crop, 0, 0, dx, dx, cv2.BORDER_REPLICATE),
            cv2.copyMakeBorder(crop, pad, pad, 0, 0, cv2.BORDER_REPLICATE)]


def vote(reads: Sequence[Optional["PlateRead"]], n: int) -> Optional["PlateRead"]:
    """The text with the greatest summed confidence over ``n`` reads of one box (None = no
    plausible read), its most confident read carrying that sum / n as confidence."""
    score: dict = {}
    for r in reads:
        if r is not None:
            score[r.text] = score.get(r.text, 0.0) + r.confidence
    if not score:
        return None
    text = max(score, key=score.get)
    best = max((r for r in reads if r is not None and r.text == text), key=lambda r: r.confidence)
    return replace(best, confidence=round(score[text] / n, 4))


def part_of(part: str, full: str) -> bool:
    """Is ``part`` a piece of the longer ``full``: contained in it, or (four characters or more)
    one character off a piece of it (a fragment's edge character is often misread too)?"""
    if len(part) >= len(full):
        return False
    if part in full:
        return True
    n = len(part)
    return n >= 4 and any(sum(a != b for a, b in zip(part, full[k:k + n])) <= 1 for k in range(len(full) - n + 1))


def _choose(reads: Sequence["PlateRead"]) -> "PlateRead":
    """Pick one read among the crops of one box (after the format rules have set each read's
    confidence).  A read contained in a longer read of the same box gives way to it when that
    one is not much less confident: the shorter read lost characters at the crop edge, or read
    one line of a two-line plate."""
    best = max(reads, key=lambda r: r.confidence)
    fuller = [r for r in reads if len(r.text) > len(best.text) and best.text in r.text
              and r.confidence >= FULLER_READ_RATIO * best.confidence]
    return max(fuller, key=lambda r: r.confidence) if fuller else best


def _overlap(a, b) -> bool:
    return intersection(a, b) > 0


def _inside(inner, outer) -> float:
    """The share of box ``inner``'s area that lies inside box ``outer``."""
    return intersection(inner, outer) / max(1, inner[2] * inner[3])


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
                 region: str = "uk", threshold: float = READ_THRESHOLD, strong: float = STRONG_READ,
                 max_boxes: int = 8, boxes_per_batch: int = 3, max_plates: int = 4,
                 two_line: Optional[bool] = None, stills: bool = True):
        if region not in ("uk", "any"):
            raise ValueError("region must be 'uk' or 'any'")
        self.reader = reader or get_reader()
        self.region = region
        self.threshold = threshold
        self.strong = strong
        self.max_boxes = max_boxes
        self.boxes_per_batch = boxes_per_batch
        self.max_plates = max_plates
        # also read tall boxes as two-line plates (UK square rear plates); default: region "uk"
        self.two_line = (region == "uk") if two_line is None else two_line
        self.localiser = localiser or Localiser(top_k=max_boxes, two_line=self.two_line)
        # stills: an image may also be a plate crop or a close-up photo (see PLATE_CROP_ASPECT);
        # False for camera frames, which are scenes, so an empty frame costs no extra reads
        self.stills = stills

    def candidates(self, image: np.ndarray) -> List[PlateRead]:
        """Every candidate box's best read (threshold not applied), best first."""
        return self._run(image, threshold=0.0, early_stop=False)

    def _two_line_shaped(self, crop: np.ndarray) -> bool:
        return self.two_line and crop.shape[1] < TWO_LINE_ASPECT * crop.shape[0]

    def _square(self, crop: np.ndarray) -> bool:
        return self.two_line and crop.shape[1] < SQUARE_ASPECT * crop.shape[0]

    def _as_is(self, read: TextRead, crop: np.ndarray) -> TextRead:
        """The read of a crop as it is, discounted when the crop is square (see SQUARE_ASPECT)."""
        if self._square(crop):
            return TextRead(read.text, read.confidence * SQUARE_AS_IS_DISCOUNT)
        return read

    def _ink_factor(self, crop_img: np.ndarray) -> float:
        """UK plates are dark characters on white or yellow: light-on-dark text is a sign (x0.3)."""
        return 0.3 if self.region == "uk" and not dark_on_light(crop_img) else 1.0

    def _plausible(self, text: str) -> bool:
        return MIN_LEN <= len(text) <= MAX_LEN

    def _make_read(self, r: TextRead, box, factor: float = 1.0) -> PlateRead:
        """The reader's confidence (best-path probability) x ``factor``, discounted by 0.85 per
        character changed by the UK correction, for text without a digit (NO_DIGIT_DISCOUNT),
        and for short reads matching no UK format (fragments of a plate, badges, sign text):
        x0.5 at 4 characters, x0.25 below."""
        if self.region == "uk":
            text, fmt, n = formats.correct_uk_counted(formats.normalise(r.text))
        else:
            text, fmt = formats.normalise_plate(r.text, self.region)
            n = 0
        conf = r.confidence * factor * (CORRECTION_DISCOUNT ** n)
        if not any(ch.isdigit() for ch in text):
            conf *= NO_DIGIT_DISCOUNT
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
        crop_like = self.stills and may_be_plate_crop(image)
        found = self._read_boxes(image, self._crop_candidates(image) if crop_like
                                 else self.localiser.find(image, self.max_boxes), early_stop)
        # a still with no strong read may be a plate photographed close, too big a part of the picture
        # for the localiser, or a plate whose box it missed at its scale: it is read as a crop too
        if self.stills and not crop_like and all(f.read.confidence < self.strong for f in found):
            found += self._read_boxes(image, self._crop_candidates(image), early_stop)
        found.sort(key=lambda r: -r.read.confidence)
        reads = self._confirm(found[:CONFIRM_TOP]) + [r.read for r in found[CONFIRM_TOP:]]
        reads.sort(key=lambda r: -self.rank(r))
        # a fragment of a whole read found already gives way to it; what is still part of a plate
        # is read again from grown boxes
        reads = self._complete(image, _prefer_whole(reads))
        reads.sort(key=lambda r: -self.rank(r))
        reads = _prefer_whole(reads)
        out: List[PlateRead] = []
        for r in reads:
            if r.confidence < threshold:
                continue
            # one plate, one read: a box mostly inside a better read's box is a part of that plate
            # (a character group, a line) read again, however little the boxes' union shares
            if any(iou(r.box, o.box) > 0.2 or _inside(r.box, o.box) > INSIDE_SAME_PLATE or r.text == o.text
                   for o in out):
                continue
            out.append(r)
        return out

    def _crop_candidates(self, image: np.ndarray) -> List[Candidate]:
        """Candidates of an image that may be all plate: the whole image first, then what the
        localiser finds in it set in a margin (see PLATE_CROP_ASPECT)."""
        whole = Candidate((0, 0, int(image.shape[1]), int(image.shape[0])), 1.0)
        return [whole] + self.localiser.find_in_crop(image, self.max_boxes)

    def _read_boxes(self, image: np.ndarray, cands: Sequence[Candidate], early_stop: bool) -> List[_Read]:
        """Each candidate box's best read, in batches of ``boxes_per_batch``; with ``early_stop``,
        no further batch once a read is strong."""
        found: List[_Read] = []
        for i in range(0, len(cands), self.boxes_per_batch):
            chunk = cands[i:i + self.boxes_per_batch]
            pairs = [[(b, without_band(c)) for b, c in plate_crops(image, cand.box)] for cand in chunk]
            # tight crops first; then, only for boxes without a strong read that show some text:
            # the taller crop, and for tall boxes the two-line reading (split_join)
            tight = self.reader.read([p[0][1] for p in pairs])
            extra_idx, extra_crops = [], []
            for j, t in enumerate(tight):
                tc = pairs[j][0][1]
                strong = self._plausible(t.text) and t.confidence >= self.strong and len(t.text) >= 5
                # one confident character is not a plate, unless the box is square: read as it is,
                # a square plate's two lines often give one character
                lone = len(t.text) < MIN_LEN and t.confidence >= 0.5 and not self._square(tc)
                if (strong and not self._square(tc)) or lone:
                    continue
                extra_idx.append(j); extra_crops.append(pairs[j][1][1])
                if self._two_line_shaped(tc):
                    for view in two_line_views(tc):
                        extra_idx.append(j); extra_crops.append(view)
                if self._square(tc):
                    # a square plate's text block cropped tight can lose the tops and feet of its
                    # characters: a roomier crop is joined too
                    roomy = without_band(crop(image, expand(chunk[j].box, image.shape, *TWO_LINE_ROOM)))
                    extra_idx.append(j); extra_crops.append(split_join(roomy))
            extra = self.reader.read(extra_crops) if extra_crops else []
            for j, c in enumerate(chunk):
                tc = pairs[j][0][1]
                # the whole of an image given as a plate crop is taken as a plate, as read_crops
                # takes its crops: its ink is mostly the car or road around a loose crop's plate
                whole = c.box == (0, 0, image.shape[1], image.shape[0])
                factor = 1.0 if whole else self._ink_factor(tc)
                views = [(tight[j], tc, True)] + [(r, xc, False) for k, r, xc in zip(extra_idx, extra, extra_crops) if k == j]
                read = self._best_view(views, c.box, factor)
                if read is not None:
                    found.append(read)
            if early_stop and found and max(r.read.confidence for r in found) >= self.strong:
                break
        return found

    def _view_read(self, t: TextRead, crop_img: np.ndarray, as_is: bool, box, factor: float) -> Optional[PlateRead]:
        """A view's text as a read of ``box`` (square as-is discount, format rules, ``factor``),
        or None when it is not plausible."""
        if not self._plausible(t.text):
            return None
        return self._make_read(self._as_is(t, crop_img) if as_is else t, box, factor)

    def _best_view(self, views, box, factor: float = 1.0) -> Optional[_Read]:
        """One box's read among its views [(TextRead, crop, is the box's own crop as it is)]."""
        options = [_Read(r, crop_img, as_is, factor) for t, crop_img, as_is in views
                   if (r := self._view_read(t, crop_img, as_is, box, factor)) is not None]
        if not options:
            return None
        chosen = _choose([o.read for o in options])
        return next(o for o in options if o.read is chosen)

    def _confirm(self, found: Sequence[_Read]) -> List[PlateRead]:
        """Each read below CONFIRM_BELOW voted on with more views of its crop (CONFIRM_TOP)."""
        doubtful = [f for f in found if f.read.confidence < CONFIRM_BELOW]
        if not doubtful:
            return [f.read for f in found]
        views = [confirm_variants(f.crop) for f in doubtful]
        texts = iter(self.reader.read([v for vs in views for v in vs]))
        voted = {}
        for f, vs in zip(doubtful, views):
            # a view of the crop is discounted as the crop itself was (same shape)
            again = [self._view_read(next(texts), f.crop, f.as_is, f.read.box, f.factor) for _ in vs]
            voted[id(f)] = vote([f.read] + again, 1 + len(vs))
        return [voted.get(id(f), f.read) for f in found]

    def _incomplete(self, read: PlateRead) -> bool:
        """Does ``read`` look like part of a plate?  Region "uk": it is not a current or suffix
        mark, so it is a dateless or Northern Ireland mark, a fragment, a misread, or a prefix
        mark, which is also what a current mark reads as without its first letter ("M25ZWT" of
        "HM25ZWT").  Region "any" has no formats to tell, so never (completing its short reads
        was tried: slower by half, no better)."""
        return self.region == "uk" and read.format not in ("current", "suffix")

    def _more_complete(self, full: PlateRead, part: PlateRead) -> bool:
        """Any read is completed by a dated mark (current, prefix, suffix) that contains it; a
        read with no format also by a dateless or Northern Ireland mark. A dateless or NI mark,
        complete in itself, gives way to another only when that one extends it exactly at one
        end: an edge character the box cut off ("A4014" of "IA4014", "WHZ322" of "WHZ3227"), not
        a character put inside it ("5194D" is not "5194FD")."""
        if full.format in formats.DATED or (part.format is None and full.format is not None):
            return True
        return full.format is not None and (full.text.startswith(part.text) or full.text.endswith(part.text))

    def _growths(self, read: PlateRead):
        """(sideways, up/down) growths worth reading for ``read`` (time: each is a crop to read).
        A prefix mark can only be a current mark without its first letter: left by a character.
        Others: a character either side; four characters or fewer may be one character group
        (grown by a group either side); five or fewer in a wide box, when two-line plates are
        read, may be one line of a square plate (grown up or down)."""
        if read.format == "prefix":
            return (COMPLETE_EDGE_LEFT,), ()
        sideways = (COMPLETE_EDGE_LEFT, COMPLETE_EDGE_RIGHT) + (COMPLETE_GROUP if len(read.text) <= 4 else ())
        _, _, w, h = read.box
        line = self.two_line and len(read.text) <= 5 and w >= SQUARE_ASPECT * h
        return sideways, (COMPLETE_LINES if line else ())

    def _complete(self, image: np.ndarray, reads: List[PlateRead]) -> List[PlateRead]:
        """The leading incomplete reads (COMPLETE_TOP) replaced by a fuller read of a grown box
        that contains them (see part_of and _more_complete), when one is found (see _growths)."""
        todo = [i for i, r in enumerate(reads[:COMPLETE_TOP]) if self._incomplete(r)]
        if not todo:
            return reads
        views = []                                  # (read index, grown box, crop to read)
        for i in todo:
            sideways, lines = self._growths(reads[i])
            for grow in sideways:
                box = grown(reads[i].box, image.shape, grow)
                views.append((i, box, crop(image, box)))
                if self._two_line_shaped(views[-1][2]):     # a square plate grown sideways
                    views.append((i, box, split_join(views[-1][2])))
            for grow in lines:
                box = grown(reads[i].box, image.shape, grow)
                views.append((i, box, split_join(crop(image, box))))
        texts = self.reader.read([v[2] for v in views])
        out = list(reads)
        for (i, box, view), t in zip(views, texts):
            r = self._view_read(t, view, False, box, self._ink_factor(view))
            part = reads[i]
            if (r is not None and part_of(part.text, r.text) and self._more_complete(r, part)
                    and r.confidence >= FULLER_READ_RATIO * part.confidence
                    and (out[i] is part or (len(r.text), r.confidence) > (len(out[i].text), out[i].confidence))):
                out[i] = r          # the fullest such read, then the most confident
        return out

    def read_crops(self, crops: Sequence[np.ndarray]) -> List[Optional[PlateRead]]:
        """Read already-cropped plates (no localisation): each crop as it is and, when tall and
        two-line reading is on, as a two-line plate; the better read (confirmed like a leading
        read when below CONFIRM_BELOW), or None per crop."""
        items, owner, as_is = [], [], []
        for i, c in enumerate(crops):
            items.append(c); owner.append(i); as_is.append(True)
            if self._two_line_shaped(c):
                for view in two_line_views(c):
                    items.append(view); owner.append(i); as_is.append(False)
        texts = self.reader.read(items)
        chosen: List[Optional[_Read]] = []
        for i, c in enumerate(crops):
            box = (0, 0, int(c.shape[1]), int(c.shape[0]))
            views = [(t, x, whole) for k, t, x, whole in zip(owner, texts, items, as_is) if k == i]
            chosen.append(self._best_view(views, box))
        confirmed = iter(self._confirm([r for r in chosen if r is not None]))
        return [next(confirmed) if r is not None else None for r in chosen]

    def recognise(self, image: np.ndarray) -> ImageResult:
        """Believed plates in a BGR (or grey) uint8 image, most confident first."""
        t0 = time.perf_counter()
        plates = self._run(image, self.threshold, early_stop=True)[: self.max_plates]
        return ImageResult(tuple(plates), round((time.perf_counter() - t0) * 1000, 2))

    def recognise_all(self, image: np.ndarray) -> List[PlateRead]:
        """What :meth:`recognise` looks at, before its threshold: plausible reads, best first."""
        return self._run(image, 0.0, early_stop=True)

    def best(self, image: np.ndarray) -> Optional[PlateRead]:
        """The single most confident plausible read (no threshold), or None."""
        r = self.recognise_all(image)
        return r[0] if r else None


def watch(frames, recogniser: Optional[PlateRecogniser] = None, window_s: float = 3.0,
          motion_gate: bool = True):
    """Frames in (any iterable of ``sources.Frame``), one ``tracking.VehicleRead`` per vehicle out,
    as soon as its grouping window has closed (and all remaining ones when the frames end).
    Frames the motion gate finds unchanged are skipped (per camera)."""
    from .localise import MotionGate
    from .tracking import PlateTracker
    rec = recogniser or PlateRecogniser(stills=False)
    tracker = PlateTracker(window_s)
    gates: dict = {}
    for f in frames:
        gate = gates.setdefault(f.camera_id, MotionGate()) if motion_gate else None
        if gate is not None and not gate.changed(f.image):
            yield from tracker.flush(f.captured_at)
            continue
        yield from tracker.feed_many(f.camera_id, rec.recognise(f.image).plates, f.captured_at, f.index)
    yield from tracker.flush()
