import json
import random

import cv2
import numpy as np
import pytest

from recognition import render
from recognition.cli import recognise_paths
from recognition.localise import Localiser, MotionGate, iou
from recognition.pipeline import READ_THRESHOLD, ImageResult, PlateRead, PlateRecogniser


def test_localiser_finds_rendered_plate_in_scene():
    hits = 0
    for seed in range(10):
        img, label, box = render.uk_scene(random.Random(seed), (1280, 720), plate_h=30)
        cands = Localiser().find(img, 6)
        hits += any(iou(c.box, box) >= 0.3 for c in cands)
        assert all(c.score >= d.score for c, d in zip(cands, cands[1:]))
    assert hits >= 8


def test_motion_gate():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 255, (360, 640, 3), dtype=np.uint8)
    g = MotionGate()
    assert g.changed(a)
    assert not g.changed(a.copy())
    b = a.copy()
    cv2.rectangle(b, (100, 100), (300, 250), (0, 0, 0), -1)
    assert g.changed(b)


def test_reads_rendered_uk_plates_end_to_end(recogniser):
    ok = believed_ok = believed = 0
    n = 8
    for seed in range(1000, 1000 + n):
        img, label, box = render.uk_scene(random.Random(seed), (1280, 720), plate_h=34)
        res = recogniser.recognise(img)
        assert isinstance(res, ImageResult) and res.ms > 0
        assert all(isinstance(p, PlateRead) and p.confidence >= READ_THRESHOLD for p in res.plates)
        if res.plates:
            believed += 1
            believed_ok += res.plates[0].text == label
        best = recogniser.best(img)
        if best is not None and best.text == label:
            ok += 1
            assert iou(best.box, box) >= 0.3
            assert best.format is not None
    assert ok >= n - 2
    assert believed >= n // 2 and believed_ok >= believed - 1


def test_two_line_plates_are_read_whole_not_one_line(recogniser):
    """A square rear plate read as it is gives one line ("AB12") confidently; the pipeline must
    prefer its two-line reading ("AB12CDE")."""
    rng = random.Random(2024)
    crops, labels = [], []
    for _ in range(12):
        plate, label, _ = render.render_uk_plate(rng, two_line=True)
        crops.append(render.crop_sample(plate, rng, height=36, crop="tight", strength=0.3))
        labels.append(label)
    reads = recogniser.read_crops(crops)
    whole = sum(r is not None and r.text == label for r, label in zip(reads, labels))
    assert whole >= 10, [(r and r.text, label) for r, label in zip(reads, labels)]


def test_square_plates_in_scenes_are_found_and_read_whole(recogniser):
    """The localiser may see a square plate's two lines as two boxes, or as one box squarer than
    a one-line plate: both must reach the reader as one two-line plate."""
    rng = random.Random(4242)
    scenes = [render.uk_scene(rng, (1280, 720), plate_h=rng.randint(24, 36), two_line=True) for _ in range(10)]
    reads = [recogniser.best(img) for img, _, _ in scenes]
    whole = sum(r is not None and r.text == label for r, (_, label, _) in zip(reads, scenes))
    assert whole >= 8, [(r and r.text, label) for r, (_, label, _) in zip(reads, scenes)]


def test_large_square_plates_with_short_lines_are_found_and_read_whole(recogniser):
    """Two lines of two or three characters make a text block narrower than it is high (it used to be
    refused as a plate shape), and a block's tight crop can clip its characters: big, clear square plates
    were missed or misread."""
    rng = random.Random(77)
    labels = ["RAW635", "UE69", "B543XLD", "S459AGO", "UI287", "SCF637K", "AB1", "XY99", "JK12", "P5", "LV66", "NT345"]
    scenes = [render.uk_scene(rng, (1280, 720), label=label, plate_h=rng.randint(26, 30), two_line=True)
              for label in labels]
    reads = [recogniser.best(img) for img, _, _ in scenes]
    whole = sum(r is not None and r.text == label for r, label in zip(reads, labels))
    assert whole >= 10, [(r and r.text, label) for r, label in zip(reads, labels)]   # 8 before the change, 11 after


def test_a_text_block_around_one_found_line_is_offered():
    from recognition.localise import _block_around
    line = (10, 40, 60, 20)
    assert _block_around((8, 10, 64, 52), line)              # the two lines' block, the line at its foot
    assert not _block_around((8, 36, 64, 28), line)          # no room for a second line
    assert not _block_around((0, 0, 200, 60), line)          # far wider than the line: not its plate
    assert not _block_around((100, 10, 64, 52), line)        # beside it


def _scene_of_stream(seed: int, label: str):
    """The square-plate scene showing ``label`` in the development check's stream of ``seed``."""
    rng = random.Random(seed)
    for _ in range(150):
        img, text, box = render.uk_scene(rng, (1280, 720), plate_h=rng.randint(18, 40), two_line=True)
        if text == label:
            return img
    raise AssertionError(f"{label} is not in the stream of seed {seed}")


def test_clear_square_plates_once_missed_are_read(recogniser):
    """Three big, clear square plates of the fresh development seeds: SJD 794's box read as it is
    gave one confident character, which used to end its reading before its two lines were joined;
    CJY 268X's bottom line was read with the band's "GB" as "GB268X" at 0.93 (a wrong hit); C134 ZJH,
    a dim plate in the shadowed half of a sunlit scene, was offered by no candidate box."""
    for seed, label in ((6234, "SJD794"), (6204, "CJY268X"), (6204, "C134ZJH")):
        best = recogniser.best(_scene_of_stream(seed, label))
        assert best is not None and best.text == label, (label, best)


@pytest.mark.parametrize("height", [24, 40, 80])
def test_the_band_is_cut_off_a_line_of_a_square_plate_not_a_one_line_plate(height):
    from recognition.localise import without_band
    rng = random.Random(height)
    square = render.render_plate("CJY 268X", "uk", rng, two_line=True, band=True, band_label="GB")
    one_line = render.render_plate("AB12 CDE", "uk", rng, band=True, band_label="GB")
    plain = render.render_plate("AB12 CDE", "uk", rng, band=False)

    def bgr(im, h):
        a = cv2.cvtColor(np.asarray(im), cv2.COLOR_RGB2BGR)
        return cv2.resize(a, (int(a.shape[1] * h / a.shape[0]), h), interpolation=cv2.INTER_AREA)

    sq = bgr(square, 2 * height)
    bottom = sq[sq.shape[0] // 2:]                        # the line with the band's code beside it
    cut = without_band(bottom)
    band_w = int(0.14 * bottom.shape[1])
    assert band_w <= bottom.shape[1] - cut.shape[1] <= band_w + 0.05 * bottom.shape[1]
    for whole in (bgr(one_line, height), bgr(plain, height)):
        assert without_band(whole).shape == whole.shape


@pytest.mark.parametrize("band", [False, True])
def test_a_blue_car_around_a_plate_is_not_taken_for_its_band(band):
    """A one-line plate cropped loose on a blue car: the car above and below the plate made the
    columns of its first characters blue enough to be cut off as a band ("56SZD" of "TA56SZD")."""
    from recognition.localise import without_band
    plate = cv2.cvtColor(np.asarray(render.render_plate("TA56 SZD", "uk", random.Random(1), band=band,
                                                        band_label="GB")), cv2.COLOR_RGB2BGR)
    plate = cv2.resize(plate, (int(plate.shape[1] * 30 / plate.shape[0]), 30), interpolation=cv2.INTER_AREA)
    h, w = plate.shape[:2]
    crop = np.full((h + 24, w + 30, 3), 110, np.uint8)     # grey road and car body
    crop[:, :25 + w // 8] = (150, 40, 20)                  # a dark blue car body at the left (BGR)
    crop[12:12 + h, 25:25 + w] = plate                     # the plate, towards the crop's right
    cut = crop.shape[1] - without_band(crop).shape[1]
    # at most the blue left of the plate and the band (0.14 of a square plate's width; less here)
    assert cut <= 25 + (0.14 * w if band else 0), cut


def test_blank_image_gives_no_believed_plate(recogniser):
    assert recogniser.recognise(np.full((480, 640, 3), 128, np.uint8)).plates == ()
    with pytest.raises(ValueError):
        recogniser.recognise(np.zeros((3, 3, 3), np.uint8))


def test_recognise_paths_shape_errors_and_video(tmp_path, reader, sample_feed):
    # a fixed threshold: this checks shapes and grouping, not calibration
    recogniser = PlateRecogniser(reader, region="uk", threshold=0.4)
    img, label, box = render.uk_scene(random.Random(1001), (1280, 720), plate_h=34)
    good = tmp_path / "car.jpg"
    cv2.imwrite(str(good), img)
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"garbage")
    missing = tmp_path / "missing.png"
    lines = list(recognise_paths([good, bad, missing, sample_feed["video"]], recogniser=recogniser))
    assert [l["input"] for l in lines] == [str(good), str(bad), str(missing), sample_feed["video"]]
    json.dumps(lines)  # JSON-ready
    first = lines[0]
    assert set(first) == {"input", "plates", "ms"} and first["ms"] > 0
    p = first["plates"][0]
    assert set(p) == {"text", "raw", "confidence", "box", "format"}
    assert p["text"] == label and 0 <= p["confidence"] <= 1 and len(p["box"]) == 4
    assert all(isinstance(v, int) for v in p["box"])
    assert set(lines[1]) == {"input", "error"} and "broken.jpg" in lines[1]["error"]
    assert set(lines[2]) == {"input", "error"}
    video = lines[3]
    assert video["frames"] == sample_feed["frames"]
    texts = [q["text"] for q in video["plates"]]
    assert set(texts) >= {"AB12CDE", "KX19LMO"}          # each vehicle grouped to one line
    assert len(texts) == len(set(texts))
    for q in video["plates"]:
        assert {"text", "raw", "confidence", "box", "format", "first_frame", "last_frame", "n_reads"} <= set(q)


def test_region_any_keeps_raw(reader):
    rec = PlateRecogniser(reader, region="any")
    img, label, _ = render.uk_scene(random.Random(1002), (1280, 720), plate_h=34)
    res = rec.recognise(img)
    assert res.plates and all(p.text == p.raw for p in res.plates)


def test_watch_groups_a_feed_into_vehicles(reader, sample_feed):
    recogniser = PlateRecogniser(reader, region="uk", threshold=0.4)   # grouping, not calibration
    from recognition import watch
    from recognition.sources import ImageFolderSource
    from pathlib import Path
    folder = Path(sample_feed["images"][0]).parent
    vehicles = list(watch(ImageFolderSource(folder, "cam1"), recogniser, window_s=3600))
    # frames share file mtimes within a second here, so a huge window groups by text only
    texts = [v.text for v in vehicles]
    assert {"AB12CDE", "KX19LMO"} <= set(texts)
    assert len(texts) == len(set(texts))
    v = next(v for v in vehicles if v.text == "AB12CDE")
    assert v.camera_id == "cam1" and v.n_reads >= 2
    truth = next(t for t in sample_feed["truth"] if t["plate"] == "AB12CDE")
    assert set(range(v.first_index, v.last_index + 1)) <= set(truth["frames"])


def test_read_crops_reads_one_and_two_line_plates(recogniser):
    from recognition.render import crop_sample, render_plate
    rng = random.Random(77)
    one = crop_sample(render_plate("AB12 CDE", "uk", rng, two_line=False), rng, height=34, crop="tight", strength=0.2)
    two = crop_sample(render_plate("KX19 LMO", "uk", rng, two_line=True), rng, height=60, crop="tight", strength=0.2)
    reads = recogniser.read_crops([one, two, np.zeros((2, 2, 3), np.uint8)])
    assert reads[0] is not None and reads[0].text == "AB12CDE" and reads[0].format == "current"
    assert reads[2] is None
    # two-line plates (reads[1]) are a known weak spot of the current weights: not asserted


@pytest.mark.parametrize("two_line,height,crop", [(False, 34, "tight"), (False, 120, "loose"), (True, 70, "tight")])
def test_an_image_that_is_a_plate_crop_is_read_whole(recogniser, two_line, height, crop):
    # a plate cut out by another detector fills the image: the localiser looks for plates inside
    # a scene (at most a third of its height) and found none, so nothing was reported
    from recognition.render import crop_sample, render_plate
    rng = random.Random(41)
    img = crop_sample(render_plate("KX19 LMO", "uk", rng, two_line=two_line), rng, height=height, crop=crop,
                      strength=0.2)
    plates = recogniser.recognise(img).plates
    assert [p.text for p in plates] == ["KX19LMO"], plates
    x, y, w, h = plates[0].box
    assert x >= 0 and y >= 0 and x + w <= img.shape[1] and y + h <= img.shape[0] and w >= 0.5 * img.shape[1]


def test_a_large_plate_is_one_read_not_also_a_part_of_it(recogniser):
    # a character group's box inside the plate's box shares little of their union (IoU), so the
    # group read again ('3CT' of 'EN22BCT', seed 7) was reported as a second plate
    from recognition.render import crop_sample, render_uk_plate
    for seed in range(12):
        rng = random.Random(seed)
        plate, label, _ = render_uk_plate(rng)
        img = crop_sample(plate, rng, height=rng.randint(120, 200), crop="loose", strength=0.3)
        assert [p.text for p in recogniser.recognise(img).plates] == [label], seed


@pytest.mark.parametrize("seed", [1, 2, 5])
def test_a_plate_photographed_close_is_read(recogniser, seed):
    # a plate three quarters of a 1080p photo's width is more of the picture than the localiser
    # looks for: it found a character group ('KX19') or nothing
    from recognition.render import crop_sample, render_plate
    rng = random.Random(seed)
    crop = crop_sample(render_plate("KX19 LMO", "uk", rng), rng, height=120, crop="loose", strength=0.2)
    crop = cv2.resize(crop, None, fx=1400 / crop.shape[1], fy=1400 / crop.shape[1])
    img = np.full((1080, 1920, 3), 90, np.uint8)
    y, x = (1080 - crop.shape[0]) // 2, (1920 - crop.shape[1]) // 2
    img[y:y + crop.shape[0], x:x + crop.shape[1]] = crop
    assert [p.text for p in recogniser.recognise(img).plates] == ["KX19LMO"]


def test_camera_frames_are_searched_by_the_localiser_only(reader):
    # a worker's frames are scenes: an empty frame must not cost the reads of a crop as well
    from recognition.pipeline import PlateRecogniser
    from recognition.render import crop_sample, render_plate
    rng = random.Random(41)
    img = crop_sample(render_plate("KX19 LMO", "uk", rng), rng, height=34, crop="tight", strength=0.2)
    assert PlateRecogniser(reader, region="uk").recognise(img).plates
    assert PlateRecogniser(reader, region="uk", stills=False).recognise(img).plates == ()


def test_only_images_shaped_like_a_plate_crop_are_read_whole():
    from recognition.pipeline import may_be_plate_crop
    assert may_be_plate_crop(np.zeros((54, 151, 3), np.uint8))      # a one-line plate
    assert may_be_plate_crop(np.zeros((120, 140, 3), np.uint8))     # a small square plate
    assert may_be_plate_crop(np.zeros((300, 1100, 3), np.uint8))    # a large one-line plate
    assert not may_be_plate_crop(np.zeros((720, 1280, 3), np.uint8))  # a camera frame
    assert not may_be_plate_crop(np.zeros((480, 640, 3), np.uint8))
    assert not may_be_plate_crop(np.zeros((1632, 918, 3), np.uint8))


@pytest.mark.parametrize("display", ["191-D-12345", "12-D-123456", "231-KY-1234"])
def test_long_irish_registrations_are_read_and_kept_as_read(reader, display):
    # 9-10 characters: dropped as implausible while plates were taken to have at most 8
    rng = random.Random(3)
    plate = render.render_plate(display, "eu", rng, band_label="IRL")
    crop = render.crop_sample(plate, rng, strength=0.5)
    label = display.replace("-", "")
    for region in ("uk", "any"):
        read = PlateRecogniser(reader, region=region).read_crops([crop])[0]
        assert read is not None and read.text == label and read.format is None, (region, read)


def test_us_dataset_smoke(us_dir, reader):
    from recognition.formats import plate_equal
    from recognition.sources import read_image
    from recognition.training import load_us_annotations, us_split
    train, evaluation = us_split(us_dir)
    assert len(train) == len(evaluation) == 111 and max(train) < min(evaluation)
    rec = PlateRecogniser(reader, region="any")
    ok = 0
    for path, box, plate in load_us_annotations(us_dir, train[:6]):
        best = rec.best(read_image(path))
        ok += best is not None and plate_equal(best.text, plate)
    assert ok >= 3


def test_vote_sums_confidence_per_text_over_all_reads():
    from recognition.pipeline import vote
    a = PlateRead("AB12CDE", "AB12CDE", 0.6, (0, 0, 10, 5), "current")
    b = PlateRead("AB12CDF", "AB12CDF", 0.8, (0, 0, 10, 5), "current")
    c = PlateRead("AB12CDE", "AB12CDE", 0.5, (0, 0, 10, 5), "current")
    won = vote([a, b, c], 3)
    assert won.text == "AB12CDE" and won.confidence == pytest.approx((0.6 + 0.5) / 3, abs=1e-4)
    # a read its other views do not support keeps a third of its confidence
    alone = vote([b, None, None], 3)
    assert alone.text == "AB12CDF" and alone.confidence == pytest.approx(0.8 / 3, abs=1e-4)
    assert vote([None, None], 2) is None


def test_confirmation_views_trim_widen_and_pad_the_crop():
    from recognition.pipeline import CONFIRM_PAD, confirm_variants
    crop = np.zeros((30, 120, 3), np.uint8)
    crop[0] = 255                                           # the top row is repeated above the crop
    trimmed, widened, padded = confirm_variants(crop)
    assert trimmed.shape[0] < 30 and trimmed.shape[1] == 120
    assert widened.shape[0] == 30 and widened.shape[1] > 120
    pad = int(CONFIRM_PAD * 30)
    assert padded.shape[:2] == (30 + 2 * pad, 120)
    assert (padded[:pad + 1] == 255).all() and (padded[pad + 1:] == 0).all()
    tiny = np.zeros((5, 20, 3), np.uint8)
    assert confirm_variants(tiny)[0].shape[0] >= 4


def _ink_rows(img: np.ndarray) -> np.ndarray:
    g = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    return np.nonzero((g < 100).any(axis=1))[0]


@pytest.mark.parametrize("margin_top,margin_bottom", [(0, 0), (60, 5), (5, 60), (40, 40)])
def test_split_join_sets_the_two_lines_level_in_loose_crops(margin_top, margin_bottom):
    """A square plate cropped with road above or below it: once joined, the top line and the bottom
    line occupy the same rows, about one line high (not the top line low and the bottom one high)."""
    from recognition.localise import split_join
    plate = render.pil_to_bgr(render.render_plate("AB12 CDE", "uk", random.Random(3), two_line=True,
                                                  rear=False, band=False))
    plate = cv2.resize(plate, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    crop = cv2.copyMakeBorder(plate, margin_top, margin_bottom, 4, 4, cv2.BORDER_CONSTANT, value=(200, 200, 200))
    joined = split_join(crop)
    half = joined.shape[1] // 2
    left, right = _ink_rows(joined[:, :half]), _ink_rows(joined[:, half:])
    assert len(left) and len(right)
    assert abs(left.mean() - right.mean()) < 0.1 * joined.shape[0]
    assert joined.shape[0] < 0.6 * crop.shape[0]


class _PartLocaliser(Localiser):
    """A localiser that saw only part of the plate: the box it returns, whatever the image."""

    def __init__(self, box):
        super().__init__()
        self.box = box

    def find(self, image, top_k=None):
        from recognition.localise import Candidate
        return [Candidate(self.box, 1.0)]


def _part_read(reader, img, box, two_line=False):
    return PlateRecogniser(reader, region="uk", localiser=_PartLocaliser(box), two_line=two_line).best(img)


def test_a_box_around_one_line_of_a_square_plate_is_completed(reader):
    """The localiser found only the bottom line ("CDE") or the top line ("AB12") of a square
    plate: the pipeline reads the box grown up or down as a two-line plate and reports it whole.
    18 plates, 36 boxes: stage X read 34 whole, R13 (committed) 32, most misses from the bottom line alone."""
    whole = 0
    for seed in (515, 516, 517):
        rng = random.Random(seed)
        for _ in range(6):
            img, label, (x, y, w, h) = render.uk_scene(rng, (1280, 720), plate_h=34, two_line=True)
            bottom = (x + int(0.06 * w), y + int(0.52 * h), int(0.88 * w), int(0.4 * h))
            top = (x + int(0.06 * w), y + int(0.08 * h), int(0.88 * w), int(0.4 * h))
            reads = [_part_read(reader, img, b, two_line=True) for b in (bottom, top)]
            whole += sum(r is not None and r.text == label for r in reads)
    assert whole >= 30, whole


def test_a_box_that_missed_part_of_a_plate_is_completed(reader):
    """The localiser's box holds only the first character group ("AB12"), or everything but the
    first character: the pipeline reads the box grown sideways and reports the whole registration,
    not the fragment."""
    rng = random.Random(616)
    whole = 0
    for _ in range(6):
        img, label, (x, y, w, h) = render.uk_scene(rng, (1280, 720), plate_h=34)
        first_group = (x + int(0.08 * w), y, int(0.45 * w), h)
        no_first_char = (x + int(0.25 * w), y, int(0.75 * w), h)
        reads = [_part_read(reader, img, b) for b in (first_group, no_first_char)]
        whole += sum(r is not None and r.text == label for r in reads)
    assert whole >= 8, whole


def test_a_northern_ireland_mark_missing_an_edge_character_is_completed(reader):
    """A box that cut off the first or last character of an NI mark reads as another valid mark
    ("IA6486" of "FIA6486", "A6486" of "IA6486"): the fuller mark, which extends it at that end,
    is reported."""
    rng = random.Random(717)
    whole = 0
    for _ in range(8):
        label, _, _ = render.random_uk_registration(rng, "ni")
        img, label, (x, y, w, h) = render.uk_scene(rng, (1280, 720), label=label, plate_h=34)
        no_first_char = (x + int(0.27 * w), y, int(0.73 * w), h)
        no_last_char = (x, y, int(0.86 * w), h)
        reads = [_part_read(reader, img, b) for b in (no_first_char, no_last_char)]
        whole += sum(r is not None and r.text == label for r in reads)
    assert whole >= 13, whole                           # 15 of 16 with the committed weights (8 without the rule)


def test_which_fuller_read_completes_a_part():
    from recognition.pipeline import PlateRead
    rec = PlateRecogniser(reader=object(), region="uk")
    read = lambda text, fmt: PlateRead(text, text, 0.9, (0, 0, 10, 5), fmt)  # noqa: E731
    more = rec._more_complete
    assert more(read("AB12CDE", "current"), read("B12CDE", "prefix"))          # a dated mark always
    assert more(read("IA4014", "ni"), read("4014", None))                      # a mark for no format
    assert more(read("IA4014", "ni"), read("A4014", "dateless"))               # extended at one end
    assert more(read("WHZ3227", "ni"), read("WHZ322", "ni"))
    assert not more(read("5194FD", "dateless"), read("5194D", "dateless"))     # a character put inside


def test_part_of():
    from recognition.pipeline import part_of
    assert part_of("F04LHV", "NF04LHV")                 # an edge character lost
    assert part_of("G637K", "SCF637K")                  # ... and the next one misread
    assert not part_of("AB12CDE", "AB12CDE") and not part_of("ABC", "XYZ12")
    assert not part_of("G63", "SCF637K")                # short pieces must be exact


def test_text_without_a_digit_gives_way_to_a_registration():
    """A US state name printed above the number ("TEXAS") or a sign, read confidently, must not
    outrank the registration read less confidently from another crop."""
    from recognition.ocr import TextRead

    class Reader:
        def read(self, crops):      # the wide crops hold the state name, the others the number
            return [TextRead("TEXAS", 0.98) if c.shape[1] > 75 else TextRead("CRK4732", 0.6) for c in crops]

    rec = PlateRecogniser(Reader(), region="any", localiser=Localiser())
    sign, plate = rec.read_crops([np.zeros((20, 90, 3), np.uint8), np.zeros((30, 60, 3), np.uint8)])
    assert plate.confidence > sign.confidence


def _square_plate_in_loose_crop(scale=0.22):
    """A square plate on a red car body with a dark fitting below it: the plate is under half the crop."""
    plate = render.pil_to_bgr(render.render_plate("E409 JYU", "uk", random.Random(3), two_line=True,
                                                  rear=False, band=False))
    plate = cv2.resize(plate, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = plate.shape[:2]
    crop = np.full((int(h * 1.9), int(w * 1.25), 3), (40, 40, 150), np.uint8)
    y0, x0 = int(0.3 * h), int(0.05 * w)
    crop[y0:y0 + h, x0:x0 + w] = plate
    crop[y0 + h + 4:y0 + h + 4 + int(0.35 * h), int(0.6 * w):int(0.85 * w)] = 20
    return crop, plate


def test_plate_within_cuts_a_square_plate_out_of_a_loose_crop():
    from recognition.localise import plate_within, two_line_views
    crop, plate = _square_plate_in_loose_crop()
    found = plate_within(crop)
    assert found is not None
    ph, pw = plate.shape[:2]
    # the plate and its margins (WITHIN_MARGIN a side): not the car body or the fitting below it
    assert ph <= found.shape[0] <= 1.35 * ph and pw <= found.shape[1] <= 1.35 * pw
    assert found.shape[0] < 0.75 * crop.shape[0]
    assert len(two_line_views(crop)) == 2
    # a crop the plate fills, and a one-line plate's shape, are left to split_join alone
    assert plate_within(plate) is None and len(two_line_views(plate)) == 1
    one_line = render.pil_to_bgr(render.render_plate("AB12 CDE", "uk", random.Random(3), rear=False, band=False))
    one_line = cv2.resize(one_line, None, fx=0.2, fy=0.2, interpolation=cv2.INTER_AREA)
    loose = cv2.copyMakeBorder(one_line, 30, 30, 10, 10, cv2.BORDER_CONSTANT, value=(40, 40, 150))
    assert plate_within(loose) is None


def test_a_square_plate_in_a_loose_crop_is_read(reader):
    crop, _ = _square_plate_in_loose_crop()
    read = PlateRecogniser(reader, region="uk").read_crops([crop])[0]
    assert read is not None and read.text == "E409JYU"
