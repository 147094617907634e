import random

import pytest

from recognition import ocr, render


@pytest.mark.skipif(not ocr.bf16_supported(), reason="this CPU has no native bfloat16")
def test_the_bfloat16_reader_reads_plates_as_the_float_reader_does(reader):
    exact = ocr.PlateReader(bf16=False)
    assert reader.bf16 and isinstance(reader.model.FeatureExtraction, ocr.BF16Features)
    assert not exact.bf16
    rng = random.Random(77)
    crops, labels = [], []
    for _ in range(24):
        plate, label, style = render.random_plate(rng, (1.0, 0.0, 0.0))
        if style == "uk2":
            continue
        crops.append(render.crop_sample(plate, rng))
        labels.append(label)
    fast, slow = reader.read(crops), exact.read(crops)
    same = sum(a.text == b.text for a, b in zip(fast, slow))
    assert same >= len(crops) - 1
    assert sum(a.text == label for a, label in zip(fast, labels)) >= 0.8 * len(crops)
    assert all(abs(a.confidence - b.confidence) < 0.2 for a, b in zip(fast, slow) if a.text == b.text)


def test_the_reader_can_be_kept_in_float(monkeypatch):
    monkeypatch.setenv("ANPR_READER_BF16", "0")
    r = ocr.PlateReader()
    assert not r.bf16 and not isinstance(r.model.FeatureExtraction, ocr.BF16Features)
