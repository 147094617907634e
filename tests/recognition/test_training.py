import json
import time

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


def test_frozen_convolutions_are_saved_as_they_were_and_unfrozen_ones_learn(tmp_path):
    before = torch.get_num_threads()
    ocr.save_weights(ocr.build_model(None), tmp_path / "stock.pth")     # stored as every weights file is
    stock = ocr.build_model(tmp_path / "stock.pth").FeatureExtraction.ConvNet[0].weight
    for freeze_first in (9, 0):
        out = tmp_path / f"freeze{freeze_first}.pth"
        training.train(1, out, seed=2, batch_size=4, lr=1e-2, log=None, checkpoint_every=0, workers=0,
                       freeze_first=freeze_first)
        first = ocr.build_model(out).FeatureExtraction.ConvNet[0].weight
        assert torch.equal(first, stock) == (freeze_first == 9)
    torch.set_num_threads(before)


def test_us_split_is_sorted_halves(tmp_path):
    for n in ["b.jpg", "a.jpg", "d.jpg", "c.jpg"]:
        (tmp_path / n).write_bytes(b"")
    assert training.us_split(tmp_path) == (["a.jpg", "b.jpg"], ["c.jpg", "d.jpg"])


def test_missing_weights_is_a_clear_error(tmp_path):
    import pytest
    with pytest.raises(ocr.WeightsMissingError, match="not found"):
        PlateReader(tmp_path / "nope.pth")


def test_localiser_crops_are_labelled_only_when_they_hold_the_whole_plate():
    plate = (100, 50, 200, 40)
    assert training.covers((95, 45, 210, 50), plate)            # a little margin
    assert training.covers((104, 52, 194, 36), plate)           # 3 % slack on the ends
    assert not training.covers((150, 50, 150, 40), plate)       # left characters cut off
    assert not training.covers((100, 80, 200, 40), plate)       # mostly below the plate
    assert not training.covers((0, 0, 600, 120), plate)         # far too wide: a whole car front


def test_anpr_recognition_train_command_records_its_settings(tmp_path):
    from typer.testing import CliRunner

    from anpr_gov.cli import app
    before = torch.get_num_threads()
    out = tmp_path / "cli.pth"
    res = CliRunner().invoke(app, ["recognition", "train", "--steps", "1", "--out", str(out), "--seed", "5",
                                   "--threads", "1", "--lr", "0.0001", "--img-h", "32", "--rare-boost", "2", "--confusable", "0.5",
                                   "--cells", "0.3", "--faces", "0.2", "--swap", "0.4", "--two-line", "0.3",
                                   "--two-line-crops", "any", "--workers", "0", "--eu-marks", "0.6", "--uk-face", "0.7", "--raised", "0.2",
                                   "--freeze-first", "0", "--precision", "fp32", "--schedule-by-time",
                                   "--time-limit-s", "600", "--average-tail", "0.5"])
    torch.set_num_threads(before)
    assert res.exit_code == 0, res.output
    meta = json.loads(out.with_suffix(".json").read_text())
    assert (meta["steps"], meta["seed"], meta["lr"], meta["img_h"], meta["rare_boost"], meta["confusable"],
            meta["cells"], meta["faces"], meta["swap"], meta["two_line"], meta["two_line_crops"], meta["workers"],
            meta["bf16"], meta["schedule_by_time"], meta["average_tail"], meta["eu_marks"], meta["uk_face"], meta["raised"], meta["freeze_first"]) == (
        1, 5, 0.0001, 32, 2.0, 0.5, 0.3, 0.2, 0.4, 0.3, "any", 0, False, True, 0.5, 0.6, 0.7, 0.2, 0)
    assert (tmp_path / "cli-last.pth").exists()
    bad = CliRunner().invoke(app, ["recognition", "train", "--steps", "1", "--out", str(out), "--precision", "fp16"])
    assert bad.exit_code == 2 and "--precision" in bad.output
    bad = CliRunner().invoke(app, ["recognition", "train", "--steps", "1", "--out", str(out), "--two-line-crops", "loose"])
    assert bad.exit_code == 2 and "--two-line-crops" in bad.output
    bad = CliRunner().invoke(app, ["recognition", "train", "--steps", "1", "--out", str(out), "--schedule-by-time"])
    assert bad.exit_code == 2 and "--time-limit-s" in bad.output


def test_learning_rate_warms_up_then_decays_to_a_floor_by_steps_or_by_time():
    assert abs(training.lr_share(0, 1000, 50) - 1 / 50) < 1e-9            # warm-up
    assert 0.99 < training.lr_share(49, 1000, 50) < 1.0
    assert abs(training.lr_share(500, 1000, 50) - 0.525) < 1e-9            # half way down the cosine
    assert abs(training.lr_share(1000, 1000, 50) - 0.05) < 1e-9           # the floor
    # a slow machine: 10 % of the steps done but the time nearly spent: the decay follows the time
    assert abs(training.lr_share(100, 1000, 50, time_share=1.0) - 0.05) < 1e-9
    assert training.lr_share(100, 1000, 50, time_share=0.0) > 0.9


def test_rare_characters_are_sampled_more_often():
    labels = ["AB12"] * 5 + ["AB12W"]                    # W once, every other character 6 times
    w = training.rare_weights(labels, 4)
    assert w[:5] == [1.0] * 5 and w[5] == 1 + 4 * (3.0 - 1) / 2    # W is 5 times rarer: capped at 3
    assert training.rare_weights(labels, 0) == [1.0] * 6


def test_confusable_plates_are_mostly_confusable_letters():
    import random

    rng = random.Random(3)
    labels = [training.confusable_text(rng)[0] for _ in range(300)]
    letters = [c for label in labels for c in label if c.isalpha()]
    share = sum(c in training.CONFUSABLE_LETTERS for c in letters) / len(letters)
    assert share > 0.7                                   # uniform letters would give a half
    assert all(label.isalnum() and any(c.isdigit() for c in label) for label in labels)
    c = training.SampleSource(11, negative_fraction=0.0, confusable_fraction=1.0)
    assert all(sum(ch in training.CONFUSABLE_LETTERS for ch in c()[1]) >= 1 for _ in range(5))


def test_batches_made_in_a_producer_process_are_the_batches_made_in_process():
    args = (4, None, 0.0, 0.0, 0.2, 3, 32)       # seed, no US photos, confusable 0.2, batch 3, 32 px
    here, there = training.BatchFeed(args, workers=0), training.BatchFeed(args, workers=1)
    try:
        for _ in range(2):
            a, b = here.next(), there.next()
            assert all(torch.equal(x, y) for x, y in zip(a, b))
    finally:
        here.close(), there.close()
    assert not there.process.is_alive()


def test_a_producer_that_fails_is_a_clear_error_not_a_hang(tmp_path):
    import pytest
    (tmp_path / "a.jpg").write_bytes(b"")            # a photo without its annotation file
    (tmp_path / "b.jpg").write_bytes(b"")
    with pytest.raises(RuntimeError, match="batch producer stopped"):
        training.BatchFeed((1, str(tmp_path), 0.25, 0.0, 0.0, 2, 32), workers=1)


def test_the_batch_producer_ends_when_its_trainer_is_killed():
    import signal
    import subprocess
    import sys
    from pathlib import Path
    trainer = subprocess.Popen(
        [sys.executable, "-c", "import time\n"
         "from recognition import training\n"
         "feed = training.BatchFeed((4, None, 0.0, 0.0, 0.0, 2, 32), workers=1)\n"
         "print(feed.process.pid, flush=True)\n"
         "time.sleep(600)\n"], stdout=subprocess.PIPE, text=True)
    producer = int(trainer.stdout.readline())
    trainer.send_signal(signal.SIGKILL)
    trainer.wait()

    def gone() -> bool:
        status = Path(f"/proc/{producer}/status")
        return not status.exists() or "State:\tZ" in status.read_text()
    deadline = time.monotonic() + 30
    while not gone() and time.monotonic() < deadline:
        time.sleep(0.2)                  # a process's end has no event to wait on from here
    assert gone(), "the producer outlived its trainer"


def test_precision_is_recorded_with_the_weights(tmp_path):
    before = torch.get_num_threads()
    summary = training.train(1, tmp_path / "f.pth", seed=2, batch_size=2, log=None, checkpoint_every=0,
                             workers=0, bf16=False)
    torch.set_num_threads(before)
    meta = json.loads((tmp_path / "f.json").read_text())
    assert summary["bf16"] is False and meta["bf16"] is False and meta["workers"] == 0


def test_us_photos_take_the_share_of_batches_asked_for(tmp_path):
    import random

    import cv2

    from recognition import render
    rng = random.Random(6)
    for i in range(4):                          # a tiny photo folder in openalpr-us's layout
        img, label, (x, y, w, h) = render.uk_scene(rng, size=(640, 360), plate_h=36)
        cv2.imwrite(str(tmp_path / f"p{i}.jpg"), img)
        (tmp_path / f"p{i}.txt").write_text(f"p{i}.jpg\t{x}\t{y}\t{w}\t{h}\t{label}\n")
    out = tmp_path / "u.pth"
    before = torch.get_num_threads()
    training.main(["--steps", "1", "--out", str(out), "--us-dir", str(tmp_path), "--us-fraction", "0.5",
                   "--batch-size", "2", "--img-h", "32", "--workers", "0", "--precision", "fp32"])
    torch.set_num_threads(before)
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["us_training_half"] and meta["us_fraction"] == 0.5
    source = training.SampleSource(3, training.USCrops(tmp_path, ["p0.jpg", "p1.jpg"]), us_fraction=1.0,
                                   negative_fraction=0.0)
    labels = {training.load_us_annotations(tmp_path, [n])[0][2] for n in ("p0.jpg", "p1.jpg")}
    assert all(source()[1] in labels for _ in range(6))      # every sample a training-half photo


def test_averaged_weights_are_the_mean_of_the_files(tmp_path):
    import pytest

    a, b, out = tmp_path / "a.pth", tmp_path / "b.pth", tmp_path / "ab.pth"
    model = ocr.build_model()
    ocr.save_weights(model, a, {"seed": 7, "img_h": 64})
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.01)
    ocr.save_weights(model, b, {"seed": 8, "img_h": 64})
    training.main(["--average", str(a), str(b), "--out", str(out)])
    sa, sb, sab = (ocr.build_model(p).state_dict() for p in (a, b, out))
    name = "Prediction.weight"
    mean = (sa[name] + sb[name]) / 2
    assert torch.allclose(sab[name], mean, atol=2 * sab[name].abs().max().item() / 127)   # int8 storage
    assert not torch.allclose(sab[name], sa[name], atol=1e-4)
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["img_h"] == 64 and [(m["weights"], m["share"], m["summary"]["seed"]) for m in meta["averaged"]] == [
        ("a.pth", 0.5, 7), ("b.pth", 0.5, 8)]
    assert PlateReader(out).read([np.full((30, 120, 3), 200, np.uint8)])[0].confidence >= 0.0
    with pytest.raises(ValueError, match="at least two"):
        training.average_weights([a], out)
    with pytest.raises(ValueError, match="summing to 1"):
        training.average_weights([a, b], out, share=[0.7, 0.7])
    ocr.save_weights(model, b, {"img_h": 48})
    with pytest.raises(ValueError, match="different input heights"):
        training.average_weights([a, b], out)


def test_the_tail_average_is_the_mean_of_the_models_it_was_given():
    model = ocr.build_model()
    name = "Prediction.weight"
    first = model.state_dict()[name].clone()
    tail = training.TailAverage()
    tail.add(model)
    with torch.no_grad():
        model.Prediction.weight.add_(0.02)
    tail.add(model)
    mean = ocr.build_model()
    tail.load_into(mean)
    assert tail.count == 2
    assert torch.allclose(mean.state_dict()[name], first + 0.01, atol=1e-6)


def test_a_run_with_an_averaged_tail_saves_the_mean_and_the_last_step_beside_it(tmp_path):
    import pytest
    before = torch.get_num_threads()
    out = tmp_path / "t.pth"
    training.train(4, out, seed=3, batch_size=2, log=None, checkpoint_every=0, workers=0, bf16=False,
                   img_h=32, average_tail=0.5)
    torch.set_num_threads(before)
    meta, last_meta = (json.loads(p.read_text()) for p in (out.with_suffix(".json"), tmp_path / "t-last.json"))
    assert meta["average_tail"] == 0.5 and meta["averaged_steps"] == 3     # after steps 2-4: progress 0.5 to 1
    assert last_meta["average_tail"] == 0.0 and last_meta["steps"] == 4
    mean, last = (ocr.build_model(p).state_dict()["Prediction.weight"] for p in (out, tmp_path / "t-last.pth"))
    assert not torch.equal(mean, last)
    with pytest.raises(ValueError, match="share of the run"):
        training.train(1, out, average_tail=1.0, log=None)


def test_a_runs_progress_is_its_share_of_the_steps_or_of_the_time_whichever_is_further():
    assert training.run_progress(250, 1000) == 0.25
    assert training.run_progress(250, 1000, time_share=0.5) == 0.5
    assert training.run_progress(2000, 1000) == 1.0 and training.run_progress(1, 1000, time_share=3.0) == 1.0
