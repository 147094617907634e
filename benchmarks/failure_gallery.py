"""Pictures of the recogniser's misses, for the failure cases in benchmarks/RECOGNITION.md.

    .venv/bin/python -m benchmarks.failure_gallery [--n-uk 500] [--seed 424242] [--out docs/recognition]

Writes ``uk-crop-misses.png`` (rendered UK crops of the benchmark's evaluation seed that were not read
exactly) and, when ``../shared/datasets/openalpr-us`` is there, ``us-eval-misses.png`` (the ground-truth
plate region of each US evaluation photo whose best read was wrong).  Each tile is labelled
"truth -> read (confidence)".
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.recognition import read_in_batches  # noqa: E402
from recognition import formats, render  # noqa: E402
from recognition.pipeline import PlateRecogniser  # noqa: E402
from recognition.sources import read_image  # noqa: E402
from recognition.training import load_us_annotations, us_split  # noqa: E402

TILE_W, TILE_H, CAPTION_H = 300, 110, 22


def tile(img: np.ndarray, caption: str) -> np.ndarray:
    out = np.full((TILE_H + CAPTION_H, TILE_W, 3), 255, np.uint8)
    s = min(TILE_W / img.shape[1], TILE_H / img.shape[0])
    small = cv2.resize(img, (max(1, int(img.shape[1] * s)), max(1, int(img.shape[0] * s))),
                       interpolation=cv2.INTER_NEAREST if s > 1 else cv2.INTER_AREA)
    out[CAPTION_H:CAPTION_H + small.shape[0], :small.shape[1]] = small
    cv2.putText(out, caption, (3, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 200), 1, cv2.LINE_AA)
    return out


def grid(tiles, columns: int = 6) -> np.ndarray:
    blank = np.full_like(tiles[0], 255)
    tiles = tiles + [blank] * (-len(tiles) % columns)
    return np.vstack([np.hstack(tiles[i:i + columns]) for i in range(0, len(tiles), columns)])


def caption(truth: str, read) -> str:
    return f"{truth} -> {read.text if read else '(none)'} ({read.confidence:.2f})" if read else f"{truth} -> (none)"


def uk_misses(rec: PlateRecogniser, n: int, seed: int):
    """The same crops as benchmarks/recognition.py's full-strength UK crop set, read in the same
    batches (read_in_batches)."""
    rng = random.Random(seed)
    samples = []
    for _ in range(n):
        plate, label, _ = render.render_uk_plate(rng)
        samples.append((render.crop_sample(plate, rng), label))
    return [tile(crop, caption(label, read)) for crop, label, read in read_in_batches(rec, samples)
            if read is None or read.text != label]


def us_misses(rec: PlateRecogniser, us_dir: Path):
    _, names = us_split(us_dir)
    tiles = []
    for path, (x, y, w, h), plate in load_us_annotations(us_dir, names):
        img = read_image(path)
        read = rec.best(img)
        if read is None or not formats.plate_equal(read.text, plate):
            X0, Y0 = max(0, x - w // 2), max(0, y - h)
            tiles.append(tile(img[Y0:y + 2 * h, X0:x + w + w // 2], caption(plate, read)))
    return tiles


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-uk", type=int, default=500)
    ap.add_argument("--seed", type=int, default=424242)
    ap.add_argument("--us-dir", default=str(ROOT.parent / "shared" / "datasets" / "openalpr-us"))
    ap.add_argument("--out", default=str(ROOT / "docs" / "recognition"))
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    uk = uk_misses(PlateRecogniser(region="uk"), a.n_uk, a.seed)
    if uk:
        cv2.imwrite(str(out / "uk-crop-misses.png"), grid(uk))
    print(f"UK crops missed: {len(uk)} of {a.n_uk}")
    if Path(a.us_dir).is_dir():
        us = us_misses(PlateRecogniser(region="any"), Path(a.us_dir))
        if us:
            cv2.imwrite(str(out / "us-eval-misses.png"), grid(us))
        print(f"US evaluation photos missed: {len(us)}")


if __name__ == "__main__":
    main()
