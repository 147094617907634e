"""How the recognition benchmark scores stock EasyOCR's ``readtext`` on rendered UK plates: a crop's
pieces are joined in reading order, and a square plate's two lines count as one text in a scene."""
from benchmarks.recognition import readtext_crop, readtext_plate, readtext_texts


def _piece(x, y, w, h, text, conf=0.9):
    """One ``readtext`` result: four corner points, text, confidence."""
    return ([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], text, conf)


def test_crop_pieces_are_joined_in_reading_order():
    # a two-line plate read as two pieces, given bottom line first; and a line read in two pieces
    assert readtext_crop([_piece(4, 30, 40, 20, "CDE"), _piece(2, 4, 44, 20, "ab12")]) == "AB12CDE"
    assert readtext_crop([_piece(60, 5, 50, 20, "CDE"), _piece(2, 4, 50, 22, "AB 12")]) == "AB12CDE"
    assert readtext_crop([]) == ""


def test_scene_plate_is_the_most_confident_plate_length_text():
    results = [_piece(10, 10, 300, 30, "SUPERMARKET CAR PARK", 0.99), _piece(500, 400, 120, 25, "AB12 CDE", 0.6),
               _piece(700, 100, 20, 20, "X", 0.95)]
    assert readtext_plate(results) == "AB12CDE"
    assert readtext_plate([]) is None


def test_a_square_plates_lines_count_as_one_text_in_a_scene():
    top, bottom = _piece(500, 400, 60, 22, "AB12", 0.8), _piece(505, 426, 50, 22, "CDE", 0.99)
    assert readtext_plate([bottom, top]) == "AB12CDE"
    # pieces side by side, or far apart, are not a plate's two lines
    apart = _piece(505, 520, 50, 22, "CDE", 0.99)
    assert readtext_plate([top, apart]) == "CDE"


def test_scene_texts_list_every_plate_length_text_with_its_confidence():
    top, bottom = _piece(500, 400, 60, 22, "AB12", 0.8), _piece(505, 426, 50, 22, "CDE", 1.0)
    sign = _piece(10, 10, 100, 30, "EXIT", 1.0)
    assert sorted(readtext_texts([sign, top, bottom])) == [("AB12CDE", 0.9), ("EXIT", 1.0)]
    # the sign is more confident: the rule picks it, and the plate is still among the texts
    assert readtext_plate([sign, top, bottom]) == "EXIT"


def test_the_committed_results_render_as_tables_with_the_uk_plate_faces_and_stock_beside_them():
    import json
    from pathlib import Path

    from benchmarks.recognition import markdown
    results = json.loads((Path(__file__).resolve().parents[2] / "benchmarks/results/recognition.json").read_text())
    md = markdown(results)
    face, crops = md[md.index("drawn in the UK plate face"):], results["uk_face_rendered"]["crops"]
    pct = lambda v: f"{v * 100:.1f}%"  # noqa: E731
    assert f"| crops, augmentation at full strength | {crops['n']} | **{pct(crops['exact'])}** |" in face
    stock = crops["stock"]
    assert (f"Stock EasyOCR on the same crops: our pipeline with the stock recogniser "
            f"{pct(stock['ours_pipeline_stock_recogniser']['exact'])}; `readtext` "
            f"{pct(stock['stock_easyocr_readtext']['exact'])} of {crops['n']}.") in face
    # the face with raised characters (3D gel, 4D acrylic) gets a table of its own, stock beside it
    raised, rcrops = md[md.index("with raised characters"):], results["uk_raised_rendered"]["crops"]
    assert f"| crops, augmentation at full strength | {rcrops['n']} | **{pct(rcrops['exact'])}** |" in raised
    assert f"`readtext` {pct(rcrops['stock']['stock_easyocr_readtext']['exact'])}" in raised
