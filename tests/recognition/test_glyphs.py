"""Character swaps (recognition.glyphs): plates cut into characters, characters pasted between plates."""
import random

import cv2
import numpy as np
import pytest

from recognition import glyphs, render, training
from recognition.ocr import PlateReader


def plate_image(display: str, seed: int = 0) -> np.ndarray:
    """A clean one-line white plate without a band, at 40 px character height, on a grey margin
    (as a plate sits in a photo), and its box (x, y, w, h)."""
    rng = random.Random(seed)
    plate = render.pil_to_bgr(render.render_plate(display, "uk", rng, rear=False, band=False, two_line=False,
                                                  font=render.available_fonts()[0], char_h=40))
    img = cv2.copyMakeBorder(plate, 20, 20, 30, 30, cv2.BORDER_CONSTANT, value=(90, 90, 90))
    return img, (30, 20, plate.shape[1], plate.shape[0])


def test_a_plate_is_cut_into_its_characters_left_to_right():
    img, box = plate_image("AB12 CDE")
    cut = glyphs.segment(img, box, "AB12CDE")
    assert cut is not None and "".join(g.char for g in cut) == "AB12CDE"
    lefts = [g.box[0] for g in cut]
    assert lefts == sorted(lefts) and all(a[2] <= b[0] for a, b in zip((g.box for g in cut), (g.box for g in cut[1:])))
    x, y, w, h = box
    assert all(x <= g.box[0] and g.box[2] <= x + w and y <= g.box[1] and g.box[3] <= y + h for g in cut)
    assert all(g.mask.shape == (g.box[3] - g.box[1], g.box[2] - g.box[0]) for g in cut)


def test_a_plate_that_does_not_cut_cleanly_is_left_out():
    img, box = plate_image("AB12 CDE")
    assert glyphs.segment(img, box, "AB12CD") is None          # the label is one character short
    assert glyphs.segment(np.full((60, 200, 3), 200, np.uint8), (10, 10, 180, 40), "AB12") is None


@pytest.fixture(scope="module")
def reader():
    return PlateReader()


def test_a_swapped_character_reads_as_the_donor_and_the_rest_is_untouched(reader):
    base, box = plate_image("AB12 CDE")
    donors = glyphs.segment(*plate_image("XY34 WVK", seed=1), "XY34WVK")
    cut = glyphs.segment(base, box, "AB12CDE")
    rng = random.Random(2)
    for index, donor, expected in [(0, donors[4], "WB12CDE"), (3, donors[3], "AB14CDE"), (6, donors[6], "AB12CDK")]:
        out = glyphs.swap(base, cut, index, donor, rng)
        x, y, w, h = box
        assert reader.read([out[y:y + h, x:x + w]])[0].text == expected
        changed = np.argwhere((out != base).any(axis=2))
        slot = cut[index].box
        pad = slot[3] - slot[1]             # the inpainted rim and the new glyph stay near the old box
        assert changed[:, 1].min() >= slot[0] - pad and changed[:, 1].max() <= slot[2] + pad


def test_training_photos_with_swapped_characters_keep_their_labels_true(tmp_path):
    rng = random.Random(4)
    names = []
    for i, display in enumerate(["AB12 CDE", "GU19 LPO", "YH07 TRW"]):
        img, (x, y, w, h) = plate_image(display, seed=i)
        cv2.imwrite(str(tmp_path / f"p{i}.png"), img)
        (tmp_path / f"p{i}.txt").write_text(f"p{i}.png\t{x}\t{y}\t{w}\t{h}\t{display.replace(' ', '')}\n")
        names.append(f"p{i}.png")
    crops = training.USCrops(tmp_path, names, localiser_boxes=False, swap_fraction=1.0)
    assert len(crops.cut) == 3 and len(crops.donors) == 21
    originals = [plate for _, _, plate in crops.items]
    for _ in range(20):
        img, box, label = crops.swapped(rng)
        nearest = min(originals, key=lambda o: sum(a != b for a, b in zip(o, label)))
        assert (len(label) == 7 and 1 <= sum(a != b for a, b in zip(nearest, label)) <= 3) or label in originals
    plain = training.USCrops(tmp_path, names, localiser_boxes=False)
    assert plain.cut == [] and plain.donors == []              # off by default: nothing is cut
