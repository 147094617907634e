"""Classical plate localiser (OpenCV): blackhat + horizontal Scharr + closing + contour filter.

Costs a few milliseconds per frame; returns ranked candidate boxes (x, y, w, h) with a score.
Also crop helpers (tight / taller crops, deskew) and a motion gate for video.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, List, Optional, Tuple

import cv2
import numpy as np

Box = Tuple[int, int, int, int]
SQUARE_TEXT_ASPECT = 0.7
# a light rectangle (see Localiser._light_plates) is a plate candidate when this share of it is
# dark marks (characters: not a blank panel, not a busy texture); its score is this times its fill
LIGHT_PLATE_INK = (0.08, 0.5)
LIGHT_PLATE_SCORE = 0.01
# margin (of the width each side, of the height top and bottom) set around an image that may be all
# plate (Localiser.find_in_crop): the plate is then under 0.3 of the picture's height, half its width
CROP_MARGIN = (0.5, 1.2)


@dataclass(frozen=True)
class Candidate:
    box: Box          # x, y, w, h in input image pixels
    score: float


def _nms(cands: List[Candidate], iou_thr: float = 0.5) -> List[Candidate]:
    kept: List[Candidate] = []
    for c in sorted(cands, key=lambda c: -c.score):
        if all(iou(c.box, k.box) < iou_thr for k in kept):
            kept.append(c)
    return kept


def intersection(a: Box, b: Box) -> float:
    """The area two boxes (x, y, w, h) share."""
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    return ix * iy


def iou(a: Box, b: Box) -> float:
    inter = intersection(a, b)
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


class Localiser:
    """Finds plate-like regions: dense vertical strokes (dark characters on a lighter plate)
    in a horizontal band.  ``work_width``: images are analysed at this width (boxes are
    returned in input pixels)."""

    def __init__(self, work_width: int = 960, top_k: int = 8, min_aspect: float = 1.3,
                 max_aspect: float = 8.0, scales=(1.0, 0.6, 1.7), two_line: bool = False):
        self.work_width = work_width
        # square rear plates: the text block of two lines is about 1.25 times as wide as high, and
        # the lines may be found apart (their union is also offered, see _stacked)
        self.two_line = two_line
        self.top_k = top_k
        self.min_aspect = min(min_aspect, SQUARE_TEXT_ASPECT) if two_line else min_aspect
        self.max_aspect = max_aspect
        self.scales = scales

    def _candidates(self, gray: np.ndarray, s: float, light: np.ndarray, near_light: np.ndarray) -> List[Candidate]:
        """Candidates at kernel scale ``s``; ``light``: the light plate background (see
        _light_mask), ``near_light``: it dilated."""
        H, W = gray.shape
        kw = max(9, int(round(13 * s * W / 960)) | 1)
        kh = max(3, int(round(5 * s * W / 960)) | 1)
        rect = cv2.getStructuringElement(cv2.MORPH_RECT, (kw, kh))
        blackhat = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, rect)
        gx = cv2.Scharr(blackhat, cv2.CV_32F, 1, 0)
        gx = np.abs(gx)
        mx = gx.max()
        if mx <= 0:
            return []
        gx = (255 * gx / mx).astype(np.uint8)
        gx = cv2.GaussianBlur(gx, (5, 5), 0)
        close_k = cv2.getStructuringElement(cv2.MORPH_RECT, (max(9, int(round(25 * s * W / 960))), max(3, int(round(5 * s * W / 960)))))
        closed = cv2.morphologyEx(gx, cv2.MORPH_CLOSE, close_k)
        _, th = cv2.threshold(closed, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        th = cv2.erode(th, None, iterations=2)
        th = cv2.dilate(th, None, iterations=2)
        masked = cv2.bitwise_and(th, th, mask=near_light)
        out: List[Candidate] = []
        if s == self.scales[0]:
            out.extend(self._light_plates(gray, light, blackhat))
        for m in (masked, th):
            for (x, y, w, h), fill in self._plate_shaped(m, gray.shape, min_h=8, min_fill=0.4):
                ar = w / h
                roi = gx[y:y + h, x:x + w]
                density = float(roi.mean()) / 255.0
                # plates: strong stroke density, rectangular fill, aspect 2-5, not at the very top
                ar_pen = 1.0 if 1.8 <= ar <= 5.5 else 0.6
                pos = 0.7 + 0.3 * (y + h / 2) / H
                score = density * fill * ar_pen * pos * min(1.0, (w * h) / (60 * 15))
                out.append(Candidate((x, y, w, h), score))
        return out

    def _plate_shaped(self, mask: np.ndarray, shape, min_h: int, min_fill: float) -> Iterator[Tuple[Box, float]]:
        """The bounding box and fill (share of the box) of each outer contour of ``mask`` that could
        be a plate: at least ``min_h`` high and 20 px wide, at most 0.3 of the image high and half
        of it wide, a plate's aspect, and filling at least ``min_fill`` of its box."""
        H, W = shape[:2]
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            x, y, w, h = cv2.boundingRect(contour)
            if h < min_h or w < 20 or h > H * 0.3 or w > W * 0.5:
                continue
            if not (self.min_aspect <= w / h <= self.max_aspect):
                continue
            fill = cv2.contourArea(contour) / (w * h)
            if fill >= min_fill:
                yield (x, y, w, h), fill

    def _light_plates(self, gray: np.ndarray, light: np.ndarray, blackhat: np.ndarray) -> List[Candidate]:
        """Plates as light rectangles with dark marks inside.  The stroke map is scaled to the
        strongest edge in the whole image, so a dim plate in a shadowed part of a sunlit scene can
        fall below its threshold and be offered by no contour; its plate is still a light,
        rectangular blob.  Scored low (LIGHT_PLATE_SCORE): read after the stroke candidates,
        when there is room among the top ones."""
        out = []
        for (x, y, w, h), fill in self._plate_shaped(light, gray.shape, min_h=10, min_fill=0.85):
            # dark marks: pixels darker than their surroundings by a quarter of the blob's brightest
            roi = gray[y:y + h, x:x + w]
            ink = float((blackhat[y:y + h, x:x + w] > max(12, 0.25 * float(roi.max()))).mean())
            if not LIGHT_PLATE_INK[0] <= ink <= LIGHT_PLATE_INK[1]:
                continue
            out.append(Candidate((x, y, w, h), LIGHT_PLATE_SCORE * fill))
        return out

    def find(self, image: np.ndarray, top_k: Optional[int] = None) -> List[Candidate]:
        """Ranked candidates (best first) in ``image``'s pixel coordinates."""
        gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        H, W = gray.shape
        f = min(1.0, self.work_width / W)
        small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else gray
        # the light plate background does not depend on the kernel scale: made once a frame
        light = _light_mask(small)
        near_light = cv2.dilate(light, None, iterations=3)
        cands: List[Candidate] = []
        for s in self.scales:
            cands.extend(self._candidates(small, s, light, near_light))
        top = _nms(cands + _merged(cands, small.shape), 0.4)[: (top_k or self.top_k)]
        cands = _with_stacked(top, cands) if self.two_line else top
        return [Candidate(tuple(int(round(v / f)) for v in c.box), round(c.score, 4)) for c in cands]

    def find_in_crop(self, image: np.ndarray, top_k: Optional[int] = None) -> List[Candidate]:
        """Ranked candidates in an image that may be all plate (a plate cut out already): found in
        the image set in a grey margin (CROP_MARGIN), where a plate that fills it is as small a
        part of the picture as :meth:`find` looks for, and clipped back to the image."""
        h, w = image.shape[:2]
        my, mx = int(CROP_MARGIN[1] * h), int(CROP_MARGIN[0] * w)
        fill = 128 if image.ndim == 2 else (128,) * image.shape[2]
        framed = cv2.copyMakeBorder(image, my, my, mx, mx, cv2.BORDER_CONSTANT, value=fill)
        out = []
        for c in self.find(framed, top_k):
            x0, y0 = max(0, c.box[0] - mx), max(0, c.box[1] - my)
            x1, y1 = min(w, c.box[0] + c.box[2] - mx), min(h, c.box[1] + c.box[3] - my)
            if x1 - x0 >= 8 and y1 - y0 >= 4:
                out.append(Candidate((x0, y0, x1 - x0, y1 - y0), c.score))
        return out


def _light_mask(gray: np.ndarray) -> np.ndarray:
    """Light plate background: pixels brighter than Otsu's threshold once thin dark strokes are
    closed over."""
    light = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    _, light = cv2.threshold(light, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return light


def _stacked(a: Box, b: Box) -> Optional[Box]:
    """The union of two boxes when they look like the two lines of a square plate: one above the
    other, overlapping across most of the narrower width, lines of similar height, a small gap."""
    if a[1] > b[1]:
        a, b = b, a
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    overlap = min(ax + aw, bx + bw) - max(ax, bx)
    if overlap < 0.6 * min(aw, bw) or max(aw, bw) > 1.8 * min(aw, bw) or max(ah, bh) > 1.6 * min(ah, bh):
        return None
    gap = by - (ay + ah)
    if gap < -0.25 * min(ah, bh) or gap > 0.8 * max(ah, bh):
        return None
    x0, y0 = min(ax, bx), ay
    w, h = max(ax + aw, bx + bw) - x0, max(ay + ah, by + bh) - y0
    return (x0, y0, w, h) if 0.9 <= w / h <= 2.4 else None


def _with_stacked(top: List[Candidate], every: List[Candidate], max_n: int = 30) -> List[Candidate]:
    """``top`` with each two-line union (see _stacked) of the strongest raw candidates inserted
    right after the better of its two lines, so that it is read as early as that line; and each
    raw two-line text block around a top line (see _block_around), which the line's stronger score
    took out of the top candidates."""
    pool = sorted(every, key=lambda c: -c.score)[:max_n]
    out = list(top)
    for i, a in enumerate(pool):
        for b in pool[i + 1:]:
            box = _stacked(a.box, b.box)
            if box is None or any(iou(box, o.box) > 0.6 for o in out):
                continue
            at = next((k + 1 for k, o in enumerate(out) if iou(o.box, a.box) > 0.5 or iou(o.box, b.box) > 0.5), None)
            if at is not None:   # one of its lines is among the top candidates
                out.insert(at, Candidate(box, 0.9 * a.score + 0.2 * b.score))
    for block in pool:
        if any(iou(block.box, o.box) > 0.6 for o in out):
            continue
        at = next((k + 1 for k, o in enumerate(out) if _block_around(block.box, o.box)), None)
        if at is not None:
            out.insert(at, Candidate(block.box, block.score))
    return out


def _block_around(block: Box, line: Box) -> bool:
    """``block`` looks like a square plate's two lines of text and ``line`` like one of them: the
    line lies inside the block, as wide as most of it, and the block is tall enough for two lines."""
    bx, by, bw, bh = block
    lx, ly, lw, lh = line
    if not SQUARE_TEXT_ASPECT <= bw / bh <= 2.4 or bh < 1.6 * lh:
        return False
    ix = max(0, min(bx + bw, lx + lw) - max(bx, lx))
    iy = max(0, min(by + bh, ly + lh) - max(by, ly))
    return ix * iy >= 0.8 * lw * lh and lw >= 0.6 * bw


def _merged(cands: List[Candidate], shape, max_n: int = 30) -> List[Candidate]:
    """Union boxes of neighbouring candidates on one text line (the two halves of a plate
    split at the gap between its character groups)."""
    top = sorted(cands, key=lambda c: -c.score)[:max_n]
    out = []
    for i, a in enumerate(top):
        ax, ay, aw, ah = a.box
        for b in top[i + 1:]:
            bx, by, bw, bh = b.box
            lo, hi = max(ay, by), min(ay + ah, by + bh)
            if hi - lo < 0.6 * min(ah, bh) or max(ah, bh) > 1.6 * min(ah, bh):
                continue
            gap = max(bx - (ax + aw), ax - (bx + bw))
            if gap < -0.5 * min(aw, bw) or gap > 1.2 * max(ah, bh):
                continue
            x0, y0 = min(ax, bx), min(ay, by)
            x1, y1 = max(ax + aw, bx + bw), max(ay + ah, by + bh)
            w, h = x1 - x0, y1 - y0
            if w / h > 8 or w > shape[1] * 0.5:
                continue
            out.append(Candidate((x0, y0, w, h), 0.9 * max(a.score, b.score) + 0.2 * min(a.score, b.score)))
    return out


def expand(box: Box, shape, px: float = 0.0, py: float = 0.0, py_top: Optional[float] = None) -> Box:
    """Grow a box by fractions of its width (each side) and height (top/bottom), clipped."""
    return grown(box, shape, (px, py if py_top is None else py_top, px, py))


def grown(box: Box, shape, by: Tuple[float, float, float, float]) -> Box:
    """``box`` grown by fractions of its width (left, right) and height (top, bottom):
    ``by`` = (left, top, right, bottom), clipped to the image."""
    x, y, w, h = box
    H, W = shape[:2]
    x0, y0 = max(0, int(round(x - by[0] * w))), max(0, int(round(y - by[1] * h)))
    x1, y1 = min(W, int(round(x + w + by[2] * w))), min(H, int(round(y + h + by[3] * h)))
    return (x0, y0, max(1, x1 - x0), max(1, y1 - y0))


def crop(image: np.ndarray, box: Box) -> np.ndarray:
    x, y, w, h = box
    return image[y:y + h, x:x + w]


TIGHT_PAD = (0.04, 0.1)   # fraction of box width (each side), of box height (top and bottom)
TALL_PAD = (0.12, 0.6)
# a two-line plate's line (split_join): rows with at least this share of the strongest row's
# stroke energy, padded by this share of the line's height above and below
LINE_RUN_SHARE, LINE_PAD = 0.45, 0.3
# rows with at least this share of the strongest row's stroke energy hold the plate's text
TEXT_ROW_SHARE = 0.2
# a square plate in a loose crop (plate_within): its light background's box takes at most
# WITHIN_MAX_SHARE of the crop (at least WITHIN_MIN_SHARE), has a square plate's shape (279 x 203 mm,
# WITHIN_ASPECT allowing for perspective) and is cut out with WITHIN_MARGIN of its size each side
WITHIN_MIN_SHARE, WITHIN_MAX_SHARE = 0.2, 0.6
WITHIN_ASPECT = (1.0, 1.8)
WITHIN_MARGIN = 0.15


# the blue identifier band (UK, EU): its columns are at least BAND_BLUE_SHARE blue pixels (hue
# 95-135 on OpenCV's 0-180 scale, saturated); it starts within BAND_START of the crop's width.
# It is cut off only when its country code is as tall as BAND_CODE_HEIGHT of the band seen in the
# crop: a line of a square plate (the band's lower half), not a whole one-line plate (the code is
# 0.22 of the band's height there, and the reader ignores it).
BAND_BLUE_SHARE, BAND_START, BAND_MAX, BAND_CODE_HEIGHT = 0.35, 0.15, 0.3, 0.36


def without_band(crop_img: np.ndarray) -> np.ndarray:
    """``crop_img`` with a blue identifier band at its left cut off when its country code is as
    tall as text in the crop.  The code ("GB", "UK") stands in the bottom line of a square plate,
    level with its characters, where it reads as part of the registration ("GB268X" for
    "CJY 268X"); on a one-line plate it is small, below the stars, and the reader ignores it."""
    if crop_img.ndim != 3 or crop_img.shape[1] < 12:
        return crop_img
    hsv = cv2.cvtColor(crop_img, cv2.COLOR_BGR2HSV)
    blue = (hsv[..., 0] >= 95) & (hsv[..., 0] <= 135) & (hsv[..., 1] >= 90) & (hsv[..., 2] >= 30)
    # the band's columns are blue in the rows of the plate's text: a blue car above and below a
    # plate made the columns of its first characters blue enough to be cut off ("56SZD" of "TA56SZD")
    text = _text_rows(_stroke_energy(crop_img))
    if text.sum() < 3:
        return crop_img
    share = blue[text].mean(axis=0)
    w = crop_img.shape[1]
    runs = _runs(share >= BAND_BLUE_SHARE)
    start, end = next(((a, b) for a, b in runs if a <= BAND_START * w and b - a >= 3), (0, 0))
    if end == 0 or end > BAND_MAX * w:
        return crop_img
    # the band's rows (the crop may hold road or car body above and below it), and in them the
    # code: white (unsaturated, bright) pixels, not the yellow stars
    band = np.nonzero(blue[:, start:end].mean(axis=1) >= BAND_BLUE_SHARE)[0]
    if len(band) < 3:
        return crop_img
    b0, b1 = int(band[0]), int(band[-1]) + 1
    q = (end - start) // 4          # the band's inner columns: its edges blur into the plate
    part = hsv[b0:b1, start + q:end - q]
    code = (part[..., 1] < 100) & (part[..., 2] >= 0.6 * float(np.percentile(hsv[..., 2], 95)))
    rows = np.nonzero(code.any(axis=1))[0]
    if len(rows) == 0 or rows[-1] - rows[0] + 1 < BAND_CODE_HEIGHT * (b1 - b0):
        return crop_img
    return crop_img[:, end:]


def _runs(flags: np.ndarray) -> List[Tuple[int, int]]:
    """The [start, end) runs of True in a 1-D boolean array."""
    d = np.diff(np.concatenate([[0], flags.astype(np.int8), [0]]))
    return list(zip(np.nonzero(d == 1)[0].tolist(), np.nonzero(d == -1)[0].tolist()))


def plate_crops(image: np.ndarray, box: Box) -> List[Tuple[Box, np.ndarray]]:
    """Two crops of one candidate: tight (small margin) and taller (more margin above/below)."""
    tight = expand(box, image.shape, *TIGHT_PAD)
    tall = expand(box, image.shape, *TALL_PAD)
    return [(tight, crop(image, tight)), (tall, crop(image, tall))]


def dark_on_light(crop_img: np.ndarray) -> bool:
    """True when the crop looks like dark characters on a lighter background (every UK plate;
    most plates anywhere), False for light text on a dark ground (road signs, badges)."""
    g = crop_img if crop_img.ndim == 2 else cv2.cvtColor(crop_img, cv2.COLOR_BGR2GRAY)
    if g.size < 16:
        return True
    t, _ = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return float((g <= t).mean()) < 0.6


def _stroke_energy(crop_img: np.ndarray) -> np.ndarray:
    """Each row's vertical-stroke energy: the sum of its absolute horizontal grey differences."""
    g = crop_img if crop_img.ndim == 2 else cv2.cvtColor(crop_img, cv2.COLOR_BGR2GRAY)
    return np.abs(np.diff(g.astype(np.int16), axis=1)).sum(axis=1)


def _text_rows(energy: np.ndarray) -> np.ndarray:
    """The rows that hold the plate's text (True): road or car body above or below it in a loose
    crop has less stroke energy (TEXT_ROW_SHARE of the strongest row, smoothed over 3 rows)."""
    return np.convolve(energy, np.ones(3) / 3, mode="same") >= TEXT_ROW_SHARE * energy.max()


def _line_rows(energy: np.ndarray, lo: int, hi: int) -> Tuple[int, int]:
    """Rows [a, b) of the text line in ``energy[lo:hi]``: the run of rows around the strongest
    one whose (smoothed) stroke energy is at least LINE_RUN_SHARE of it, padded by LINE_PAD of its
    height (thin character parts, such as a 7's bar, have little vertical-stroke energy)."""
    e = energy[lo:hi].astype(np.float64)
    if len(e) < 3 or e.max() <= 0:
        return lo, hi
    e = np.convolve(e, np.ones(3) / 3, mode="same")
    k = int(np.argmax(e))
    keep = e >= LINE_RUN_SHARE * e[k]
    a, b = k, k + 1
    while a > 0 and keep[a - 1]:
        a -= 1
    while b < len(e) and keep[b]:
        b += 1
    pad = max(1, int(round(LINE_PAD * (b - a))))
    return lo + max(0, a - pad), lo + min(len(e), b + pad)


def plate_within(crop_img: np.ndarray) -> Optional[np.ndarray]:
    """The square plate in a loose crop, cut out by its light background (the largest light region), or
    None when the crop is not loose around one (the region fills most of it, is small, or is not
    square-plate shaped: a plate half in shadow, or car body as light as the plate).  In a loose crop the
    car body and road around a small plate carry as much stroke energy as the gap between its lines, so
    split_join of the whole crop can cut both lines into each half."""
    if crop_img.ndim != 3 or min(crop_img.shape[:2]) < 12:
        return None
    light = _light_mask(cv2.cvtColor(crop_img, cv2.COLOR_BGR2GRAY))
    n, _, stats, _ = cv2.connectedComponentsWithStats(light, connectivity=8)
    if n < 2:
        return None
    x, y, w, h, _ = stats[1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))]
    H, W = crop_img.shape[:2]
    share = w * h / float(H * W)
    if not (WITHIN_MIN_SHARE <= share <= WITHIN_MAX_SHARE and WITHIN_ASPECT[0] <= w / h <= WITHIN_ASPECT[1]):
        return None
    mx, my = int(round(WITHIN_MARGIN * w)), int(round(WITHIN_MARGIN * h))
    return crop_img[max(0, y - my):min(H, y + h + my), max(0, x - mx):min(W, x + w + mx)]


def two_line_views(crop_img: np.ndarray) -> List[np.ndarray]:
    """A crop that may hold a two-line plate as one line (split_join), and, when it is loose around a
    square plate (plate_within), that plate as one line too: the reader reads both and the better read
    is kept (split_join of the plate alone loses a character now and then where the light region is cut
    short, so it does not replace the first)."""
    views = [split_join(crop_img)]
    plate = plate_within(crop_img)
    if plate is not None:
        views.append(split_join(plate))
    return views


def split_join(crop_img: np.ndarray) -> np.ndarray:
    """A two-line plate as one line: the top line, then the bottom line to its right.
    The split row is the emptiest row (least vertical-stroke energy) in the middle band of the
    rows the text spans; each line is then cut to its own rows (_line_rows), so that in a loose or
    tall crop the two lines still sit level once joined (not the top line low, the bottom one high)."""
    h = crop_img.shape[0]
    if h < 8:
        return crop_img
    energy = _stroke_energy(crop_img)
    # the rows the plate's text spans, then the emptiest row in the middle band of those
    rows = np.nonzero(_text_rows(energy))[0]
    y0, y1 = (int(rows[0]), int(rows[-1]) + 1) if len(rows) and rows[-1] - rows[0] >= 8 else (0, h)
    lo = y0 + int((y1 - y0) * 0.35)
    hi = max(y0 + int((y1 - y0) * 0.65), lo + 1)
    cut = lo + int(np.argmin(energy[lo:hi]))
    (ta, tb), (ba, bb) = _line_rows(energy, 0, cut), _line_rows(energy, cut, h)
    top, bottom = crop_img[ta:tb], crop_img[ba:bb]
    if top.shape[0] < 3 or bottom.shape[0] < 3:
        top, bottom = crop_img[:cut], crop_img[cut:]
    if top.shape[0] < 3 or bottom.shape[0] < 3:
        return crop_img
    hh = max(top.shape[0], bottom.shape[0])
    top = cv2.resize(top, (max(1, int(top.shape[1] * hh / top.shape[0])), hh))
    bottom = cv2.resize(bottom, (max(1, int(bottom.shape[1] * hh / bottom.shape[0])), hh))
    return np.hstack([top, bottom])


def deskew(crop_img: np.ndarray, max_angle: float = 15.0) -> np.ndarray:
    """Rotate a plate crop so its dominant text line is horizontal (small angles only)."""
    g = crop_img if crop_img.ndim == 2 else cv2.cvtColor(crop_img, cv2.COLOR_BGR2GRAY)
    _, th = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    pts = cv2.findNonZero(th)
    if pts is None or len(pts) < 20:
        return crop_img
    (_, _), (w, h), ang = cv2.minAreaRect(pts)
    if w < h:
        ang = ang - 90
    if abs(ang) > max_angle or abs(ang) < 0.5:
        return crop_img
    M = cv2.getRotationMatrix2D((crop_img.shape[1] / 2, crop_img.shape[0] / 2), ang, 1.0)
    return cv2.warpAffine(crop_img, M, (crop_img.shape[1], crop_img.shape[0]), borderMode=cv2.BORDER_REPLICATE)


class MotionGate:
    """Has the frame changed enough since the last frame that passed?  Compares a small,
    blurred grey thumbnail; ``threshold`` = fraction of pixels that changed by > ``delta``."""

    def __init__(self, threshold: float = 0.002, delta: int = 18, width: int = 160):
        self.threshold = threshold
        self.delta = delta
        self.width = width
        self._prev: Optional[np.ndarray] = None

    def _thumb(self, image: np.ndarray) -> np.ndarray:
        g = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        f = self.width / g.shape[1]
        t = cv2.resize(g, (self.width, max(1, int(g.shape[0] * f))), interpolation=cv2.INTER_AREA)
        return cv2.GaussianBlur(t, (5, 5), 0)

    def changed(self, image: np.ndarray) -> bool:
        """True for the first frame and whenever enough pixels changed vs the previous frame."""
        t = self._thumb(image)
        prev, self._prev = self._prev, t
        if prev is None or prev.shape != t.shape:
            return True
        diff = cv2.absdiff(t, prev)
        return float((diff > self.delta).mean()) >= self.threshold

    def reset(self) -> None:
        self._prev = None
