import random

import numpy as np
import torch

from recognition import ocr, render


def test_channels_last_keeps_the_networks_output_and_its_weight_names():
    plain = ocr.build_model(ocr.DEFAULT_WEIGHTS).eval()
    fast = ocr.use_channels_last(ocr.build_model(ocr.DEFAULT_WEIGHTS)).eval()
    assert list(fast.state_dict()) == list(plain.state_dict())
    rng = random.Random(21)
    crops = [render.crop_sample(render.render_uk_plate(rng)[0], rng, strength=0.5) for _ in range(4)]
    width = max(ocr.resized_width(c) for c in crops)
    x = torch.from_numpy(np.stack([ocr.preprocess(c, width) for c in crops]))
    with torch.inference_mode():
        a, b = plain(x, None), fast(x, None)
    assert torch.allclose(a, b, atol=1e-3, rtol=1e-3)
    assert [t for t, _ in ocr.decode(a)] == [t for t, _ in ocr.decode(b)]


def test_weights_saved_from_a_channels_last_model_load_into_a_plain_one(tmp_path):
    fast = ocr.use_channels_last(ocr.build_model(ocr.DEFAULT_WEIGHTS)).eval()
    ocr.save_weights(fast, tmp_path / "w.pth")
    again = ocr.build_model(tmp_path / "w.pth").eval()
    x = torch.rand(2, 1, ocr.IMG_H, 128) * 2 - 1
    with torch.inference_mode():
        assert torch.allclose(fast(x, None), again(x, None), atol=0.05)
