import json

import numpy as np
import torch

from recognition import ocr, training
from recognition.ocr import PlateReader


def test_training_smoke_few_steps(tmp_path):
    before = torch.get_num_threads()
    out = tmp_path / "w.pth"
    summary = training.train(3, out, seed=1, batch_size=4, us_dir=None, log=None, checkpoint_every=0)
    torch.set_num_threads(before)
    assert summary["steps"] == 3 and out.exists()
    assert out.stat().st_size < 10_000_000
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["seed"] == 1 and meta["steps"] == 3
    sd = torch.load(out, weights_only=True)
    assert any(k.endswith("@q8") and v.dtype == torch.int8 for k, v in sd.items())   # compact storage
    assert all(v.dtype in (torch.float16, torch.float32) for k, v in sd.items() if v.is_floating_point())
    r = PlateReader(out)
    res = r.read([np.full((30, 120, 3), 200, np.uint8)])
    assert len(res) == 1 and 0.0 <= res[0].confidence <= 1.0


def test_us_split_is_sorted_halves(tmp_path):
    for n in ["b.jpg", "a.jpg", "d.jpg", "c.jpg"]:
        (tmp_path / n).write_bytes(b"")
    assert training.us_split(tmp_path) == (["a.jpg", "b.jpg"], ["c.jpg", "d.jpg"])


def test_missing_weights_is_a_clear_error(tmp_path):
    import pytest
    with pytest.raises(ocr.WeightsMissingError, match="not found"):
        PlateReader(tmp_path / "nope.pth")
