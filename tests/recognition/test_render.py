import json
import random

import cv2
import numpy as np
import pytest

from recognition import render
from recognition.formats import detect_format


def test_renderer_styles_and_sizes():
    rng = random.Random(5)
    for style, disp in [("uk", "AB12 CDE"), ("eu", "B-MW 1234"), ("us", "7ABC123")]:
        im = render.render_plate(disp, style, rng)
        assert im.mode == "RGB" and im.width > im.height
    two = render.render_plate("AB12 CDE", "uk", rng, two_line=True, band=True, rear=True)
    assert two.width < 2 * two.height
    rear = np.asarray(render.render_plate("AB12 CDE", "uk", rng, rear=True, band=False))
    assert rear[5:-5, 5:-5, 2].mean() < rear[5:-5, 5:-5, 0].mean()   # yellow: less blue than red


def test_random_registrations_match_their_format():
    rng = random.Random(1)
    for fmt in render.UK_FORMATS:
        for _ in range(50):
            label, display, f = render.random_uk_registration(rng, fmt)
            assert f == fmt and display.replace(" ", "") == label
            assert detect_format(label) in ({fmt} if fmt in ("current", "prefix", "suffix") else {"dateless", "ni"})


def test_crop_sample_heights_and_determinism():
    plate = render.render_plate("AB12 CDE", "uk", random.Random(0))
    a = render.crop_sample(plate, random.Random(9), height=20, crop="tight")
    b = render.crop_sample(plate, random.Random(9), height=20, crop="tight")
    assert np.array_equal(a, b)
    assert 14 <= a.shape[0] <= 40 and a.shape[1] > 2 * a.shape[0]


def test_crop_sample_reports_what_it_drew_without_changing_the_crop():
    plate = render.render_plate("AB12 CDE", "uk", random.Random(0))
    for seed in range(20):
        info = {}
        with_info = render.crop_sample(plate, random.Random(seed), info=info)
        assert np.array_equal(with_info, render.crop_sample(plate, random.Random(seed)))
        assert 18 <= info["plate_h"] <= 40 and info["crop"] in render.CROP_MODES
        assert 0 <= info["blur_sigma"] <= 1.5 and info["motion_px"] in (0, 3, 4, 5, 6, 7)
        assert info["jpeg_quality"] is None or 15 <= info["jpeg_quality"] <= 90


def test_uk_scene_box_contains_plate():
    img, label, (x, y, w, h) = render.uk_scene(random.Random(3), (640, 360), plate_h=24)
    assert detect_format(label) is not None
    assert 0 <= x and x + w <= 640 and 0 <= y and y + h <= 360 and 18 <= h <= 40


def test_sample_feed_is_deterministic_and_readable(tmp_path, sample_feed):
    again = render.make_sample_feed(tmp_path, plates=["AB12CDE", "KX19LMO", "M123ABC"], seed=3,
                                    frames_per_vehicle=4, gap_frames=2, size=(960, 540))
    assert again["truth"] == sample_feed["truth"]
    assert [t["plate"] for t in again["truth"]] == ["AB12CDE", "KX19LMO", "M123ABC"]
    assert all(len(t["frames"]) == 4 for t in again["truth"])
    assert again["frames"] == 2 + 3 * (4 + 2)
    a = cv2.imread(again["images"][4]).astype(int)
    b = cv2.imread(sample_feed["images"][4]).astype(int)
    assert np.abs(a - b).mean() < 1.0
    cap = cv2.VideoCapture(again["video"])
    n = 0
    while cap.read()[0]:
        n += 1
    assert n == again["frames"]
    assert json.loads((tmp_path / "truth.json").read_text())["truth"] == again["truth"]


def test_a_missing_plate_font_is_a_clear_error(monkeypatch):
    render.available_fonts.cache_clear()
    monkeypatch.setattr(render, "_PLATE_FONT_NAMES", render._PLATE_FONT_NAMES + ["NoSuchPlateFont.ttf"])
    try:
        with pytest.raises(RuntimeError, match="NoSuchPlateFont.ttf.*system-packages.sh"):
            render.available_fonts()
    finally:
        render.available_fonts.cache_clear()


def test_cells_set_every_character_in_an_equal_width_cell():
    font = render.available_fonts()[0]
    # W is far wider than 1 in a proportional face; in cells the two take the same room
    assert render._text_layer("W", font, 60).width > 1.5 * render._text_layer("1", font, 60).width
    assert render._cell_layer("WW", font, 60, random.Random(2)).width == render._cell_layer("11", font, 60, random.Random(2)).width
    spaced = render._cell_layer("AB 12", font, 60, random.Random(2))
    assert spaced.width > render._cell_layer("AB12", font, 60, random.Random(2)).width
    assert spaced.height == 60


def test_plates_without_cells_or_faces_are_drawn_as_before_the_options():
    # cells=0 and faces=0 draw nothing from the generator: a seed still gives the same plates (and so the
    # same evaluation and development sets)
    a = render.random_plate(random.Random(8))
    b = render.random_plate(random.Random(8), cells=0.0)
    assert a[1:] == b[1:] and np.array_equal(np.asarray(a[0]), np.asarray(b[0]))
    assert a[1:] == render.random_plate(random.Random(8), faces=0.0)[1:]
    for option in ({"cells": 1.0}, {"faces": 1.0}):
        c = render.random_plate(random.Random(8), **option)
        assert c[1] != a[1] or not np.array_equal(np.asarray(c[0]), np.asarray(a[0]))


def test_the_condensed_plate_faces_are_installed():
    import os

    faces = render.plate_faces()
    assert faces and all(os.path.exists(f) and "BebasNeue" in f for f in faces)
    assert not set(faces) & set(render.available_fonts())     # never drawn by default


def _blue(im) -> np.ndarray:
    a = np.asarray(im).astype(int)
    return (a[..., 2] > 120) & (a[..., 0] < 60) & (a[..., 1] < 90)


def test_continental_plates_without_marks_are_drawn_as_before_the_option():
    for seed in range(40):          # the same generator draws: the evaluation and training sets keep their plates
        rng_a, rng_b = random.Random(seed), random.Random(seed)
        label, disp, country = render.random_eu_text(rng_a)
        old = render.render_plate(disp, "eu", rng_a, band_label=country)
        new, new_label = render.eu_plate(rng_b, 0.0)
        assert new_label == label and np.array_equal(np.asarray(old), np.asarray(new))


def test_french_and_italian_plates_get_their_right_hand_band():
    plate = render.render_plate("AB-123-CD", "eu", random.Random(1), band_label="F", marks=True)
    blue = _blue(plate)
    w = plate.width
    assert blue[:, : w // 12].mean() > 0.5 and blue[:, -w // 12:].mean() > 0.5      # a band at each end
    plain = _blue(render.render_plate("AB-123-CD", "eu", random.Random(1), band_label="F"))
    assert plain[:, -w // 12:].mean() < 0.05


def test_german_plates_get_their_seals_between_the_district_and_the_rest():
    plate = render.render_plate("B MW 1234", "eu", random.Random(2), band_label="D", marks=True)
    a = np.asarray(plate).astype(int)
    # the upper seal is a coloured disc; the registration is black on white, the band at the left blue
    band = int(plate.height * 0.36) + 5
    colour = (np.abs(a - a.mean(2, keepdims=True)).max(2) > 40)[:, band:]
    cols = np.flatnonzero(colour.sum(0) > plate.height // 10) + band
    ink = np.flatnonzero((a.max(2) < 80)[plate.height // 3: 2 * plate.height // 3, band:].any(0)) + band
    assert cols.size and ink[0] < cols.min() and cols.max() < ink[-1]       # inside the registration, not at an end
    assert cols.max() - cols.min() < plate.height // 2                      # one disc
    _, label = render.eu_plate(random.Random(3), 1.0)
    assert label.isalnum() and label.upper() == label                        # the marks are never in the label
