"""Development check: rendered UK plates on the development seeds, to choose between weights or
pipeline changes without looking at the evaluation seed (424242) or the US evaluation half.

    .venv/bin/python -m benchmarks.development --weights W.pth     # all parts, about 6 minutes on one thread
    .venv/bin/python -m benchmarks.development --parts crops --seed 5555 --n 600

The full check, as the model card's development figures were made (2350 plates):
crops seed 5555 (600), half-strength crops seed 5557 (400), and for seeds 5555, 5556 and 5558
scenes (n/2 at seed + 1) and square plates (n/4 at seed + 3), n = 600.  Training uses seeds 0-41 (TRAINING_SEEDS).
``--parts continental``: continental plates with their country's marks (n at seed + 5), not in the full set.
``--parts whole``: the crops given whole to ``recognise`` (as ``anpr recognise`` gets a plate cut out by
another detector), exact when its best plate is; ``--large`` draws plates 40-200 px high instead of 18-40.
``--parts closeup``: plates photographed close (45-80 % of a 1080p to 12 MP photo's width), given to
``recognise``.  Neither is in the full set.
``--parts face-crops,face-scenes``: plates drawn in the UK plate face (recognition/plateface.py), as crops
(n) and in one-line scenes (n/2); not in the full set either.
``--parts raised-crops,raised-scenes``: the same with raised characters (3D gel or 4D acrylic plates,
render.RAISED_STYLES); not in the full set.
``--grey``: every image turned to grey before it is read, as the infrared cameras most ANPR sites use see plates
(a yellow rear plate and a white front one look alike; the blue band is a grey one).
"""
from __future__ import annotations

import argparse
import random
import sys
import time

import cv2
import numpy as np
import torch

from benchmarks.recognition import bench_uk_crops, bench_uk_scenes
from recognition import render
from recognition.pipeline import HIT_THRESHOLD
from recognition.plateface import FACE_NAME

# seeds the committed weights' stages and the trained-and-dropped stages rendered their plates from
TRAINING_SEEDS = range(0, 42)  # stages W and X trained with seeds 39 and 40, the one-hour run R13 with 41
EVALUATION_SEED = 424242

# (part, seed, n, augmentation strength): the full development set
FULL = [("crops", 5555, 600, 1.0), ("crops", 5557, 400, 0.5)] + [
    (part, seed, 600, 1.0) for seed in (5555, 5556, 5558) for part in ("scenes", "square")]


# a part's plates come from the base seed plus this (so one base seed gives three unlike sets)
SEED_OFFSET = {"crops": 0, "scenes": 1, "square": 3, "continental": 5, "whole": 0, "closeup": 0,
               "face-crops": 6, "face-scenes": 7, "raised-crops": 8, "raised-scenes": 9}


def _read_whole(rec, samples, title: str, misses: bool) -> None:
    """Each (image, label) given whole to ``rec.recognise``: exact share (its best plate), wrong at or
    above the hit threshold, more than one plate reported, and the median time an image."""
    from statistics import median
    ok = wrong = extra = 0
    ms = []
    for img, label in samples:
        t0 = time.perf_counter()
        plates = rec.recognise(img).plates
        ms.append((time.perf_counter() - t0) * 1000)
        best = plates[0] if plates else None
        ok += bool(best and best.text == label)
        wrong += bool(best and best.text != label and best.confidence >= HIT_THRESHOLD)
        extra += len(plates) > 1
        if misses and (not (best and best.text == label) or len(plates) > 1):
            print("   ", label, img.shape[:2], [(p.text, round(p.confidence, 2)) for p in plates])
    print(f"{title}: {ok}/{len(samples)} exact, {wrong} wrong at or above the hit threshold, "
          f"{extra} with more than one plate; median {median(ms):.0f} ms per image", flush=True)


def whole_crops(rng, n: int, strength: float, large: bool):
    """Rendered UK plate crops, as another detector would cut them out (``large``: 40-200 px high)."""
    for _ in range(n):
        plate, label, _ = render.render_uk_plate(rng)
        yield render.crop_sample(plate, rng, strength=strength, height=rng.randint(40, 200) if large else None), label


def close_ups(rng, n: int, strength: float):
    """Rendered UK plates photographed close: a loose crop 45-80 % of the width of a 1080p, 3 MP or
    12 MP photo, on a noisy grey ground."""
    for i in range(n):
        plate, label, _ = render.render_uk_plate(rng)
        w, h = rng.choice([(1920, 1080), (2048, 1536), (4032, 3024)])
        crop = render.crop_sample(plate, rng, strength=strength, height=120, crop="loose")
        s = min(rng.uniform(0.45, 0.8) * w / crop.shape[1], 0.9 * h / crop.shape[0])
        crop = cv2.resize(crop, None, fx=s, fy=s)
        noise = np.random.default_rng(i).normal(0, 20, (h, w, 3))
        img = cv2.GaussianBlur(np.clip(rng.randint(40, 200) + noise, 0, 255).astype(np.uint8), (0, 0), 3)
        y, x = rng.randint(0, h - crop.shape[0]), rng.randint(0, w - crop.shape[1])
        img[y:y + crop.shape[0], x:x + crop.shape[1]] = crop
        yield img, label


class Grey:
    """A PlateRecogniser that is given every image in grey (as an infrared camera takes it), 3 channels kept.
    It has no ``reader``: a part that reads with the reader alone (continental) would skip the grey."""

    def __init__(self, rec):
        self.rec = rec

    @staticmethod
    def grey(image: np.ndarray) -> np.ndarray:
        return cv2.cvtColor(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)

    def read_crops(self, crops):
        return self.rec.read_crops([self.grey(c) for c in crops])

    def recognise_all(self, image):
        return self.rec.recognise_all(self.grey(image))

    def recognise(self, image):
        return self.rec.recognise(self.grey(image))


def run(rec, part: str, seed: int, n: int, strength: float) -> dict:
    quiet = lambda s: None  # noqa: E731
    seed += SEED_OFFSET[part]
    if part == "crops":
        return bench_uk_crops(rec, n, seed, strength, quiet, "dev")
    if part == "face-crops":
        return bench_uk_crops(rec, n, seed, strength, quiet, "dev", font=FACE_NAME)
    if part == "face-scenes":
        return bench_uk_scenes(rec, n // 2, seed, quiet, "dev", font=FACE_NAME)
    if part == "raised-crops":
        return bench_uk_crops(rec, n, seed, strength, quiet, "dev", font=FACE_NAME, raised=True)
    if part == "raised-scenes":
        return bench_uk_scenes(rec, n // 2, seed, quiet, "dev", font=FACE_NAME, raised=True)
    if part == "scenes":
        return bench_uk_scenes(rec, n // 2, seed, quiet, "dev")
    return bench_uk_scenes(rec, n // 4, seed, quiet, "dev", two_line=True)


def continental(reader, seed: int, n: int, misses: bool) -> None:
    """Continental plates with their marks, read with region uk and any (exact, by mark drawn, misses)."""
    from benchmarks.recognition import bench_eu_crops
    from recognition.pipeline import PlateRecogniser
    r = bench_eu_crops(PlateRecogniser(reader, region="uk"), PlateRecogniser(reader, region="any"), n,
                       seed + SEED_OFFSET["continental"], lambda s: None, marks=1.0)
    for region in ("uk", "any"):
        marks = ", ".join(f"{k} {v['exact']:.1%} of {v['n']}" for k, v in r[region]["by_marks"].items())
        print(f"continental seed {seed + SEED_OFFSET['continental']} with marks, region {region}: "
              f"{r[region]['exact']:.1%} of {n} exact; by mark: {marks}", flush=True)
        for m in r[region]["misses"] if misses else ():
            print("   ", m)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.development", description=__doc__.split("\n\n")[0])
    ap.add_argument("--weights", default=None, help="weights to check (default: the committed ones)")
    ap.add_argument("--parts", default=None, help="crops,scenes,square,continental (default: the full development set: "
                                                  "UK plates only)")
    ap.add_argument("--seed", type=int, default=5555)
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--strength", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--misses", action="store_true", help="list every miss")
    ap.add_argument("--large", action="store_true", help="--parts whole: plates 40-200 px high")
    ap.add_argument("--grey", action="store_true", help="read every image in grey, as an infrared camera sees it")
    a = ap.parse_args(argv)
    if a.seed in TRAINING_SEEDS or a.seed == EVALUATION_SEED:
        ap.error(f"seeds {TRAINING_SEEDS.start}-{TRAINING_SEEDS.stop - 1} train and {EVALUATION_SEED} evaluates: "
                 "choose another seed")
    torch.set_num_threads(a.threads)
    cv2.setNumThreads(a.threads)
    from recognition.ocr import PlateReader
    from recognition.pipeline import PlateRecogniser
    rec = PlateRecogniser(PlateReader(a.weights), region="uk")
    plan = FULL if a.parts is None else [(p, a.seed, a.n, a.strength) for p in a.parts.split(",")]
    if any(part not in SEED_OFFSET for part, *_ in plan):
        ap.error("--parts: choose from " + ", ".join(SEED_OFFSET))
    if a.grey:
        if any(part == "continental" for part, *_ in plan):
            ap.error("--grey: the UK parts only")
        rec = Grey(rec)
    total = exact = wrong_confident = 0
    t0 = time.time()
    for part, seed, n, strength in plan:
        if part == "continental":
            continental(rec.reader, seed, n, a.misses)
            continue
        if part in ("whole", "closeup"):
            rng = random.Random(seed + SEED_OFFSET[part])
            if part == "whole":
                samples = list(whole_crops(rng, n, strength, a.large))
                title = f"whole crops seed {seed + SEED_OFFSET[part]} strength {strength} heights {'40-200' if a.large else '18-40'} px"
            else:
                samples = list(close_ups(rng, n, strength))
                title = f"close-ups seed {seed + SEED_OFFSET[part]} strength {strength}"
            _read_whole(rec, samples, title, a.misses)
            continue
        r = run(rec, part, seed, n, strength)
        ok = sum(o for _, o in r["_pairs"])
        hit = r["above_hit_threshold"]
        wrong = sum(1 for conf, o in r["_pairs"] if conf >= HIT_THRESHOLD and not o)
        total, exact, wrong_confident = total + r["n"], exact + ok, wrong_confident + wrong
        layout = "".join(f", {name.replace('_', '-')} {v['exact']:.1%} of {v['n']}"
                         for name, v in r.get("by_layout", {}).items() if v["n"])
        print(f"{part} seed {seed + SEED_OFFSET[part]} strength {strength}: {ok}/{r['n']} exact{layout}; at or above the "
              f"hit threshold {hit['n_above']}, {wrong} wrong", flush=True)
        for m in r["misses"] if a.misses else ():
            print("   ", m)
    if total:
        print(f"all: {exact}/{total} exact, {wrong_confident} wrong at or above the hit threshold, {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
