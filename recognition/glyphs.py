"""Character swaps on photographed plates: new training plates that look photographed.

A reader fine-tuned on a small set of real photos learns those photos whole (it reads all 111 US
training photos and much less of the evaluation half).  Cutting each photographed plate into its
characters and pasting characters of other photos into it gives many new registrations on real
backgrounds, in real light and real typefaces, so the reader has to learn the characters, not
the pictures.

``segment`` finds one box per character of an annotated plate (connected components of a
thresholded crop; a plate where no threshold gives one component per character is left out),
``Glyph`` holds a character's ink mask and ink coverage, and ``swap`` erases a character and
draws another photo's character in its place, in the plate's own ink colour.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Iterator, List, Optional, Sequence, Tuple

import cv2
import numpy as np

Box = Tuple[int, int, int, int]          # x0, y0, x1, y1 in the image


@dataclass(frozen=True)
class Glyph:
    """One photographed character: its label, its box in the image, its ink mask (uint8 0/255, the
    box's size; what to erase) and its ink coverage (float32 0-1, the box's size; what to draw:
    the grey levels between the plate and the ink keep the photo's own blur and stroke edges)."""
    char: str
    box: Box
    mask: np.ndarray
    alpha: np.ndarray


def _binaries(gray: np.ndarray) -> Iterator[np.ndarray]:
    """Candidate ink masks (ink = 255): Otsu and local mean thresholds, of the crop and of its
    contrast-equalised copy, for dark ink on a light plate and the reverse."""
    block = max(3, (gray.shape[0] // 2) | 1)
    for src in (gray, cv2.createCLAHE(2.0, (4, 4)).apply(gray)):
        for light_ink in (False, True):
            kind = cv2.THRESH_BINARY if light_ink else cv2.THRESH_BINARY_INV
            yield cv2.threshold(src, 0, 255, kind | cv2.THRESH_OTSU)[1]
            yield cv2.adaptiveThreshold(src, 255, cv2.ADAPTIVE_THRESH_MEAN_C, kind, block, 5)


def _characters(binary: np.ndarray, plate_w: int, plate_h: int, n: int) -> Optional[List[Box]]:
    """The boxes of the ``n`` character components of ``binary`` left to right, or None when
    there are not exactly ``n`` of about one height on one line, or one is a blob."""
    k, labels, stats, _ = cv2.connectedComponentsWithStats(binary, 8)
    comps = []
    for i in range(1, k):
        x, y, w, h, area = stats[i]
        if 0.3 * plate_h <= h <= 0.95 * plate_h and 0.02 * plate_w <= w <= 0.25 * plate_w and area >= 0.12 * w * h:
            comps.append(([x, y, x + w, y + h], [i]))
    comps.sort(key=lambda c: c[0][0])
    merged: list = []
    for box, ids in comps:                       # pieces of one broken character overlap in x
        if merged and box[0] < merged[-1][0][2] - 0.5 * (box[2] - box[0]):
            b, i = merged[-1]
            merged[-1] = ([min(b[0], box[0]), min(b[1], box[1]), max(b[2], box[2]), max(b[3], box[3])], i + ids)
        else:
            merged.append((box, ids))
    if len(merged) != n:
        return None
    heights = np.array([b[3] - b[1] for b, _ in merged], float)
    middles = np.array([(b[3] + b[1]) / 2 for b, _ in merged], float)
    median = float(np.median(heights))
    if (abs(heights - median) > 0.2 * median).any() or (abs(middles - np.median(middles)) > 0.2 * median).any():
        return None
    for (x0, y0, x1, y1), ids in merged:
        if not 0.12 <= np.isin(labels[y0:y1, x0:x1], ids).mean() <= 0.8:   # a blob or a hairline
            return None
    return [tuple(box) for box, _ in merged]


def _coverage(gray: np.ndarray, ink: np.ndarray) -> Optional[np.ndarray]:
    """Ink coverage of a character's box: 0 at the plate's level, 1 at the ink's (medians of the
    box's pixels outside and inside the thresholded ink), None when they hardly differ."""
    inside, outside = gray[ink > 0], gray[ink == 0]
    if len(inside) < 4 or len(outside) < 4:
        return None
    level_ink, level_plate = float(np.median(inside)), float(np.median(outside))
    if abs(level_ink - level_plate) < 20:
        return None
    return np.clip((gray.astype(np.float32) - level_plate) / (level_ink - level_plate), 0, 1)


def segment(img: np.ndarray, plate_box: Tuple[int, int, int, int], text: str) -> Optional[List[Glyph]]:
    """One Glyph per character of ``text`` (the plate's registration, no spaces) in the plate at
    ``plate_box`` (x, y, w, h) of ``img`` (BGR), or None when the plate cannot be cut cleanly."""
    x, y, w, h = plate_box
    mx, my = int(0.06 * w), int(0.1 * h)        # the annotated box may clip a character's edge
    X0, Y0 = max(0, x - mx), max(0, y - my)
    crop = img[Y0:y + h + my, X0:x + w + mx]
    if crop.size == 0 or not text:
        return None
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    for binary in _binaries(gray):
        boxes = _characters(binary, w, h, len(text))
        if not boxes:
            continue
        out = []
        for c, (bx0, by0, bx1, by1) in zip(text, boxes):
            mask = binary[by0:by1, bx0:bx1].copy()         # all the ink in the box: broken strokes too
            alpha = _coverage(gray[by0:by1, bx0:bx1], mask)
            if alpha is None:
                break
            out.append(Glyph(c, (bx0 + X0, by0 + Y0, bx1 + X0, by1 + Y0), mask, alpha))
        else:
            return out
    return None


def _erase(img: np.ndarray, g: Glyph) -> Tuple[int, int, int, int]:
    """Inpaint ``g``'s ink (and its blurred rim) away in ``img``, in place, in a patch a little
    larger than its box; returns the patch (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = g.box
    pad = max(2, (y1 - y0) // 6)
    X0, Y0 = max(0, x0 - pad), max(0, y0 - pad)
    X1, Y1 = min(img.shape[1], x1 + pad), min(img.shape[0], y1 + pad)
    hole = np.zeros((Y1 - Y0, X1 - X0), np.uint8)
    hole[y0 - Y0:y1 - Y0, x0 - X0:x1 - X0] = g.mask
    hole = cv2.dilate(hole, np.ones((3, 3), np.uint8), iterations=max(1, (y1 - y0) // 12))
    img[Y0:Y1, X0:X1] = cv2.inpaint(img[Y0:Y1, X0:X1], hole, 3, cv2.INPAINT_TELEA)
    return X0, Y0, X1, Y1


def _draw(img: np.ndarray, alpha: np.ndarray, centre: Tuple[float, float], colour: np.ndarray) -> None:
    """Blend ``colour`` into ``img`` in place with ``alpha`` (h x w, 0-1) centred at ``centre``."""
    th, tw = alpha.shape
    ax, ay = int(round(centre[0] - tw / 2)), int(round(centre[1] - th / 2))
    bx, by = max(0, ax), max(0, ay)
    ex, ey = min(img.shape[1], ax + tw), min(img.shape[0], ay + th)
    if ex <= bx or ey <= by:
        return
    a = alpha[by - ay:ey - ay, bx - ax:ex - ax, None]
    region = img[by:ey, bx:ex].astype(np.float32)
    img[by:ey, bx:ex] = np.clip(region * (1 - a) + colour * a, 0, 255).astype(np.uint8)


def swap(img: np.ndarray, cut: Sequence[Glyph], index: int, donor: Glyph, rng: random.Random) -> np.ndarray:
    """A copy of ``img`` with character ``index`` of the plate ``cut`` (its Glyphs) replaced by
    ``donor``'s shape: the old ink is inpainted away, and the donor's ink coverage, scaled to the
    old character's height (and no wider than its slot), is drawn in the old ink's colour,
    centred where it stood."""
    out = img.copy()
    g = cut[index]
    x0, y0, x1, y1 = g.box
    ink = out[y0:y1, x0:x1][g.mask > 0]
    if not len(ink):
        return out
    colour = ink.reshape(-1, 3).astype(np.float32).mean(0)
    X0, _, X1, _ = _erase(out, g)
    # the slot: between the neighbours' boxes (or the erased patch at the plate's ends)
    left = cut[index - 1].box[2] + 1 if index > 0 else X0
    right = cut[index + 1].box[0] - 1 if index + 1 < len(cut) else X1
    dh, dw = donor.alpha.shape
    th = (y1 - y0) * rng.uniform(0.95, 1.05)
    tw = dw * th / dh
    if tw > right - left:
        th, tw = th * (right - left) / tw, right - left
    th, tw = max(2, int(round(th))), max(1, int(round(tw)))
    alpha = cv2.resize(donor.alpha, (tw, th), interpolation=cv2.INTER_AREA)
    _draw(out, alpha, ((x0 + x1) / 2, (y0 + y1) / 2), colour)
    return out
