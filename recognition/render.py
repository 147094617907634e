"""Synthetic plates: Pillow renderer, random registrations, augmentation, scenes, sample feed.

Everything takes an explicit seed / ``random.Random`` so outputs are reproducible.
"""
from __future__ import annotations

import functools
import json
import math
import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from . import plateface

# Debian's font packages (scripts/system-packages.sh installs them all, so every machine renders
# the same plates from the same seed): fonts-dejavu-core/-extra, fonts-liberation,
# fonts-freefont-ttf, fonts-roboto-unhinted, fonts-urw-base35, fonts-opendin, fonts-open-sans,
# fonts-b612, fonts-bebas-neue.  Narrow and condensed bold faces and Open DIN (DIN 1451, the
# older German plate and road-sign face) stand in for the plate typefaces (Charles Wright,
# FE-Schrift, state fonts) that Debian lacks.  The UK's Charles Wright face is also drawn from
# strokes by plateface.py, where asked (``font=plateface.FACE_NAME``; random_plate's ``uk_face``).
FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation",
             "/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/freefont",
             "/usr/share/fonts/truetype/roboto/unhinted", "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF",
             "/usr/share/fonts/opentype/urw-base35", "/usr/share/fonts/truetype/opendin",
             "/usr/share/fonts/truetype/open-sans", "/usr/share/fonts/opentype/b612",
             "/usr/share/fonts/opentype/bebas-neue"]
_PLATE_FONT_NAMES = [
    "DejaVuSans-Bold.ttf", "DejaVuSansCondensed-Bold.ttf", "DejaVuSansMono-Bold.ttf",
    "LiberationSans-Bold.ttf", "LiberationSansNarrow-Bold.ttf", "LiberationMono-Bold.ttf",
    "DejaVuSans.ttf", "DejaVuSansCondensed.ttf", "LiberationSans-Regular.ttf",
    "LiberationSansNarrow-Regular.ttf", "DejaVuSerif-Bold.ttf", "LiberationSerif-Bold.ttf",
    "FreeSansBold.ttf", "FreeMonoBold.ttf", "RobotoCondensed-Bold.ttf", "RobotoCondensed-Medium.ttf",
    "Roboto-Bold.ttf", "NimbusSansNarrow-Bold.otf", "NimbusSans-Bold.otf",
    "OSP-DIN.ttf", "OpenSans-CondBold.ttf", "B612-Bold.otf",
]
# Condensed faces nearest the US plate typefaces (tall narrow glyphs; a W whose middle apex rises
# to full height): Bebas Neue (fonts-bebas-neue).  Drawn only where asked (random_plate's
# ``faces``), never by default, so that the seeded benchmark sets keep their plates.
_PLATE_FACE_NAMES = ["BebasNeue-Regular.otf", "BebasNeue-Bold.otf"]
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
UK_YELLOW = (247, 209, 23)
UK_WHITE = (250, 250, 248)
EU_BLUE = (0, 51, 153)


def _find_fonts(names: Sequence[str]) -> Tuple[str, ...]:
    out, missing = [], []
    for name in names:
        found = next((os.path.join(d, name) for d in FONT_DIRS if os.path.exists(os.path.join(d, name))), None)
        (out if found else missing).append(found or name)
    if missing:
        raise RuntimeError(f"plate fonts missing: {', '.join(missing)}; install them with scripts/system-packages.sh "
                           "(`make test` and `make run` do)")
    return tuple(out)


@functools.lru_cache(maxsize=1)
def available_fonts() -> Tuple[str, ...]:
    """Paths of the plate fonts.  Every one must be there: a missing font would quietly change
    what a seed renders (training data and benchmark sets would differ between machines)."""
    return _find_fonts(_PLATE_FONT_NAMES)


@functools.lru_cache(maxsize=1)
def plate_faces() -> Tuple[str, ...]:
    """Paths of the condensed plate-like faces (see _PLATE_FACE_NAMES)."""
    return _find_fonts(_PLATE_FACE_NAMES)


_FONT_CACHE: dict = {}


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    key = (path, size)
    f = _FONT_CACHE.get(key)
    if f is None:
        f = _FONT_CACHE[key] = ImageFont.truetype(path, size)
    return f


# ----------------------------------------------------------------------------- registrations
_UK_AGE = ["51", "02", "52", "03", "53", "04", "54", "05", "55", "06", "56", "07", "57", "08", "58",
           "09", "59", "10", "60", "11", "61", "12", "62", "13", "63", "14", "64", "15", "65", "16",
           "66", "17", "67", "18", "68", "19", "69", "20", "70", "21", "71", "22", "72", "23", "73",
           "24", "74", "25", "75", "26"]
_UK_MEMORY = "ABCDEFGHJKLMNOPRSTUVWXY"   # no I, Q, Z in first position
_UK_RANDOM = "ABCDEFGHJKLMNOPRSTUVWXYZ"  # no I, Q
_NI_CODES = ["AZ", "BZ", "CZ", "DZ", "EZ", "FZ", "GZ", "HZ", "IA", "IB", "IG", "IJ", "IL", "IW",
             "JZ", "KZ", "LZ", "MZ", "NZ", "OI", "OZ", "PZ", "RZ", "SZ", "TZ", "UI", "UZ", "WZ", "XI", "YZ"]
UK_FORMATS = ["current", "prefix", "suffix", "dateless", "ni"]


def random_uk_registration(rng: random.Random, fmt: Optional[str] = None) -> Tuple[str, str, str]:
    """Return (registration without spaces, display text with the usual space, format name)."""
    fmt = fmt or rng.choices(UK_FORMATS, weights=[60, 15, 10, 8, 7])[0]
    c = rng.choice
    if fmt == "current":
        a = c(_UK_MEMORY) + c(_UK_RANDOM) + c(_UK_AGE)
        b = "".join(c(_UK_RANDOM) for _ in range(3))
    elif fmt == "prefix":
        a = c("ABCDEFGHJKLMNPRSTVWXY") + str(rng.randint(1, 999))
        b = "".join(c(_UK_RANDOM) for _ in range(3))
    elif fmt == "suffix":
        a = "".join(c(_UK_RANDOM) for _ in range(3))
        b = str(rng.randint(1, 999)) + c("ABCDEFGHJKLMNPRSTVWXY")
    elif fmt == "dateless":
        if rng.random() < 0.5:
            a = "".join(c(_UK_RANDOM) for _ in range(rng.randint(1, 3)))
            b = str(rng.randint(1, 999))
        else:
            a = str(rng.randint(1, 9999))
            b = "".join(c(_UK_RANDOM) for _ in range(rng.randint(1, 2)))
    elif fmt == "ni":
        a = (c(_UK_RANDOM) if rng.random() < 0.7 else "") + c(_NI_CODES)
        b = str(rng.randint(1, 9999))
    else:
        raise ValueError(fmt)
    return a + b, a + " " + b, fmt


def random_us_text(rng: random.Random) -> Tuple[str, str]:
    """US-ish registration: (label, display)."""
    kind = rng.random()
    if kind < 0.3:
        s = str(rng.randint(1, 9)) + "".join(rng.choice(LETTERS) for _ in range(3)) + "".join(rng.choice(DIGITS) for _ in range(3))
        return s, s[:4] + " " + s[4:] if rng.random() < 0.4 else s
    if kind < 0.55:
        a = "".join(rng.choice(LETTERS) for _ in range(3)); b = "".join(rng.choice(DIGITS) for _ in range(rng.choice([3, 4])))
        return a + b, a + rng.choice([" ", "-", "", " "]) + b
    n = rng.choice([5, 6, 6, 7, 7])
    s = "".join(rng.choice(LETTERS + DIGITS + DIGITS) for _ in range(n))
    if rng.random() < 0.3:
        k = rng.randint(2, n - 2)
        return s, s[:k] + rng.choice([" ", "-"]) + s[k:]
    return s, s


def random_eu_text(rng: random.Random) -> Tuple[str, str, str]:
    """EU-ish registration: (label, display, country letter).  Shapes: French / Italian
    ``AB-123-CD``, German ``B MW 1234``, Spanish ``1234 BCD``, Portuguese / old Dutch ``AB-12-CD``,
    and (band NL / PL) Dutch ``AB-123-C`` / ``A-123-BC`` and Polish ``WX 1234A`` / ``WE 12345``."""
    country = rng.choice(["D", "F", "NL", "B", "I", "E", "PL", "IRL", "A", "CZ"])
    k = rng.random()
    L = lambda n: "".join(rng.choice(LETTERS) for _ in range(n))
    N = lambda n: "".join(rng.choice(DIGITS) for _ in range(n))
    if k < 0.25:
        a, b, d = L(2), N(3), L(2); disp = f"{a}-{b}-{d}"
    elif k < 0.45:
        a, b, d = L(rng.randint(1, 3)), L(rng.randint(1, 2)), N(rng.randint(1, 4)); disp = f"{a} {b} {d}"
    elif k < 0.62:
        a, b = N(4), L(3); disp = f"{a} {b}"
    elif k < 0.76:
        a, b, d = L(2), N(2), L(2); disp = f"{a}-{b}-{d}"
    elif k < 0.88:
        country = "NL"
        disp = f"{L(2)}-{N(3)}-{L(1)}" if rng.random() < 0.5 else f"{L(1)}-{N(3)}-{L(2)}"
    else:
        country = "PL"
        disp = f"{L(2)} {N(4)}{L(1)}" if rng.random() < 0.5 else f"{L(2)} {N(5)}"
    return disp.replace("-", "").replace(" ", ""), disp, country


# ----------------------------------------------------------------------------- plate rendering
def _text_layer(text: str, font_path: str, char_h: int) -> Image.Image:
    """Render text as an L mask cropped to its ink, scaled so capital height == char_h."""
    if font_path == plateface.FACE_NAME:
        return plateface.text_layer(text, char_h)
    size = int(char_h * 1.45)
    f = _font(font_path, size)
    x0, y0, x1, y1 = f.getbbox(text)
    im = Image.new("L", (x1 - x0 + 4, y1 - y0 + 4), 0)
    ImageDraw.Draw(im).text((2 - x0, 2 - y0), text, font=f, fill=255)
    bb = im.getbbox()
    if bb is None:
        return Image.new("L", (1, char_h), 0)
    im = im.crop(bb)
    scale = char_h / im.height
    return im.resize((max(1, int(im.width * scale)), char_h), Image.LANCZOS)


def _cell_layer(text: str, font_path: str, char_h: int, rng: random.Random) -> Image.Image:
    """Text as plate typefaces set it: one character per cell of equal width (every character of
    the UK's Charles Wright face is 50 mm wide but 1 and I; US and most European plates are
    monospaced too).  Wide letters (W, M) are squeezed into the cell, narrow ones centred in it;
    a space is half a cell, a dash a short bar.  Proportional fonts set W and M far wider than
    plates do (tried against the US W misreads, stage J in the model card: no cure)."""
    cell = int(char_h * rng.uniform(0.45, 0.62))
    gap = max(1, int(cell * rng.uniform(0.08, 0.25)))
    pieces = []
    for ch in text:
        if ch == " ":
            pieces.append(("gap", cell // 2))
        elif ch == "-":
            pieces.append(("dash", max(2, int(cell * 0.45))))
        else:
            g = _text_layer(ch, font_path, char_h)
            if g.width > cell:
                g = g.resize((cell, char_h), Image.LANCZOS)
            pieces.append(("glyph", g))
    width = sum((cell if kind == "glyph" else v) + gap for kind, v in pieces) - gap
    im = Image.new("L", (max(1, width), char_h), 0)
    x = 0
    for kind, v in pieces:
        if kind == "glyph":
            im.paste(v, (x + (cell - v.width) // 2, 0))
            x += cell + gap
        else:
            if kind == "dash":
                t = max(1, char_h // 10)
                ImageDraw.Draw(im).rectangle([x, char_h // 2 - t, x + v - 1, char_h // 2 + t], fill=255)
            x += v + gap
    return im


def _registration_layer(text: str, font_path: str, char_h: int, rng: random.Random, cells: bool) -> Image.Image:
    return _cell_layer(text, font_path, char_h, rng) if cells else _text_layer(text, font_path, char_h)


def _fit(layer: Image.Image, max_w: int, squeeze: float = 1.0) -> Image.Image:
    w = int(layer.width * squeeze)
    if w > max_w:
        w = max_w
    return layer.resize((max(1, w), layer.height), Image.LANCZOS)


def _paste_text(plate: Image.Image, layer: Image.Image, cx: int, cy: int, color) -> None:
    solid = Image.new("RGB", layer.size, color)
    plate.paste(solid, (int(cx - layer.width / 2), int(cy - layer.height / 2)), layer)


# Raised characters, legal on UK plates that meet BS AU 145e and common on the road: "gel" (3D: domed
# resin, a glossy highlight along one side of every stroke) and "acrylic" (4D: laser-cut letters standing
# 3 mm proud, with their side wall and a shadow showing beside them).
RAISED_STYLES = ("gel", "acrylic")


def _shifted(mask: np.ndarray, dx: int, dy: int) -> np.ndarray:
    out = np.zeros_like(mask)
    h, w = mask.shape
    out[max(0, dy):h + min(0, dy), max(0, dx):w + min(0, dx)] = \
        mask[max(0, -dy):h + min(0, -dy), max(0, -dx):w + min(0, -dx)]
    return out


def _paste_raised(plate: Image.Image, layer: Image.Image, cx: int, cy: int, color, bg, style: str,
                  rng: random.Random) -> None:
    """``layer`` pasted as raised characters of ``style`` (RAISED_STYLES) in ``color`` on a plate of
    colour ``bg``."""
    pad = max(2, layer.height // 6)
    mask = np.pad(np.asarray(layer, np.float32) / 255.0, pad)
    x0, y0 = int(cx - layer.width / 2) - pad, int(cy - layer.height / 2) - pad
    box = (x0, y0, x0 + mask.shape[1], y0 + mask.shape[0])
    region = np.asarray(plate.crop(box), np.float32)
    bg = np.asarray(bg, np.float32)
    ink = np.asarray(color, np.float32)
    unit = layer.height / 100.0         # offsets in hundredths of the character height

    def over(img, m, col):
        return img * (1 - m[..., None]) + np.asarray(col, np.float32) * m[..., None]

    if style == "acrylic":
        sdx, sdy = round(rng.uniform(-4, 4) * unit), round(rng.uniform(3, 8) * unit)
        shadow = cv2.GaussianBlur(_shifted(mask, sdx, sdy), (0, 0), max(0.5, 2 * unit))
        region = over(region, shadow * rng.uniform(0.35, 0.6), bg * 0.35)
        ang = rng.uniform(0, 2 * math.pi)
        depth = rng.uniform(1.5, 4) * unit
        wall = np.zeros_like(mask)
        for k in range(1, max(2, round(depth)) + 1):      # the letters' side wall, seen at an angle
            wall = np.maximum(wall, _shifted(mask, round(k * math.cos(ang)), round(k * math.sin(ang))))
        region = over(region, wall, ink + rng.uniform(30, 80))
        region = over(region, mask, ink)
    elif style == "gel":
        region = over(region, mask, ink)
        t = max(1, round(rng.uniform(2, 5) * unit))
        dx, dy = rng.choice([(t, t), (-t, t), (0, t), (t, 0)])
        rim = np.clip(mask - _shifted(mask, dx, dy), 0, 1)        # one side of every stroke catches the light
        rim = cv2.GaussianBlur(rim, (0, 0), max(0.5, unit))
        region = over(region, rim * rng.uniform(0.4, 0.8), np.minimum(bg, 235))
    else:
        raise ValueError(f"unknown raised style {style!r} (expected one of {RAISED_STYLES})")
    plate.paste(Image.fromarray(np.clip(region, 0, 255).astype(np.uint8)), box[:2])


def _eu_band(plate: Image.Image, band_w: int, label: str, rng: random.Random, font_path: str) -> None:
    d = ImageDraw.Draw(plate)
    H = plate.height
    d.rectangle([0, 0, band_w, H], fill=EU_BLUE)
    if rng.random() < 0.7:  # ring of stars
        cx, cy, r = band_w / 2, H * 0.3, band_w * 0.28
        for i in range(12):
            a = 2 * math.pi * i / 12
            x, y = cx + r * math.cos(a), cy + r * math.sin(a)
            s = max(1, band_w * 0.04)
            d.ellipse([x - s, y - s, x + s, y + s], fill=(255, 204, 0))
    if label:
        lay = _text_layer(label, font_path, max(4, int(H * 0.22)))
        lay = _fit(lay, int(band_w * 0.9))
        _paste_text(plate, lay, int(band_w / 2), int(H * 0.75), (255, 255, 255))


# What real continental plates carry beside the registration, drawn where asked (render_plate's and
# random_plate's ``marks``): a French plate's second blue band, at the right, with a regional logo
# above the department number; an Italian one's with the year; a German plate's two round seals
# (the inspection sticker above the state seal) between the district and the rest.  Nothing of it
# is part of the registration: the reader must learn to leave it out.
FRENCH_DEPARTMENTS = ("75", "13", "69", "33", "59", "2A", "2B", "974", "06", "31", "67", "44")
SEAL_COLOURS = ((236, 120, 40), (60, 140, 220), (240, 215, 40), (150, 90, 50), (225, 90, 160), (70, 170, 80))


def _marks_of(country: Optional[str], display: str) -> Optional[str]:
    """Which marks a plate of ``country`` showing ``display`` carries when drawn with them: "seals"
    (German, "B MW 1234"), "band" (French or Italian) or None."""
    if country == "D" and display.count(" ") == 2:
        return "seals"
    return "band" if country in ("F", "I") else None


def _right_band(plate: Image.Image, band_w: int, country: str, rng: random.Random, font_path: str) -> None:
    W, H = plate.size
    x0 = W - band_w
    d = ImageDraw.Draw(plate)
    d.rectangle([x0, 0, W, H], fill=EU_BLUE)
    if country == "F":      # a regional logo above the department number
        logo = tuple(rng.randint(0, 255) for _ in range(3))
        d.rectangle([x0 + band_w * 0.15, H * 0.1, W - band_w * 0.15, H * 0.52], fill=logo)
        text, y = rng.choice(FRENCH_DEPARTMENTS), 0.76
    else:                   # Italy: the year of registration at the top (the province below, often left blank)
        text, y = f"{rng.randint(0, 99):02d}", 0.27
        if rng.random() < 0.5:
            below = _fit(_text_layer("".join(rng.choice(LETTERS) for _ in range(2)), font_path, max(4, int(H * 0.2))),
                         int(band_w * 0.8))
            _paste_text(plate, below, x0 + band_w // 2, int(H * 0.73), (255, 255, 255))
    lay = _fit(_text_layer(text, font_path, max(4, int(H * 0.24))), int(band_w * 0.85))
    _paste_text(plate, lay, x0 + band_w // 2, int(H * y), (255, 255, 255))


def _german_registration(plate: Image.Image, display: str, font: str, char_h: int, rng: random.Random,
                         cells: bool, room: int, cx: int) -> None:
    """A German registration "B MW 1234": the district, a gap holding the two seals, the rest."""
    H = plate.height
    district, rest = display.split(" ", 1)
    a = _registration_layer(district, font, char_h, rng, cells)
    b = _registration_layer(rest, font, char_h, rng, cells)
    gap = int(char_h * 0.75)
    joined = Image.new("L", (a.width + gap + b.width, char_h), 0)
    joined.paste(a, (0, 0)); joined.paste(b, (a.width + gap, 0))
    lay = _fit(joined, room, rng.uniform(0.8, 1.0))
    _paste_text(plate, lay, cx, H // 2, (15, 15, 15))
    scale = lay.width / joined.width
    sx = cx - lay.width / 2 + (a.width + gap / 2) * scale
    r = min(gap * scale * 0.38, H * 0.2)
    d = ImageDraw.Draw(plate)
    top, low = H * 0.5 - r * 1.05, H * 0.5 + r * 1.05
    d.ellipse([sx - r, top - r, sx + r, top + r], fill=rng.choice(SEAL_COLOURS), outline=(40, 40, 40))
    d.ellipse([sx - r, low - r, sx + r, low + r], fill=(205, 205, 200), outline=(90, 90, 90))
    arms = rng.choice([(40, 40, 40), (180, 30, 30), (30, 60, 160)])
    d.ellipse([sx - r * 0.45, low - r * 0.45, sx + r * 0.45, low + r * 0.45], fill=arms)


def render_plate(display: str, style: str = "uk", rng: Optional[random.Random] = None, *,
                 rear: Optional[bool] = None, band: Optional[bool] = None, two_line: Optional[bool] = None,
                 font: Optional[str] = None, char_h: int = 80, band_label: Optional[str] = None,
                 cells: bool = False, marks: bool = False, raised: Optional[str] = None) -> Image.Image:
    """Render a clean plate image (RGB).  ``display`` may contain spaces/dashes (drawn as gaps).
    ``cells``: the registration set one character per equal-width cell (see _cell_layer).
    ``marks`` (style "eu"): what real plates carry beside the registration, by ``band_label``: a
    French or Italian plate's right-hand band, a German plate's seals (display "B MW 1234").
    ``raised`` (style "uk"): the characters raised, one of RAISED_STYLES (None: printed flat).

    style: "uk" (white front / yellow rear, optional blue identifier band, one or two lines),
    "eu" (white, blue EU band with a country letter) or "us" (2:1, state name and slogan).
    """
    rng = rng or random.Random(0)
    fonts = available_fonts()
    font = font or (fonts[0] if style == "uk" and rng.random() < 0.5 else rng.choice(fonts))
    if style == "uk":
        rear = rng.random() < 0.5 if rear is None else rear
        band = rng.random() < 0.5 if band is None else band
        two_line = rng.random() < 0.15 if two_line is None else two_line
        bg = UK_YELLOW if rear else UK_WHITE
        if not two_line:
            H = int(char_h * 111 / 79); W = int(H * 520 / 111)
        else:
            H = int(char_h * 2.55); W = int(H * 1.4)
        plate = Image.new("RGB", (W, H), bg)
        band_w = int(H * 0.38) if (band and not two_line) else (int(W * 0.14) if band else 0)
        if band:
            _eu_band(plate, band_w, band_label or rng.choice(["UK", "GB", "UK", "CYM", "SCO", "ENG", ""]), rng, fonts[0])
        ink = (15, 15, 15)

        def paste(lay, x, y):
            if raised:
                _paste_raised(plate, lay, x, y, ink, bg, raised, rng)
            else:
                _paste_text(plate, lay, x, y, ink)
        avail = W - band_w - int(H * 0.25)
        cx = band_w + (W - band_w) // 2
        if not two_line:
            lay = _fit(_registration_layer(display, font, char_h, rng, cells), avail, rng.uniform(0.85, 1.05))
            paste(lay, cx, H // 2)
        else:
            parts = display.split(" ", 1) if " " in display else [display[:len(display) // 2], display[len(display) // 2:]]
            for i, p in enumerate(parts):
                lay = _fit(_registration_layer(p, font, char_h, rng, cells), avail)
                paste(lay, cx, int(H * (0.27 + 0.46 * i)))
        if rng.random() < 0.3:  # dealer line
            d = ImageDraw.Draw(plate)
            small = _font(fonts[0], max(6, int(H * 0.08)))
            d.text((cx - W * 0.2, H * 0.89), rng.choice(["MOTORS LTD", "AUTO CENTRE", "GARAGE", "PLATES"]), font=small, fill=(60, 60, 60))
    elif style == "eu":
        H = int(char_h * 1.45); W = int(H * 4.6)
        bg = (250, 250, 250) if rng.random() < 0.8 else UK_YELLOW   # drawn for every plate: one rng stream
        plate = Image.new("RGB", (W, H), UK_YELLOW if band_label == "NL" else bg)     # Dutch plates are yellow
        band_w = int(H * 0.36)
        _eu_band(plate, band_w, band_label or "D", rng, fonts[0])
        drawn = _marks_of(band_label, display) if marks else None
        right = drawn == "band"
        room = W - band_w - (band_w if right else 0) - int(H * 0.25)
        cx = band_w + (W - band_w - (band_w if right else 0)) // 2
        if drawn == "seals":
            _german_registration(plate, display, font, char_h, rng, cells, room, cx)
        else:
            lay = _fit(_registration_layer(display, font, char_h, rng, cells), room, rng.uniform(0.8, 1.0))
            _paste_text(plate, lay, cx, H // 2, (15, 15, 15))
        if right:
            _right_band(plate, band_w, band_label, rng, fonts[0])
    elif style == "us":
        H = int(char_h * rng.uniform(1.8, 2.2)); W = int(H * 2)
        bgc = rng.choice([(250, 250, 250), (240, 240, 230), (230, 238, 250), (250, 245, 220), (235, 245, 235)])
        plate = Image.new("RGB", (W, H), bgc)
        d = ImageDraw.Draw(plate)
        if rng.random() < 0.4:  # gradient / picture band
            top = tuple(int(v) for v in np.clip(np.array(bgc) - rng.randint(20, 90), 0, 255))
            for y in range(H):
                t = y / H
                d.line([(0, y), (W, y)], fill=tuple(int(top[k] * (1 - t) + bgc[k] * t) for k in range(3)))
        ink = rng.choice([(15, 15, 15), (20, 30, 110), (140, 20, 20), (20, 80, 30), (15, 15, 15)])
        state = rng.choice(["CALIFORNIA", "TEXAS", "New York", "Florida", "OHIO", "ILLINOIS", "Arizona",
                            "NEVADA", "Virginia", "Michigan", "GEORGIA", "Oregon", "COLORADO", "Maryland"])
        sl = _fit(_text_layer(state, rng.choice(fonts), int(H * rng.uniform(0.1, 0.17))), int(W * 0.7))
        _paste_text(plate, sl, W // 2, int(H * 0.14), rng.choice([ink, (140, 20, 20), (20, 30, 110)]))
        if rng.random() < 0.7:
            slogan = rng.choice(["Sunshine State", "DMV.CA.GOV", "LAND OF LINCOLN", "Great Lakes",
                                 "EMPIRE STATE", "Grand Canyon State", "THE LONE STAR STATE", "Peach State"])
            sl2 = _fit(_text_layer(slogan, rng.choice(fonts), int(H * rng.uniform(0.07, 0.11))), int(W * 0.7))
            _paste_text(plate, sl2, W // 2, int(H * 0.88), ink)
        lay = _fit(_registration_layer(display, font, int(char_h * rng.uniform(0.85, 1.0)), rng, cells), int(W * 0.9), rng.uniform(0.8, 1.1))
        _paste_text(plate, lay, W // 2, int(H * rng.uniform(0.5, 0.56)), ink)
        if rng.random() < 0.5:  # registration stickers in the corners
            for corner in rng.sample([0, 1], rng.randint(1, 2)):
                sw, sh = int(W * 0.12), int(H * 0.16)
                x = int(W * 0.03) if corner == 0 else W - sw - int(W * 0.03)
                col = tuple(rng.randint(0, 255) for _ in range(3))
                d.rectangle([x, int(H * 0.04), x + sw, int(H * 0.04) + sh], fill=col)
    else:
        raise ValueError(style)
    if rng.random() < 0.6:  # thin border
        d = ImageDraw.Draw(plate)
        d.rectangle([1, 1, plate.width - 2, plate.height - 2], outline=(30, 30, 30), width=max(1, plate.height // 40))
    return plate


def render_uk_plate(rng: random.Random, fmt: Optional[str] = None, **kw) -> Tuple[Image.Image, str, str]:
    """Random UK registration rendered: (image, label, format)."""
    label, display, f = random_uk_registration(rng, fmt)
    return render_plate(display, "uk", rng, **kw), label, f


def drawing_options(rng: random.Random, cells: float = 0.0, faces: float = 0.0) -> dict:
    """render_plate keywords for a plate: set in cells with probability ``cells``, in a plate face
    with probability ``faces``.  A share of 0 draws nothing from ``rng``, so a seed gives the same
    plates as before the options."""
    kw = {"cells": rng.random() < cells} if cells else {}
    if faces and rng.random() < faces:
        kw["font"] = rng.choice(plate_faces())
    return kw


def random_plate(rng: random.Random, weights=(0.55, 0.3, 0.15), cells: float = 0.0,
                 faces: float = 0.0, two_line: float = 0.15, marks: float = 0.0,
                 uk_face: float = 0.0, raised: float = 0.0) -> Tuple[Image.Image, str, str]:
    """A random plate of style uk/us/eu: (image, label, style); style "uk2" = two-line UK.
    ``cells``, ``faces``: see drawing_options; ``two_line``: share of the UK plates drawn on two lines;
    ``marks``: share of the continental plates drawn with their marks (see eu_plate; 0 draws nothing);
    ``uk_face``: share of the UK plates drawn in the UK plate face (plateface; 0 draws nothing);
    ``raised``: share of the UK plates with raised characters (a style of RAISED_STYLES; 0 draws nothing)."""
    style = rng.choices(["uk", "us", "eu"], weights=weights)[0]
    kw = drawing_options(rng, cells, faces)
    if style == "uk":
        two = rng.random() < two_line
        if uk_face and rng.random() < uk_face:
            kw["font"] = plateface.FACE_NAME
        if raised and rng.random() < raised:
            kw["raised"] = rng.choice(RAISED_STYLES)
        im, label, _ = render_uk_plate(rng, two_line=two, **kw)
        style = "uk2" if two else "uk"
    elif style == "us":
        label, disp = random_us_text(rng)
        im = render_plate(disp, "us", rng, **kw)
    else:
        im, label = eu_plate(rng, marks, **kw)
    return im, label, style


def eu_plate(rng: random.Random, marks: float = 0.0, info: Optional[dict] = None, **kw) -> Tuple[Image.Image, str]:
    """A random continental plate: (image, label).  With probability ``marks`` (nothing drawn from
    ``rng`` for it at 0) it carries the marks of its country's plates, the country then set by the
    registration's shape: German for "B MW 1234", French or Italian for "AB-123-CD".  ``info``, when
    given, gets ``marks``: "seals", "band" or None (what was drawn)."""
    label, disp, country = random_eu_text(rng)
    with_marks = marks > 0 and rng.random() < marks
    if with_marks and disp.count(" ") == 2:
        country = "D"
    elif with_marks and disp.count("-") == 2 and len(label) == 7:
        country = rng.choice(["F", "F", "I"])
    if info is not None:        # as render_plate draws them (a French or Italian band on any shape)
        info["marks"] = _marks_of(country, disp) if with_marks else None
    return render_plate(disp, "eu", rng, band_label=country, marks=with_marks, **kw), label


# ----------------------------------------------------------------------------- augmentation
def _rand_color(rng: random.Random) -> Tuple[int, int, int]:
    base = rng.choice([(20, 20, 20), (200, 200, 205), (240, 240, 240), (120, 10, 10), (10, 40, 120),
                       (90, 90, 95), (30, 70, 40), (160, 150, 140)])
    return tuple(int(np.clip(v + rng.randint(-25, 25), 0, 255)) for v in base)


def _context(plate: np.ndarray, rng: random.Random, frame: bool) -> Tuple[np.ndarray, np.ndarray]:
    """Plate on a car-body-like background.  Returns (image, plate corners 4x2)."""
    h, w = plate.shape[:2]
    mx, my = int(w * 0.5), int(h * 1.2)
    H, W = h + 2 * my, w + 2 * mx
    bg = np.empty((H, W, 3), np.uint8)
    bg[:] = _rand_color(rng)
    # gradient, bumper lines, random blobs / text-like clutter
    g = np.linspace(rng.uniform(-40, 0), rng.uniform(0, 40), H, dtype=np.float32)[:, None, None]
    bg = np.clip(bg.astype(np.float32) + g, 0, 255).astype(np.uint8)
    for _ in range(rng.randint(0, 3)):
        y = rng.randint(0, H - 1)
        cv2.line(bg, (0, y), (W, y + rng.randint(-5, 5)), _rand_color(rng), rng.randint(1, max(2, h // 8)))
    for _ in range(rng.randint(0, 2)):
        x, y = rng.randint(0, W - 1), rng.randint(0, H - 1)
        cv2.rectangle(bg, (x, y), (x + rng.randint(5, w // 3), y + rng.randint(5, h // 2)), _rand_color(rng), -1)
    x0, y0 = mx, my
    if frame:
        t = max(2, int(h * rng.uniform(0.06, 0.2)))
        fc = (15, 15, 15) if rng.random() < 0.7 else _rand_color(rng)
        cv2.rectangle(bg, (x0 - t, y0 - t), (x0 + w + t, y0 + h + int(t * rng.uniform(1, 2.5))), fc, -1)
    bg[y0:y0 + h, x0:x0 + w] = plate
    corners = np.array([[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h]], np.float32)
    return bg, corners


def _perspective(img: np.ndarray, corners: np.ndarray, rng: random.Random, strength: float) -> Tuple[np.ndarray, np.ndarray]:
    H, W = img.shape[:2]
    src = np.array([[0, 0], [W, 0], [W, H], [0, H]], np.float32)
    cw = corners[1, 0] - corners[0, 0]
    ch = corners[3, 1] - corners[0, 1]
    d = np.array([[rng.uniform(-1, 1) * cw, rng.uniform(-1, 1) * ch] for _ in range(4)], np.float32) * strength
    ang = math.radians(rng.uniform(-6, 6) * strength / 0.08)
    c, s = math.cos(ang), math.sin(ang)
    ctr = np.array([W / 2, H / 2], np.float32)
    dst = (src - ctr) @ np.array([[c, -s], [s, c]], np.float32).T + ctr + d
    M = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    out = cv2.warpPerspective(img, M, (W, H), borderMode=cv2.BORDER_REPLICATE)
    pc = cv2.perspectiveTransform(corners[None], M)[0]
    return out, pc


def degrade(img: np.ndarray, rng: random.Random, strength: float = 1.0, info: Optional[dict] = None) -> np.ndarray:
    """Blur, noise, low light / over-exposure, colour cast, JPEG.  ``img`` BGR uint8.  ``info``, when given, is
    filled with what was done (blur_sigma, motion_px, noise_sigma: 0 when not applied; jpeg_quality: None), so a
    benchmark can report accuracy by how hard a sample was; it draws nothing from ``rng``."""
    done = {"blur_sigma": 0.0, "motion_px": 0, "noise_sigma": 0.0, "jpeg_quality": None}
    out = img.astype(np.float32)
    if rng.random() < 0.5 * strength:  # light level
        gamma = rng.uniform(0.5, 2.2)
        out = 255.0 * (out / 255.0) ** gamma
    if rng.random() < 0.5 * strength:
        out = out * rng.uniform(0.35, 1.2) + rng.uniform(-30, 30)
    if rng.random() < 0.3 * strength:  # colour cast
        out = out * np.array([rng.uniform(0.8, 1.2) for _ in range(3)], np.float32)
    if rng.random() < 0.15 * strength:  # uneven light / shadow
        H, W = out.shape[:2]
        x = rng.randint(0, W)
        out[:, x:] *= rng.uniform(0.4, 0.8)
    out = np.clip(out, 0, 255).astype(np.uint8)
    if rng.random() < 0.5 * strength:
        k = rng.choice([3, 3, 5])
        done["blur_sigma"] = rng.uniform(0.3, 1.5)
        out = cv2.GaussianBlur(out, (k, k), done["blur_sigma"])
    if rng.random() < 0.15 * strength:  # motion blur
        k = done["motion_px"] = rng.randint(3, 7)
        kern = np.zeros((k, k), np.float32); kern[k // 2, :] = 1.0 / k
        out = cv2.filter2D(out, -1, kern)
    if rng.random() < 0.5 * strength:
        sigma = done["noise_sigma"] = rng.uniform(2, 14)
        nrng = np.random.default_rng(rng.randint(0, 2**31))
        out = np.clip(out.astype(np.float32) + nrng.normal(0, sigma, out.shape), 0, 255).astype(np.uint8)
    if rng.random() < 0.6 * strength:
        done["jpeg_quality"] = rng.randint(15, 90)
        ok, enc = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, done["jpeg_quality"]])
        out = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    if info is not None:
        info.update(done)
    return out


def pil_to_bgr(im: Image.Image) -> np.ndarray:
    return cv2.cvtColor(np.asarray(im.convert("RGB")), cv2.COLOR_RGB2BGR)


def crop_sample(plate: Image.Image, rng: random.Random, *, height: Optional[int] = None,
                crop: Optional[str] = None, strength: float = 1.0, info: Optional[dict] = None) -> np.ndarray:
    """A plate as a localiser would hand it to the reader: in context, warped, cropped
    tight/loose/tall, at a small pixel height (18-40 px plate height), degraded.  BGR uint8.
    ``info``, when given, is filled with the plate's height in pixels (plate_h), the crop mode and what
    :func:`degrade` did; the same ``rng`` draws as without it."""
    arr = pil_to_bgr(plate)
    if rng.random() < 0.2 * strength:  # sticker / dirt on the plate
        h, w = arr.shape[:2]
        x = rng.choice([rng.randint(0, max(1, w // 12)), rng.randint(w - max(2, w // 12), w - 1)]); y = rng.randint(0, h - 1)
        cv2.circle(arr, (x, y), rng.randint(2, max(3, h // 10)), _rand_color(rng), -1)
    img, corners = _context(arr, rng, frame=rng.random() < 0.5)
    img, corners = _perspective(img, corners, rng, 0.08 * strength)
    # scale so the plate is `height` px high
    ph = (np.linalg.norm(corners[3] - corners[0]) + np.linalg.norm(corners[2] - corners[1])) / 2
    target = height or rng.randint(18, 40)
    if plate.width < plate.height * 2.2:   # tall plates (US, two-line): allow larger
        target = int(target * rng.uniform(1.0, 1.6))
    s = target / max(ph, 1)
    img = cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
    corners = corners * s
    x0, y0 = corners.min(0); x1, y1 = corners.max(0)
    mode = crop or rng.choices(CROP_MODES, [0.4, 0.2, 0.25, 0.15])[0]
    out = crop_around(img, (x0, y0, x1, y1), rng, RENDERED_CROP_MARGINS[mode], min_hw=(4, 8))
    if info is not None:
        info.update(plate_h=target, crop=mode)
    return degrade(out, rng, strength, info)


# How a localiser crops a plate: tight, loose, tall (room above and below) or shifted off centre
CROP_MODES = ("tight", "loose", "tall", "shifted")
# Per crop mode, the (low, high) share of the plate's width added at each side, and of its height at top and
# bottom (negative: the crop cuts into the plate)
RENDERED_CROP_MARGINS = {
    "tight": ((-0.02, 0.06), (-0.04, 0.12)),
    "loose": ((0.03, 0.2), (0.1, 0.5)),
    "tall": ((0.02, 0.08), (0.25, 0.6)),
    "shifted": ((-0.05, 0.1), (-0.1, 0.3)),
}


def crop_around(img: np.ndarray, box: Tuple[float, float, float, float], rng: random.Random,
                margins: Tuple[Tuple[float, float], Tuple[float, float]], min_hw: Tuple[int, int]) -> np.ndarray:
    """``img`` cropped around ``box`` (x0, y0, x1, y1) with random margins drawn from ``margins`` (see
    RENDERED_CROP_MARGINS), inside the image and at least ``min_hw`` pixels high and wide."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    (ax, bx), (ay, by) = margins
    px = [rng.uniform(ax, bx) * w for _ in range(2)]; py = [rng.uniform(ay, by) * h for _ in range(2)]
    X0, Y0 = int(max(0, x0 - px[0])), int(max(0, y0 - py[0]))
    X1, Y1 = int(min(img.shape[1], x1 + px[1])), int(min(img.shape[0], y1 + py[1]))
    return img[Y0:max(Y1, Y0 + min_hw[0]), X0:max(X1, X0 + min_hw[1])]


# ----------------------------------------------------------------------------- scenes
def synthetic_scene(rng: random.Random, size: Tuple[int, int] = (1280, 720), car_box=None,
                    car_color=None) -> Tuple[np.ndarray, Tuple[int, int, int, int]]:
    """A simple road scene with the back of a car.  Returns (BGR image, plate slot x,y,w,h)."""
    W, H = size
    img = np.zeros((H, W, 3), np.uint8)
    sky = np.array([rng.randint(150, 230), rng.randint(120, 200), rng.randint(80, 160)], np.float32)
    for y in range(H):
        t = y / H
        col = sky * (1 - t) + np.array([70, 70, 72], np.float32) * t
        img[y] = col
    horizon = int(H * rng.uniform(0.3, 0.45))
    img[horizon:] = (rng.randint(60, 95),) * 3
    # lane markings
    for i in range(6):
        y = horizon + int((H - horizon) * (i + 0.5) / 6)
        cv2.line(img, (W // 2 - 5 - i * 4, y), (W // 2 + 5 + i * 4, y + 20), (220, 220, 220), 2 + i)
    # background clutter: buildings, signs with text
    for _ in range(rng.randint(3, 8)):
        x = rng.randint(0, W); w = rng.randint(40, 250); h = rng.randint(40, horizon)
        cv2.rectangle(img, (x, horizon - h), (x + w, horizon), _rand_color(rng), -1)
    if rng.random() < 0.5:
        x, y = rng.randint(0, W - 300), rng.randint(10, max(11, horizon - 60))
        cv2.rectangle(img, (x, y), (x + 260, y + 50), (40, 120, 40), -1)
        cv2.putText(img, rng.choice(["A40 LONDON", "EXIT 12", "CITY CENTRE"]), (x + 8, y + 36),
                    cv2.FONT_HERSHEY_SIMPLEX, 1.0, (255, 255, 255), 2)
    if car_box is None:
        cw = rng.randint(int(W * 0.25), int(W * 0.45)); ch = int(cw * rng.uniform(0.65, 0.85))
        cx = rng.randint(int(W * 0.05), W - cw - int(W * 0.05)); cy = rng.randint(horizon - ch // 3, H - ch - 5)
        car_box = (cx, max(0, cy), cw, ch)
    cx, cy, cw, ch = car_box
    col = car_color or _rand_color(rng)
    cv2.rectangle(img, (cx, cy + ch // 3), (cx + cw, cy + ch), col, -1)                       # body
    cv2.rectangle(img, (cx + cw // 8, cy), (cx + cw - cw // 8, cy + ch // 3), col, -1)         # cabin
    cv2.rectangle(img, (cx + cw // 6, cy + ch // 20), (cx + cw - cw // 6, cy + ch // 3 - ch // 20), (60, 50, 40), -1)  # window
    cv2.rectangle(img, (cx + cw // 20, cy + ch // 3 + ch // 12), (cx + cw // 5, cy + ch // 2), (30, 30, 200), -1)    # lights
    cv2.rectangle(img, (cx + cw - cw // 5, cy + ch // 3 + ch // 12), (cx + cw - cw // 20, cy + ch // 2), (30, 30, 200), -1)
    cv2.rectangle(img, (cx - 5, cy + int(ch * 0.82)), (cx + cw + 5, cy + ch), (25, 25, 25), -1)  # bumper
    pw = int(cw * rng.uniform(0.3, 0.42))
    ph = max(8, int(pw * 111 / 520))
    px, py = cx + (cw - pw) // 2, cy + int(ch * 0.6)
    return img, (px, py, pw, ph)


def paste_plate(scene: np.ndarray, plate: Image.Image, box: Tuple[int, int, int, int],
                rng: Optional[random.Random] = None, warp: float = 0.0) -> Tuple[int, int, int, int]:
    """Paste ``plate`` into ``scene`` (in place) scaled to ``box`` (x,y,w,h; h follows the plate's
    aspect if 0).  Returns the plate's axis-aligned box in scene pixels."""
    x, y, w, h = box
    arr = pil_to_bgr(plate)
    if h <= 0:
        h = max(4, int(round(w * plate.height / plate.width)))
    p = cv2.resize(arr, (w, h), interpolation=cv2.INTER_AREA)
    H, W = scene.shape[:2]
    if rng is not None and warp > 0:
        src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
        dst = src + np.array([[rng.uniform(-1, 1) * w * warp, rng.uniform(-1, 1) * h * warp] for _ in range(4)], np.float32)
        dst -= dst.min(0)
        M = cv2.getPerspectiveTransform(src, dst)
        ow, oh = int(dst[:, 0].max()) + 1, int(dst[:, 1].max()) + 1
        mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), M, (ow, oh))
        p = cv2.warpPerspective(p, M, (ow, oh))
        w, h = ow, oh
    else:
        mask = np.full((h, w), 255, np.uint8)
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(W, x + w), min(H, y + h)
    if x1 <= x0 or y1 <= y0:
        raise ValueError("plate box outside the scene")
    roi = scene[y0:y1, x0:x1]
    pm = p[y0 - y:y1 - y, x0 - x:x1 - x]
    mm = mask[y0 - y:y1 - y, x0 - x:x1 - x][..., None] > 127
    np.copyto(roi, pm, where=mm)
    return (x0, y0, x1 - x0, y1 - y0)


def uk_scene(rng: random.Random, size: Tuple[int, int] = (1280, 720), label: Optional[str] = None,
             plate_h: Optional[int] = None, two_line: bool = False, font: Optional[str] = None,
             raised: Optional[str] = None) -> Tuple[np.ndarray, str, Tuple[int, int, int, int]]:
    """A synthetic scene with one rendered UK plate (``two_line``: a square rear plate, ``plate_h``
    then being the height of one line; ``font``, ``raised``: as render_plate's).  Returns (BGR image,
    label, plate box)."""
    img, slot = synthetic_scene(rng, size)
    if label is None:
        plate, label, _ = render_uk_plate(rng, two_line=two_line, font=font, raised=raised)
    else:
        plate = render_plate(display_text(label), "uk", rng, two_line=two_line, font=font, raised=raised)
    x, y, w, h = slot
    if plate_h and two_line:
        plate_h = int(plate_h * 2.55 * 79 / 111)   # characters as tall as a one-line plate of plate_h
    if plate_h:
        w = int(plate_h * plate.width / plate.height)
        x = slot[0] + (slot[2] - w) // 2
    box = paste_plate(img, plate, (x, y, w, 0), rng, warp=0.03)
    return degrade(img, rng, 0.5), label, box


def display_text(label: str) -> str:
    """Insert the conventional UK space (AB12CDE -> 'AB12 CDE')."""
    from .formats import detect_format
    f = detect_format(label)
    if f == "current":
        return label[:4] + " " + label[4:]
    if f == "prefix":
        return label[:-3] + " " + label[-3:]
    if f == "suffix":
        return label[:3] + " " + label[3:]
    if f in ("dateless", "ni"):
        i = next((k for k in range(1, len(label)) if label[k].isdigit() != label[k - 1].isdigit()), len(label))
        return label[:i] + " " + label[i:]
    return label


# ----------------------------------------------------------------------------- sample feed
@dataclass(frozen=True)
class FeedTruth:
    plate: str
    frames: Tuple[int, ...]
    boxes: Tuple[Tuple[int, int, int, int], ...]


def make_sample_feed(out_dir, plates: Sequence[str] = ("AB12CDE", "KX19LMO", "M123ABC"), seed: int = 0,
                     frames_per_vehicle: int = 6, gap_frames: int = 3, size: Tuple[int, int] = (1280, 720),
                     fps: float = 5.0, write_images: bool = True, write_video: bool = True,
                     font: Optional[str] = None) -> dict:
    """Write a short deterministic feed of rendered UK plates on synthetic road scenes (``font``: as
    render_plate's; the demo's feed uses the UK plate face).

    Each vehicle drives towards the camera over ``frames_per_vehicle`` consecutive frames
    (its plate grows), separated by ``gap_frames`` empty-road frames.  Writes
    ``frame_00000.jpg``... (if write_images) and ``feed.mp4`` (mp4v, if write_video) plus
    ``truth.json``.  Returns {"frames": n, "fps": fps, "images": [...], "video": path|None,
    "truth": [{"plate", "frames", "boxes"}...]}.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    W, H = size
    frames: List[np.ndarray] = []
    truth = []
    base_rng = random.Random(seed + 1)
    empty, _ = synthetic_scene(base_rng, size, car_box=(-10000, -10000, 1, 1))
    for _ in range(gap_frames):
        frames.append(empty.copy())
    for label in plates:
        plate_img = render_plate(display_text(label), "uk", rng, two_line=False, rear=rng.random() < 0.5, font=font)
        car_color = _rand_color(rng)
        idxs, boxes = [], []
        for k in range(frames_per_vehicle):
            t = k / max(1, frames_per_vehicle - 1)
            cw = int(W * (0.28 + 0.14 * t))
            ch = int(cw * 0.75)
            cx = int(W * 0.5 - cw / 2 + (rng.random() - 0.5) * 10)
            cy = int(H * 0.35 + (H * 0.6 - ch) * t * 0.8)
            cy = min(cy, H - ch - 2)
            img = empty.copy()
            frng = random.Random(seed * 1000 + len(frames))
            img, slot = synthetic_scene(random.Random(seed + 1), size, car_box=(cx, cy, cw, ch), car_color=car_color)
            box = paste_plate(img, plate_img, (slot[0], slot[1], slot[2], 0))
            img = degrade(img, frng, 0.2)
            idxs.append(len(frames)); boxes.append(box)
            frames.append(img)
        truth.append(FeedTruth(label, tuple(idxs), tuple(boxes)))
        for _ in range(gap_frames):
            frames.append(empty.copy())
    images = []
    if write_images:
        for i, f in enumerate(frames):
            p = out / f"frame_{i:05d}.jpg"
            cv2.imwrite(str(p), f, [cv2.IMWRITE_JPEG_QUALITY, 92])
            images.append(str(p))
    video = None
    if write_video:
        video = str(out / "feed.mp4")
        vw = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*"mp4v"), fps, (W, H))
        if not vw.isOpened():
            raise RuntimeError("cv2.VideoWriter could not open an mp4v writer")
        for f in frames:
            vw.write(f)
        vw.release()
    result = {"frames": len(frames), "fps": fps, "images": images, "video": video,
              "truth": [{"plate": t.plate, "frames": list(t.frames), "boxes": [list(b) for b in t.boxes]} for t in truth]}
    (out / "truth.json").write_text(json.dumps(result, indent=1))
    return result
