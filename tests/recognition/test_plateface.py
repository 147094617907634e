import random

import numpy as np
import pytest

from recognition import plateface, render
from recognition.formats import ALPHABET


def _ink(im) -> np.ndarray:
    return np.asarray(im) > 127


def test_every_plate_character_is_drawn_at_the_faces_proportions():
    assert set(plateface.GLYPHS) == set(ALPHABET)
    for ch in ALPHABET:
        g = plateface.glyph(ch, 79)
        ink = _ink(g)
        assert g.height == 79 and g.width == round(plateface.width_of(ch))
        # ink from top to bottom and, but for 1 and I, across most of the 50 mm cell
        rows, cols = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
        assert rows[0] <= 2 and rows[-1] >= 76, ch
        if ch not in plateface.NARROW:
            assert cols[-1] - cols[0] >= 40, ch
            # a 14 mm stroke in a 50 x 79 mm cell: neither a hairline nor a blot
            assert 0.35 < ink.mean() < 0.8, (ch, ink.mean())


def test_confusable_characters_are_drawn_apart():
    # O is rounder than 0, B has a straight back where 8 is round, 1 has a flag...: the shapes the
    # reader must tell apart differ in a good share of their cell (compared over the narrower one)
    for a, b in ("O0", "B8", "I1", "S5", "Z2", "D0", "G6", "MW"):
        ia, ib = _ink(plateface.glyph(a, 79)), _ink(plateface.glyph(b, 79))
        w = min(ia.shape[1], ib.shape[1])
        assert (ia[:, :w] != ib[:, :w]).mean() > 0.04, (a, b)


def test_text_is_spaced_as_the_regulations_space_it():
    k = 79 / plateface.HEIGHT
    two = plateface.text_layer("AB", 79)
    assert two.width == pytest.approx((2 * plateface.WIDTH + plateface.SPACING) * k, abs=2)
    grouped = plateface.text_layer("AB 12", 79)
    # 1 is narrower than the 50 mm of other characters; the groups are 33 mm apart, not 11
    widths = sum(plateface.width_of(ch) for ch in "AB12")
    assert grouped.width == pytest.approx((widths + 2 * plateface.SPACING + plateface.GROUP_GAP) * k, abs=3)
    with pytest.raises(ValueError, match="no '£'"):
        plateface.text_layer("A£", 40)


def test_uk_plates_can_be_drawn_in_the_face_and_the_default_sets_keep_their_plates():
    plate = render.render_plate("AB12 CDE", "uk", random.Random(3), font=plateface.FACE_NAME, two_line=False)
    assert plate.width > 4 * plate.height
    # uk_face=0 draws nothing from the generator: the seeded evaluation and development sets are unchanged
    a = render.random_plate(random.Random(8))
    b = render.random_plate(random.Random(8), uk_face=0.0)
    assert a[1:] == b[1:] and np.array_equal(np.asarray(a[0]), np.asarray(b[0]))


def test_the_committed_reader_reads_clean_plates_in_the_face(recogniser):
    rng = random.Random(11)
    crops, labels = [], []
    for _ in range(12):
        plate, label, _ = render.render_uk_plate(rng, font=plateface.FACE_NAME, two_line=False)
        crops.append(render.crop_sample(plate, rng, strength=0.0, height=40))
        labels.append(label)
    reads = recogniser.read_crops(crops)
    assert sum(r is not None and r.text == label for r, label in zip(reads, labels)) >= 11


def test_training_draws_the_share_of_uk_plates_it_is_asked_for_in_the_face():
    seed = next(s for s in range(50) if render.random_plate(random.Random(s))[2] == "uk")
    image, label, style = render.random_plate(random.Random(seed), uk_face=1.0)
    rng = random.Random(seed)                       # the same draws, made by hand
    assert rng.choices(["uk", "us", "eu"], weights=(0.55, 0.3, 0.15))[0] == "uk"
    two = rng.random() < 0.15
    rng.random()                                    # the draw against uk_face
    by_hand, by_hand_label, _ = render.render_uk_plate(rng, two_line=two, font=plateface.FACE_NAME)
    assert (label, style) == (by_hand_label, "uk") and np.array_equal(np.asarray(image), np.asarray(by_hand))


@pytest.mark.parametrize("style", render.RAISED_STYLES)
def test_raised_characters_keep_their_shape_and_show_their_relief(style):
    flat = np.asarray(render.render_plate("AB12 CDE", "uk", random.Random(4), font=plateface.FACE_NAME,
                                          two_line=False, rear=False, band=False).convert("L"), np.float32)
    raised = np.asarray(render.render_plate("AB12 CDE", "uk", random.Random(4), font=plateface.FACE_NAME,
                                            two_line=False, rear=False, band=False, raised=style).convert("L"),
                        np.float32)
    ink = flat < 60
    # the characters' faces stay dark and almost nothing of the plate around them turns dark...
    assert (raised[ink] < 90).mean() > 0.8
    assert ((raised < 60) & ~ink).mean() < 0.05
    # ...but the relief shows: a gel plate's highlight lightens the strokes, an acrylic plate's wall and
    # shadow darken the plate beside them
    if style == "gel":
        assert raised[ink].mean() > flat[ink].mean() + 5
    else:
        assert raised[~ink].mean() < flat[~ink].mean() - 3


def test_raised_plates_are_drawn_only_where_asked():
    with pytest.raises(ValueError, match="unknown raised style"):
        render.render_plate("AB12 CDE", "uk", random.Random(4), raised="embossed")
    # raised=0 draws nothing from the generator (the seeded sets keep their plates); 1 raises every UK plate
    a, b = render.random_plate(random.Random(8)), render.random_plate(random.Random(8), raised=0.0)
    assert a[1:] == b[1:] and np.array_equal(np.asarray(a[0]), np.asarray(b[0]))
    seed = next(s for s in range(50) if render.random_plate(random.Random(s))[2] == "uk")
    c = render.random_plate(random.Random(seed), raised=1.0)
    assert c[2] == "uk" and not np.array_equal(np.asarray(c[0].resize((50, 10))),
                                               np.asarray(render.random_plate(random.Random(seed))[0].resize((50, 10))))
