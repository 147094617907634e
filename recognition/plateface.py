"""A UK plate face of our own, drawn from strokes: the shapes of the Charles Wright face (2001).

Real UK plates are set in one typeface, which no Debian or PyPI package ships; the renderer's
stand-ins are narrow and condensed sans faces.  This face follows the rules of the prescribed
font (DVLA, BS AU 145e) in millimetres: characters 79 mm tall and 50 mm wide (but 1 and I), strokes
14 mm, 11 mm between characters, 33 mm between the two groups.  Each glyph is a few centre lines,
straight or along superellipse arcs (the face's squarish rounds), drawn with a 14 mm pen.  It is an
approximation for training and measuring the reader, not a copy of the typeface.
"""
from __future__ import annotations

import functools
import math
from typing import Dict, List, Tuple

from PIL import Image, ImageDraw

# the face's geometry, millimetres
HEIGHT, WIDTH, STROKE, SPACING, GROUP_GAP = 79.0, 50.0, 14.0, 11.0, 33.0
NARROW = {"1": 26.0, "I": 14.0}
FACE_NAME = "uk-plate-face"             # what render.render_plate takes as ``font`` for this face

_P = STROKE / 2                          # centre lines keep half a stroke inside the cell
L, R, T, B = _P, WIDTH - _P, _P, HEIGHT - _P
CX, MY = WIDTH / 2, HEIGHT / 2
RX = (R - L) / 2                         # half the width between the side strokes' centre lines

Point = Tuple[float, float]
Path = List[Point]


def arc(cx: float, cy: float, a: float, b: float, deg0: float, deg1: float, n: float = 2.6,
        steps: int = 24) -> Path:
    """Points along a superellipse |x/a|^n + |y/b|^n = 1 from angle deg0 to deg1 (degrees; 0 is
    right, 90 down, as the image's y runs)."""
    out = []
    for i in range(steps + 1):
        t = math.radians(deg0 + (deg1 - deg0) * i / steps)
        c, s = math.cos(t), math.sin(t)
        out.append((cx + a * math.copysign(abs(c) ** (2 / n), c), cy + b * math.copysign(abs(s) ** (2 / n), s)))
    return out


def _loop(cx: float, cy: float, a: float, b: float, n: float = 2.6) -> Path:
    return arc(cx, cy, a, b, 0, 360, n, 48)


_UPPER = (MY - T) / 2                    # half the height of a character's upper half
_LOWER_BOWL = (B - T) * 0.27             # half the height of 5's, 6's and 9's bowls


def _glyphs() -> Dict[str, List[Path]]:
    up_c, lo_c = T + _UPPER, MY + _UPPER                 # centres of upper and lower halves
    six_c = B - _LOWER_BOWL
    g: Dict[str, List[Path]] = {
        "A": [[(L, B), (CX - 3, T), (CX + 3, T), (R, B)], [(L + 4, MY + 10), (R - 4, MY + 10)]],
        "B": [[(L, T), (L, B)], [(L, T)] + arc(R - _UPPER, up_c, _UPPER, _UPPER, -90, 90) + [(L, MY)],
              [(L, MY)] + arc(R - _UPPER - 1, lo_c, _UPPER + 1, _UPPER, -90, 90) + [(L, B)]],
        "C": [arc(CX, MY, RX, MY - T, -38, -322)],
        "D": [[(L, T), (L, B)], [(L, T)] + arc(L + 8, MY, R - L - 8, MY - T, -90, 90) + [(L, B)]],
        "E": [[(R, T), (L, T), (L, B), (R, B)], [(L, MY), (R - 4, MY)]],
        "F": [[(R, T), (L, T), (L, B)], [(L, MY), (R - 6, MY)]],
        "G": [arc(CX, MY, RX, MY - T, -38, -360) + [(R, MY + 4)], [(R, MY + 4), (CX + 2, MY + 4)]],
        "H": [[(L, T), (L, B)], [(R, T), (R, B)], [(L, MY), (R, MY)]],
        "I": [[(NARROW["I"] / 2, T), (NARROW["I"] / 2, B)]],
        "J": [[(R, T), (R, B - RX)] + arc(CX, B - RX, RX, RX, 0, 160)],
        "K": [[(L, T), (L, B)], [(R, T), (L + 2, MY + 6)], [(L + 13, MY - 3), (R, B)]],
        "L": [[(L, T), (L, B), (R, B)]],
        "M": [[(L, B), (L, T), (CX, MY + 10), (R, T), (R, B)]],
        "N": [[(L, B), (L, T), (R, B), (R, T)]],
        "O": [_loop(CX, MY, RX, MY - T, 2.3)],
        "P": [[(L, B), (L, T)] + arc(R - _UPPER - 2, up_c + 2, _UPPER + 2, _UPPER + 2, -90, 90) + [(L, MY + 4)]],
        "Q": [_loop(CX, MY, RX, MY - T, 2.3), [(CX + 4, B - 16), (R + 3, B + 3)]],
        "R": [[(L, B), (L, T)] + arc(R - _UPPER - 2, up_c + 2, _UPPER + 2, _UPPER + 2, -90, 90) + [(L, MY + 4)],
              [(CX - 2, MY + 4), (R, B)]],
        "S": [arc(CX, up_c, RX, _UPPER, -25, -270) + arc(CX, lo_c, RX, _UPPER, -90, 155)],
        "T": [[(L - 2, T), (R + 2, T)], [(CX, T), (CX, B)]],
        "U": [[(L, T), (L, B - RX)] + arc(CX, B - RX, RX, RX, 180, 0) + [(R, T)]],
        "V": [[(L, T), (CX - 3, B), (CX + 3, B), (R, T)]],
        "W": [[(L - 1, T), (L + 7, B), (CX, T + 22), (R - 7, B), (R + 1, T)]],
        "X": [[(L, T), (R, B)], [(R, T), (L, B)]],
        "Y": [[(L, T), (CX, MY - 2), (R, T)], [(CX, MY - 2), (CX, B)]],
        "Z": [[(L, T), (R, T), (L, B), (R, B)]],
        "0": [_loop(CX, MY, RX - 1, MY - T, 3.2)],
        "1": [[(NARROW["1"] - _P, T), (NARROW["1"] - _P, B)], [(NARROW["1"] - _P, T), (_P, T + 14)]],
        "2": [arc(CX, up_c, RX, _UPPER, 200, 360) + [(L, B), (R, B)]],
        "3": [[(L, T), (R - 2, T), (CX - 2, MY - 3)] + arc(CX, six_c, RX, _LOWER_BOWL + 2, -100, 150)],
        "4": [[(R - 9, B), (R - 9, T), (L, B - 20), (R + 2, B - 20)]],
        "5": [[(R, T), (L + 2, T), (L + 2, MY - 4)] + arc(CX, six_c, RX, _LOWER_BOWL + 2, -125, 150)],
        "6": [_loop(CX, six_c, RX, _LOWER_BOWL), arc(CX, six_c, RX, six_c - T, 180, 282)],
        "7": [[(L, T), (R, T), (CX - 2, B)]],
        "8": [_loop(CX, T + _UPPER - 1, RX - 3, _UPPER - 1), _loop(CX, MY + _UPPER - 1, RX, _UPPER + 1)],
    }
    # 9 is 6 turned half round
    g["9"] = [[(WIDTH - x, HEIGHT - y) for x, y in p] for p in g["6"]]
    return g


GLYPHS = _glyphs()


def width_of(ch: str) -> float:
    return NARROW.get(ch, WIDTH)


SMOOTH_TURN = 40.0                       # degrees: a path turning less at a point is an arc
STRAIGHT_END = 6.0                       # mm: an end segment this long is a straight stroke's


def _turn(a: Point, b: Point, c: Point) -> float:
    """How far a path a -> b -> c turns at b, in degrees."""
    t0, t1 = math.atan2(b[1] - a[1], b[0] - a[0]), math.atan2(c[1] - b[1], c[0] - b[0])
    return abs((math.degrees(t1 - t0) + 180) % 360 - 180)


def _with_square_ends(path: Path) -> Path:
    """The path with each straight end carried on by half a stroke: the pen's flat cap then lies on
    the cell's edge (a stem's foot on the baseline, A's legs cut level by it), not half a stroke
    inside.  Ends along an arc (C, S, J) are cut where the path ends, as the face cuts them."""
    if len(path) < 2 or math.dist(path[0], path[-1]) < 1e-9:
        return path
    out = list(path)
    for end, inner in ((0, 1), (-1, -2)):
        (x0, y0), (x1, y1) = out[end], out[inner]
        n = math.dist((x0, y0), (x1, y1))
        if n > STRAIGHT_END:
            out[end] = (x0 + (x0 - x1) / n * _P, y0 + (y0 - y1) / n * _P)
    return out


@functools.lru_cache(maxsize=256)
def glyph(ch: str, char_h: int) -> Image.Image:
    """One character as an L mask (ink 255) ``char_h`` pixels tall, drawn 4x larger and reduced
    so its edges are anti-aliased."""
    if ch not in GLYPHS:
        raise ValueError(f"the plate face has no {ch!r}")
    k = 4 * char_h / HEIGHT
    im = Image.new("L", (max(1, round(width_of(ch) * k)), 4 * char_h), 0)
    d = ImageDraw.Draw(im)
    pen = max(1, round(STROKE * k))
    for path in GLYPHS[ch]:
        pts = [(x * k, y * k) for x, y in _with_square_ends(path)]
        d.line(pts, fill=255, width=pen, joint="curve")
        # along an arc, and where a loop closes, PIL leaves hairline seams between segments: a
        # disc of the pen at each such point fills them (corners, turning more, keep their shape)
        closed = math.dist(pts[0], pts[-1]) < 1e-6 * k
        for i, p in enumerate(pts):
            if i in (0, len(pts) - 1) and not closed:
                continue
            if 0 < i < len(pts) - 1 and _turn(pts[i - 1], p, pts[i + 1]) > SMOOTH_TURN:
                continue
            d.ellipse([p[0] - pen / 2, p[1] - pen / 2, p[0] + pen / 2, p[1] + pen / 2], fill=255)
    return im.resize((max(1, round(width_of(ch) * char_h / HEIGHT)), char_h), Image.LANCZOS)


def text_layer(text: str, char_h: int) -> Image.Image:
    """``text`` set in the face as the regulations space it: SPACING between characters,
    GROUP_GAP at a space (a dash is set as a space), as an L mask ``char_h`` pixels tall."""
    k = char_h / HEIGHT
    placed: List[Tuple[Image.Image, int]] = []
    x = 0.0
    for ch in text.upper():
        if ch in " -":
            x += (GROUP_GAP - SPACING) * k
            continue
        g = glyph(ch, char_h)
        placed.append((g, round(x)))
        x += g.width + SPACING * k
    width = placed[-1][1] + placed[-1][0].width if placed else 1
    im = Image.new("L", (max(1, width), char_h), 0)
    for p, px in placed:
        im.paste(p, (px, 0), p)
    return im
