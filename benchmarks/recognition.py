"""Benchmark of the plate-recognition library (recognition/) beside stock EasyOCR.

    .venv/bin/python benchmarks/recognition.py [--us-dir ../shared/datasets/openalpr-us]
        [--n-uk 500] [--seed 424242] [--threads 2] [--no-stock] [--json out.json]

Measures:
  * US evaluation half (111 photos sorting last): exact whole-plate accuracy (O == 0, no UK
    correction) of the best read, plate detection rate (best read's box IoU >= 0.3 with the
    ground truth), ms per image (decode + localise + OCR) median / p90; for our pipeline,
    our pipeline with EasyOCR's stock recogniser, and stock EasyOCR ``readtext``.
  * Rendered UK plates (seed unseen by training): crops (full and half augmentation strength),
    and pasted into synthetic scenes (whole pipeline; one-line plates, and square two-line plates);
    accuracy per confidence band and of reads above HIT_THRESHOLD; beside each part, the same plates
    read by our pipeline with EasyOCR's stock recogniser and by stock ``readtext`` (which takes
    seconds a 1280x720 scene: only the first ``--stock-scenes`` scenes of each scene part).
  * Rendered continental (EU) plates as crops, read with region "uk" (kept as read, not forced
    into a UK mark) and region "any".
  * Frames per second on a 1080p synthetic frame sequence with motion gating.
Skips the US part with a clear message when the dataset is absent.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Tuple

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from recognition import formats, render  # noqa: E402
from recognition.localise import MotionGate, iou  # noqa: E402
from recognition.pipeline import HIT_THRESHOLD, READ_THRESHOLD, PlateRecogniser  # noqa: E402
from recognition.ocr import PlateReader, get_reader  # noqa: E402
from recognition.sources import read_image  # noqa: E402
from recognition.training import load_us_annotations, us_split  # noqa: E402
from benchmarks.machine import describe  # noqa: E402

BANDS = [0.0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.01]


def pct(a, q):
    return round(float(np.percentile(a, q)), 1) if len(a) else None


def share_exact(flags):
    """Share of True in ``flags`` (4 decimals), or None when there are none."""
    return round(sum(flags) / len(flags), 4) if flags else None


def bands(pairs):
    """pairs: [(confidence, correct)] -> rows per confidence band."""
    rows = []
    for lo, hi in zip(BANDS[:-1], BANDS[1:]):
        sel = [c for conf, c in pairs if lo <= conf < hi]
        rows.append({"band": f"[{lo:.2f},{min(hi, 1.0):.2f}{')' if hi <= 1 else ']'}", "n": len(sel),
                     "exact": share_exact(sel)})
    return rows


def above(pairs, thr):
    sel = [c for conf, c in pairs if conf >= thr]
    return {"threshold": thr, "n_above": len(sel), "share_above": round(len(sel) / max(1, len(pairs)), 4),
            "exact_above": share_exact(sel)}


def by_threshold(pairs, lo=0.3, hi=0.95, step=0.01):
    """{threshold: share of reads exact at or above it} from lo to hi (for choosing HIT_THRESHOLD:
    the share is not monotonic in the threshold, so each candidate is checked on every part)."""
    out = {}
    for k in range(int(round((hi - lo) / step)) + 1):
        thr = round(lo + k * step, 2)
        sel = [ok for conf, ok in pairs if conf >= thr]
        out[f"{thr:.2f}"] = share_exact(sel)
    return out


def choose_threshold(pairs, target=0.99):
    """Smallest threshold such that >= target of reads at or above it are exact."""
    for thr in sorted({round(c, 3) for c, _ in pairs}):
        sel = [ok for conf, ok in pairs if conf >= thr]
        if sel and sum(sel) / len(sel) >= target:
            return thr
    return 1.0


def bench_us(us_dir, rec_any, stock_rec, stock_reader, log, limit=None):
    _, eval_names = us_split(us_dir)
    eval_names = eval_names[:limit] if limit else eval_names
    ann = load_us_annotations(us_dir, eval_names)
    out = {}
    systems = [("ours", rec_any), ("ours_pipeline_stock_recogniser", stock_rec)]
    for name, rec in systems:
        if rec is None:
            continue
        ok = det = 0
        ms = []
        pairs, misses = [], []
        for path, box, plate in ann:
            t0 = time.perf_counter()
            img = read_image(path)
            best = rec.best(img)
            ms.append((time.perf_counter() - t0) * 1000)
            good = best is not None and formats.plate_equal(best.text, plate)
            found = best is not None and iou(best.box, box) >= 0.3
            ok += good
            det += found
            pairs.append((best.confidence if best else 0.0, bool(good)))
            if not good:
                misses.append({"image": Path(path).name, "plate": plate, "read": best.text if best else None,
                               "confidence": best.confidence if best else None, "plate_found": bool(found)})
        out[name] = {"n": len(ann), "exact": round(ok / len(ann), 4), "detected_iou03": round(det / len(ann), 4),
                     "ms_median": pct(ms, 50), "ms_p90": pct(ms, 90), "bands": bands(pairs),
                     "above_hit_threshold": above(pairs, HIT_THRESHOLD), "misses": misses}
        log(f"US eval {name}: {out[name]['exact']:.1%} exact, {out[name]['detected_iou03']:.1%} detected, "
            f"{out[name]['ms_median']} / {out[name]['ms_p90']} ms")
    if stock_reader is not None:
        ok = det = 0
        ms = []
        for path, box, plate in ann:
            t0 = time.perf_counter()
            img = read_image(path)
            res = stock_reader.readtext(img, canvas_size=640, allowlist=formats.ALPHABET)
            ms.append((time.perf_counter() - t0) * 1000)
            cands = [(c, formats.normalise(t), b) for b, t, c in res if 2 <= len(formats.normalise(t)) <= 8]
            if cands:
                c, t, b = max(cands, key=lambda x: x[0])
                xs = [p[0] for p in b]; ys = [p[1] for p in b]
                bb = (int(min(xs)), int(min(ys)), int(max(xs) - min(xs)), int(max(ys) - min(ys)))
                ok += formats.plate_equal(t, plate)
                det += iou(bb, box) >= 0.3
        out["stock_easyocr_readtext"] = {"n": len(ann), "exact": round(ok / len(ann), 4),
                                         "detected_iou03": round(det / len(ann), 4),
                                         "ms_median": pct(ms, 50), "ms_p90": pct(ms, 90)}
        s = out["stock_easyocr_readtext"]
        log(f"US eval stock readtext: {s['exact']:.1%} exact, {s['detected_iou03']:.1%} detected, "
            f"{s['ms_median']} / {s['ms_p90']} ms")
    return out


@dataclass
class Stock:
    """Stock EasyOCR, run beside our pipeline on the same plates."""
    rec_uk: PlateRecogniser         # our pipeline (region "uk") with EasyOCR's stock english_g2 recogniser
    reader: object                  # easyocr.Reader with the stock detector (CRAFT) and recogniser
    scenes: int = 100               # scenes per scene part read with ``readtext`` (seconds each)


def _bbox(points) -> Tuple[int, int, int, int]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return int(min(xs)), int(min(ys)), int(max(xs) - min(xs)), int(max(ys) - min(ys))


def _stacked(a, b) -> bool:
    """Box ``b`` is the line below box ``a`` (a two-line plate's lines): below it, overlapping across half the
    narrower width, with a gap of less than a line's height.  Looser than the localiser's rule
    (``recognition.localise._stacked``) on purpose, in stock's favour: ``readtext`` often cuts a square plate's
    lines unevenly, and with the localiser's rule it read 23 of the first 100 square evaluation scenes (the
    plate among its texts in 40) against 27 (45) with this one."""
    (ax, ay, aw, ah), (bx, by, bw, bh) = a, b
    overlap = min(ax + aw, bx + bw) - max(ax, bx)
    return by > ay + ah / 2 and overlap >= 0.5 * min(aw, bw) and by - (ay + ah) < max(ah, bh)


def readtext_crop(results) -> str:
    """Stock ``readtext`` results of a plate crop as one text: every piece, in reading order (lines top
    to bottom, pieces left to right), so a two-line plate or a plate read in pieces counts whole."""
    pieces = sorted(((_bbox(b), formats.normalise(t)) for b, t, _ in results), key=lambda p: p[0][1])
    lines: list = []
    for box, text in pieces:
        if lines and box[1] < lines[-1][0][1] + lines[-1][0][3] / 2:
            lines[-1][1].append((box, text))
        else:
            lines.append((box, [(box, text)]))
    return "".join(t for _, line in lines for _, t in sorted(line, key=lambda p: p[0][0]))


def readtext_texts(results) -> List[Tuple[str, float]]:
    """Stock ``readtext``'s plate-length texts (2-10 characters) in a scene with their confidence, where
    two pieces one above the other (a square plate's lines) count as one text at their mean confidence,
    in place of either piece."""
    pieces = [(_bbox(b), formats.normalise(t), c) for b, t, c in results]
    cands, used = [], set()
    for i, (a, ta, ca) in enumerate(pieces):
        for j, (b, tb, cb) in enumerate(pieces):
            if i != j and _stacked(a, b):
                cands.append((ta + tb, (ca + cb) / 2)); used.update((i, j))
    cands += [(t, c) for k, (_, t, c) in enumerate(pieces) if k not in used]
    return [(t, c) for t, c in cands if 2 <= len(t) <= 10]


def readtext_plate(results) -> Optional[str]:
    """Stock ``readtext``'s plate in a scene: its most confident plate-length text (readtext_texts), the
    rule the US part uses."""
    cands = readtext_texts(results)
    return max(cands, key=lambda x: x[1])[0] if cands else None


def stock_crops(stock: Stock, samples, log, name: str) -> dict:
    """The crops read by our pipeline with the stock recogniser and by stock ``readtext``."""
    t0 = time.perf_counter()
    pipeline = [r is not None and r.text == label for _, label, r in read_in_batches(stock.rec_uk, samples)]
    pipeline_ms = (time.perf_counter() - t0) * 1000 / len(samples)
    ok, ms = [], []
    for crop, label in samples:
        t0 = time.perf_counter()
        text = readtext_crop(stock.reader.readtext(crop, allowlist=formats.ALPHABET))
        ms.append((time.perf_counter() - t0) * 1000)
        ok.append(text == label)
    out = {"ours_pipeline_stock_recogniser": {"n": len(pipeline), "exact": share_exact(pipeline),
                                              "ms_per_crop": round(pipeline_ms, 1)},
           "stock_easyocr_readtext": {"n": len(ok), "exact": share_exact(ok), "ms_per_crop": round(sum(ms) / len(ms), 1)}}
    log(f"UK crops {name}, stock: {out}")
    return out


def raised_style(rng: random.Random, raised: bool) -> dict:
    """render_plate's ``raised`` keyword for a plate of a raised part (a style drawn from ``rng``), or none."""
    return {"raised": rng.choice(render.RAISED_STYLES)} if raised else {}


def uk_scenes(n: int, seed: int, two_line: bool, font: Optional[str] = None, raised: bool = False):
    """A scene part's n (image, label, plate box), drawn from ``seed``: the same scenes at every call, one
    at a time (500 1280x720 images held at once would take 1.4 GB).  ``font``: see render.render_plate;
    ``raised``: every plate's characters raised (render.RAISED_STYLES, drawn per plate)."""
    rng = random.Random(seed)
    for _ in range(n):
        kw = raised_style(rng, raised)
        yield render.uk_scene(rng, (1280, 720), plate_h=rng.randint(18, 40), two_line=two_line, font=font, **kw)


def stock_scenes(stock: Stock, scenes, ours_ok, log, name: str) -> dict:
    """The scenes (image, label, box) read by our pipeline with the stock recogniser (all of them) and by
    stock ``readtext`` (the first ``stock.scenes``; ``ours_ok``: our pipeline's exact flags, scene by scene)."""
    ok, ms, rt_ok, anywhere, rt_ms = [], [], [], [], []
    for i, (img, label, _) in enumerate(scenes):
        t0 = time.perf_counter()
        best = stock.rec_uk.best(img)
        ms.append((time.perf_counter() - t0) * 1000)
        ok.append(best is not None and best.text == label)
        if i < stock.scenes:
            t0 = time.perf_counter()
            results = stock.reader.readtext(img, allowlist=formats.ALPHABET)
            rt_ms.append((time.perf_counter() - t0) * 1000)
            rt_ok.append(readtext_plate(results) == label)
            # read right but not its most confident text: a sign in the scene was (what the plate is, it cannot tell)
            anywhere.append(any(t == label for t, _ in readtext_texts(results)))
    out = {"ours_pipeline_stock_recogniser": {"n": len(ok), "exact": share_exact(ok), "ms_median": pct(ms, 50),
                                              "ms_p90": pct(ms, 90)}}
    if rt_ok:
        out["stock_easyocr_readtext"] = {"n": len(rt_ok), "exact": share_exact(rt_ok), "read_anywhere": share_exact(anywhere),
                                         "ms_median": pct(rt_ms, 50), "ms_p90": pct(rt_ms, 90),
                                         "ours_on_these": share_exact(ours_ok[:len(rt_ok)])}
    log(f"UK scenes {name}, stock: {out}")
    return out


# crops are read in batches of this many (a batch is padded to its widest crop, which can change a
# read): every benchmark of crops reads them the same way, so their figures and misses agree
CROP_BATCH = 16


def read_in_batches(rec, samples):
    """Yield (crop, label, read) for [(crop, label)], read ``CROP_BATCH`` crops at a time."""
    for i in range(0, len(samples), CROP_BATCH):
        chunk = samples[i:i + CROP_BATCH]
        for (crop, label), read in zip(chunk, rec.read_crops([c for c, _ in chunk])):
            yield crop, label, read


# plate heights (px) the crops are reported by: the augmentation draws 18-40 px (two-line plates up to 1.6 x that)
SIZE_BANDS = ((0, 24, "under 24 px"), (24, 32, "24-31 px"), (32, 10**6, "32 px or more"))


def heavily_degraded(info: dict) -> bool:
    """One of the augmentation's heaviest degradations was applied to the crop (render.degrade's info)."""
    return (info["blur_sigma"] >= 1.0 or info["motion_px"] >= 5 or info["noise_sigma"] >= 10
            or (info["jpeg_quality"] is not None and info["jpeg_quality"] < 30))


def by_size_and_degradation(oks, two_line, infos) -> dict:
    """Exactness by layout and plate height, all crops and those without a heavy degradation: where the misses
    are, and how the small, blurred plates the augmentation includes weigh on the whole."""
    out = {}
    for kind, want in (("one_line", False), ("two_line", True)):
        rows = {}
        for lo, hi, label in SIZE_BANDS:
            sel = [(ok, info) for ok, t, info in zip(oks, two_line, infos) if t == want and lo <= info["plate_h"] < hi]
            light = [ok for ok, info in sel if not heavily_degraded(info)]
            rows[label] = {"n": len(sel), "exact": share_exact([ok for ok, _ in sel]),
                           "light_n": len(light), "light_exact": share_exact(light)}
        out[kind] = rows
    return out


def bench_uk_crops(rec_uk, n, seed, strength, log, name, stock: Optional[Stock] = None, font: Optional[str] = None,
                   raised: bool = False):
    """Rendered UK plates cropped as a localiser would, degraded at ``strength`` (1.0 = the
    training augmentation at full strength: 18 px plates, JPEG 15, heavy blur included); with ``stock``,
    read by stock EasyOCR too.  ``font``: every plate in this face (default: the renderer's choice);
    ``raised``: every plate's characters raised (a style of render.RAISED_STYLES drawn per plate)."""
    rng = random.Random(seed)
    samples, two_line, infos = [], [], []
    for _ in range(n):
        plate, label, _ = render.render_uk_plate(rng, font=font, **raised_style(rng, raised))
        infos.append({})
        samples.append((render.crop_sample(plate, rng, strength=strength, info=infos[-1]), label))
        two_line.append(plate.width < 2 * plate.height)          # square rear plate: two lines
    pairs, misses = [], []
    t0 = time.perf_counter()
    for crop, label, r in read_in_batches(rec_uk, samples):
        pairs.append((r.confidence, r.text == label) if r else (0.0, False))
        if not pairs[-1][1]:
            misses.append({"plate": label, "read": r.text if r else None, "confidence": r.confidence if r else None,
                           "crop_hw": list(crop.shape[:2]), "two_line": two_line[len(pairs) - 1]})
    crop_ms = (time.perf_counter() - t0) * 1000 / n
    # a two-line plate 18-40 px high has characters of 7-16 px: reported apart
    layout = {}
    for kind, want in (("one_line", False), ("two_line", True)):
        sel = [ok for (_, ok), t in zip(pairs, two_line) if t == want]
        layout[kind] = {"n": len(sel), "exact": share_exact(sel)}
    crops = {"n": n, "strength": strength, "exact": share_exact([ok for _, ok in pairs]),
             "ms_per_crop": round(crop_ms, 1), "by_layout": layout,
             "by_size_and_degradation": by_size_and_degradation([ok for _, ok in pairs], two_line, infos),
             "bands": bands(pairs),
             "above_read_threshold": above(pairs, READ_THRESHOLD), "above_hit_threshold": above(pairs, HIT_THRESHOLD),
             "threshold_for_95": choose_threshold(pairs, 0.95), "threshold_for_99": choose_threshold(pairs),
             "exact_at_or_above": by_threshold(pairs), "misses": misses, "_pairs": pairs}
    if stock is not None:
        crops["stock"] = stock_crops(stock, samples, log, name)
    log(f"UK crops {name} (strength {strength}): {crops['exact']:.1%} exact ({n}), reported (>= {READ_THRESHOLD}): "
        f"{crops['above_read_threshold']}, above {HIT_THRESHOLD}: {crops['above_hit_threshold']}")
    return crops


def bench_uk_scenes(rec_uk, n, seed, log, name, two_line=False, stock: Optional[Stock] = None,
                    font: Optional[str] = None, raised: bool = False):
    """Rendered UK plates (``two_line``: square rear plates) pasted into 1280x720 synthetic
    scenes, read by the whole pipeline; with ``stock``, by stock EasyOCR too.  ``font``, ``raised``: as
    bench_uk_crops'."""
    spairs, false_reports, ms, smisses = [], 0, [], []
    for img, label, box in uk_scenes(n, seed, two_line, font, raised):
        t0 = time.perf_counter()
        reads = rec_uk.recognise_all(img)       # best first, no threshold
        ms.append((time.perf_counter() - t0) * 1000)
        best = reads[0] if reads else None
        ok = best is not None and best.text == label
        spairs.append((best.confidence if best else 0.0, ok))
        if not ok:
            smisses.append({"plate": label, "read": best.text if best else None,
                            "confidence": best.confidence if best else None, "plate_h": box[3]})
        # reported reads (>= READ_THRESHOLD) other than the plate: text off the plate
        false_reports += sum(1 for r in reads[1:] if r.confidence >= READ_THRESHOLD and r.text != label)
    scenes = {"n": n, "two_line": two_line, "exact": share_exact([ok for _, ok in spairs]),
              "ms_median": pct(ms, 50), "ms_p90": pct(ms, 90), "bands": bands(spairs),
              "above_read_threshold": above(spairs, READ_THRESHOLD),
              "above_hit_threshold": above(spairs, HIT_THRESHOLD), "other_reads_reported": false_reports,
              "threshold_for_95": choose_threshold(spairs, 0.95), "threshold_for_99": choose_threshold(spairs),
              "exact_at_or_above": by_threshold(spairs), "misses": smisses, "_pairs": spairs}
    if stock is not None:
        scenes["stock"] = stock_scenes(stock, uk_scenes(n, seed, two_line, font, raised), [ok for _, ok in spairs], log,
                                       name)
    log(f"UK scenes {name}{' (two-line plates)' if two_line else ''}: {scenes['exact']:.1%} exact ({n}), "
        f"reported (>= {READ_THRESHOLD}): {scenes['above_read_threshold']}, above {HIT_THRESHOLD}: "
        f"{scenes['above_hit_threshold']}, other text reported {false_reports}")
    return scenes


def bench_eu_crops(rec_uk, rec_any, n, seed, log, marks=0.0):
    """Rendered continental plates (French/Italian, German, Spanish, Portuguese, Dutch and Polish
    shapes; EU band), cropped and degraded at full strength, read as a UK camera reads them (region "uk": a
    foreign plate must keep its own text, not be corrected into a UK mark) and with region "any".
    ``marks``: share drawn with their country's marks (French / Italian right-hand band, German seals;
    render.eu_plate), which real plates carry."""
    rng = random.Random(seed)
    samples, drawn = [], []
    for _ in range(n):
        info = {}
        plate, label = render.eu_plate(rng, marks, info)
        samples.append((render.crop_sample(plate, rng, strength=1.0), label))
        drawn.append(info["marks"] or "none")
    out = {"n": n}
    for region, rec in (("uk", rec_uk), ("any", rec_any)):
        exact, by_shape, by_marks, changed, misses = [], {}, {}, 0, []
        for (_, label, r), mark in zip(read_in_batches(rec, samples), drawn):
            ok = r is not None and r.text == label
            exact.append(ok)
            for key, table in ((formats.shape(label), by_shape), (mark, by_marks)):
                tally = table.setdefault(key, [0, 0])
                tally[0] += 1; tally[1] += ok
            changed += r is not None and formats.normalise(r.raw) == label and r.text != label
            if not ok:
                misses.append({"plate": label, "read": r.text if r else None, "marks": mark})
        share = lambda table: {k: {"n": v[0], "exact": round(v[1] / v[0], 4)} for k, v in sorted(table.items())}  # noqa: E731
        out[region] = {"exact": share_exact(exact), "read_right_then_changed": changed,
                       "by_shape": share(by_shape), "by_marks": share(by_marks), "misses": misses}
        log(f"EU crops{' with marks' if marks else ''}, region {region}: {out[region]['exact']:.1%} exact ({n}); read right but changed by the "
            f"format rules: {changed}")
    return out


def bench_uk(rec_uk, n, seed, log, name="ours", moderate=True, stock: Optional[Stock] = None):
    """Crops at full and half strength, one-line plates in scenes (n each) and, when ``moderate``,
    square two-line plates in scenes (n / 2); with ``stock``, each part read by stock EasyOCR too."""
    out = {"crops": bench_uk_crops(rec_uk, n, seed, 1.0, log, name, stock)}
    if moderate:
        out["crops_moderate"] = bench_uk_crops(rec_uk, n, seed + 2, 0.5, log, name, stock)
    out["scenes"] = bench_uk_scenes(rec_uk, n, seed + 1, log, name, stock=stock)
    if moderate:
        out["scenes_two_line"] = bench_uk_scenes(rec_uk, n // 2, seed + 3, log, name, two_line=True, stock=stock)
    return out


def bench_uk_face(rec_uk, n, seed, log, name="ours", stock: Optional[Stock] = None, raised: bool = False):
    """Rendered UK plates drawn in the UK plate face (recognition/plateface.py: the shapes of the Charles
    Wright face every real UK plate is set in), as full-strength crops (n) and in one-line scenes (n); with
    ``stock``, read by stock EasyOCR too.  ``raised``: every plate's characters raised (3D gel or 4D acrylic,
    render.RAISED_STYLES, drawn per plate)."""
    from recognition.plateface import FACE_NAME
    name = f"{name}, UK plate face{', raised characters' if raised else ''}"
    return {"crops": bench_uk_crops(rec_uk, n, seed, 1.0, log, name, stock, font=FACE_NAME, raised=raised),
            "scenes": bench_uk_scenes(rec_uk, n, seed + 1, log, name, stock=stock, font=FACE_NAME, raised=raised)}


def bench_fps(rec_uk, log, seed=77):
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        feed = render.make_sample_feed(d, plates=["AB12CDE", "KX19LMO", "M123ABC", "YT07PLR", "BD51SMR"],
                                       seed=seed, frames_per_vehicle=8, gap_frames=4, size=(1920, 1080),
                                       write_video=False)
        frames = [cv2.imread(p) for p in feed["images"]]
    gate = MotionGate()
    t0 = time.perf_counter()
    processed = 0
    found = set()
    for f in frames:
        if not gate.changed(f):
            continue
        processed += 1
        for p in rec_uk.recognise(f).plates:
            found.add(p.text)
    dt = time.perf_counter() - t0
    truth = {t["plate"] for t in feed["truth"]}
    res = {"frames": len(frames), "processed_after_gate": processed, "seconds": round(dt, 2),
           "fps": round(len(frames) / dt, 1), "plates_found": sorted(found & truth), "plates_total": len(truth),
           "false_plates": sorted(found - truth)}
    log(f"1080p feed: {res}")
    return res


def _pct(v):
    return "-" if v is None else f"{100 * v:.1f}%"


def _band_table(rows) -> list:
    out = ["| confidence | n | exact |", "|---|---|---|"]
    out += [f"| {r['band']} | {r['n']} | {_pct(r['exact'])} |" for r in rows if r["n"]]
    return out


# the benchmark's parts in the UK plate face: (results key, the sentence above their table)
FACE_PARTS = (
    ("uk_face_rendered", "Rendered UK plates drawn in the UK plate face (`recognition/plateface.py`, the shapes of the "
                         "Charles Wright face of real UK plates; 15 % two-line among the crops), seed unseen by training:"),
    ("uk_raised_rendered", "The same face with raised characters (3D gel or 4D acrylic plates, `render.RAISED_STYLES`, "
                           "drawn per plate; another seed, unseen by training):"),
)


def _face_tables(face: Optional[dict], intro: str) -> list:
    if not face:
        return []
    md = [intro, "", "| part | n | exact | two-line plates | hit-worthy (>= HIT) : share / exact | speed |",
          "|---|---|---|---|---|---|"]
    for key, title in (("crops", "crops, augmentation at full strength"), ("scenes", "one-line plates in 1280x720 scenes")):
        v = face[key]
        h = v["above_hit_threshold"]
        two = _pct(v["by_layout"]["two_line"]["exact"]) + f" ({v['by_layout']['two_line']['n']})" if "by_layout" in v else "-"
        speed = f"{v['ms_per_crop']} ms a crop" if "ms_per_crop" in v else f"{v['ms_median']} / {v['ms_p90']} ms an image"
        md.append(f"| {title} | {v['n']} | **{_pct(v['exact'])}** | {two} | {_pct(h['share_above'])} / "
                  f"{_pct(h['exact_above'])} | {speed} |")
    for key, title in (("crops", "crops"), ("scenes", "scenes")):
        st = face[key].get("stock")
        if st:
            rt = st.get("stock_easyocr_readtext")
            md += ["", f"Stock EasyOCR on the same {title}: our pipeline with the stock recogniser "
                       f"{_pct(st['ours_pipeline_stock_recogniser']['exact'])}; `readtext` "
                       + (f"{_pct(rt['exact'])} of {rt['n']}" if rt else "not run")
                       + (f" (the plate among its texts: {_pct(rt['read_anywhere'])}; ours on those: "
                          f"{_pct(rt['ours_on_these'])})" if rt and "read_anywhere" in rt else "") + "."]
    md.append("")
    return md


def markdown(out: dict) -> str:
    """The results as the Markdown tables of benchmarks/RECOGNITION.md."""
    md = [f"Thresholds: reads reported from READ_THRESHOLD = {out['read_threshold']}, hits from "
          f"HIT_THRESHOLD = {out['hit_threshold']}; `--threads {out['threads']}`, weights: {out['weights']}; "
          f"machine: {out.get('machine', 'not recorded')}.", ""]
    us = out.get("us_eval")
    if us:
        names = {"ours": "**ours**: classical localiser + fine-tuned recogniser (region `any`)",
                 "ours_pipeline_stock_recogniser": "same pipeline, stock english_g2 recogniser",
                 "stock_easyocr_readtext": "stock EasyOCR `readtext` (CRAFT canvas 640 + recogniser), most confident plate-length text"}
        md += ["| pipeline (US evaluation half, 111 photos) | exact plates | plate found (IoU >= 0.3) | median / p90 ms an image |",
               "|---|---|---|---|"]
        md += [f"| {names.get(k, k)} | {_pct(v['exact'])} | {_pct(v['detected_iou03'])} | {v['ms_median']} / {v['ms_p90']} |"
               for k, v in us.items()]
        a = us["ours"]["above_hit_threshold"]
        md += ["", "Our best read per confidence band (US evaluation half; confidence is calibrated on UK plates):", ""]
        md += _band_table(us["ours"]["bands"])
        md += ["", f"At or above HIT_THRESHOLD: {_pct(a['share_above'])} of images, {_pct(a['exact_above'])} of those exact.", ""]
    uk = out.get("uk_rendered")
    if uk:
        parts = [("crops", "Rendered UK crops, training augmentation at full strength"),
                 ("crops_moderate", "Rendered UK crops, augmentation at half strength"),
                 ("scenes", "Rendered UK plates pasted into 1280x720 scenes (whole pipeline)"),
                 ("scenes_two_line", "Rendered square two-line UK plates in 1280x720 scenes (whole pipeline)")]
        md += ["| rendered UK plates (seed unseen by training) | n | exact | reported (>= READ) : share / exact | "
               "hit-worthy (>= HIT) : share / exact | speed |", "|---|---|---|---|---|---|"]
        for key, title in parts:
            if key not in uk:
                continue
            v = uk[key]
            r, h = v["above_read_threshold"], v["above_hit_threshold"]
            speed = f"{v['ms_per_crop']} ms a crop" if "ms_per_crop" in v else f"{v['ms_median']} / {v['ms_p90']} ms an image"
            md.append(f"| {title} | {v['n']} | **{_pct(v['exact'])}** | {_pct(r['share_above'])} / {_pct(r['exact_above'])} | "
                      f"{_pct(h['share_above'])} / {_pct(h['exact_above'])} | {speed} |")
        for key in ("crops", "crops_moderate"):
            if key in uk and "by_layout" in uk[key]:
                one, two = uk[key]["by_layout"]["one_line"], uk[key]["by_layout"]["two_line"]
                md += ["", f"{dict(parts)[key]}, by layout: one-line plates {_pct(one['exact'])} exact ({one['n']}), "
                           f"two-line plates {_pct(two['exact'])} ({two['n']}; the plate is 18-40 px high, its characters "
                           "less than half that)."]
        for key in ("crops", "crops_moderate"):
            if key in uk and "by_size_and_degradation" in uk[key]:
                md += ["", f"{dict(parts)[key]}, by layout and plate height; \"light\": the crops without a heavy "
                           "degradation (Gaussian blur sigma >= 1, motion blur >= 5 px, noise sigma >= 10 or JPEG "
                           "quality < 30):", "",
                       "| layout | plate height | n | exact | light: n | light: exact |", "|---|---|---|---|---|---|"]
                for kind, rows in uk[key]["by_size_and_degradation"].items():
                    for band, v in rows.items():
                        md.append(f"| {kind.replace('_', '-')} | {band} | {v['n']} | {_pct(v['exact'])} | "
                                  f"{v['light_n']} | {_pct(v['light_exact'])} |")
        if any("stock" in uk[key] for key, _ in parts if key in uk):
            md += ["", "The same plates read by stock EasyOCR in the same run: our pipeline (localiser, crops, UK format "
                       "rules) with the stock english_g2 recogniser, and stock `readtext` (CRAFT detector + recogniser, "
                       "the plate alphabet; a crop's pieces joined in reading order; in a scene its most confident "
                       "plate-length text, as on the US photos, two pieces one above the other counting as one text; "
                       "\"plate among its texts\": the plate is one of the texts it read, most confident or not). `readtext` takes "
                       "seconds a scene, so it reads the first scenes of each part only, and our exact share on those same scenes "
                       "is given beside it.", "",
                   "| rendered UK plates | ours | our pipeline, stock recogniser | stock `readtext` | ours on the "
                   "`readtext` plates | speed: ours / stock recogniser / `readtext` |", "|---|---|---|---|---|---|"]
            for key, title in parts:
                if key not in uk or "stock" not in uk[key]:
                    continue
                v, st = uk[key], uk[key]["stock"]
                sr, rt = st["ours_pipeline_stock_recogniser"], st.get("stock_easyocr_readtext")
                if "ms_per_crop" in v:
                    speed = f"{v['ms_per_crop']} / {sr['ms_per_crop']} / {rt['ms_per_crop']} ms a crop"
                    ours_same = _pct(v["exact"])
                else:
                    speed = (f"{v['ms_median']} / {sr['ms_median']} / {rt['ms_median'] if rt else '-'} ms an image "
                             "(median)")
                    ours_same = _pct(rt["ours_on_these"]) if rt else "-"
                readtext = f"{_pct(rt['exact'])} ({rt['n']})" if rt else "not run"
                if rt and "read_anywhere" in rt:
                    readtext += f"; plate among its texts: {_pct(rt['read_anywhere'])}"
                md.append(f"| {title} | **{_pct(v['exact'])}** ({v['n']}) | {_pct(sr['exact'])} | {readtext} | "
                          f"{ours_same} | {speed} |")
        if "scenes" in uk:
            md += ["", f"Other text reported in the scenes (reads >= READ_THRESHOLD that are not the plate): "
                       f"{uk['scenes']['other_reads_reported']}."]
        for key, title in parts:
            if key in uk:
                md += ["", f"{title}, by confidence:", ""] + _band_table(uk[key]["bands"])
        md.append("")
    for face_key, intro in FACE_PARTS:
        md += _face_tables(out.get(face_key), intro)
    eu = out.get("eu_rendered")
    if eu:
        md += [f"Rendered continental plates ({eu['n']} crops, full strength, seed unseen by training), exact: "
               f"**{_pct(eu['uk']['exact'])}** read as a UK camera reads them (region `uk`; "
               f"{eu['uk']['read_right_then_changed']} read right and then changed by the UK format rules), "
               f"{_pct(eu['any']['exact'])} with region `any`.", ""]
    eu = out.get("eu_marks_rendered")
    if eu:
        md += [f"The same with the marks real plates carry beside the registration ({eu['n']} crops, another seed: "
               f"French and Italian plates with their right-hand band, German plates with their two seals; "
               f"`render.eu_plate`), exact: **{_pct(eu['uk']['exact'])}** with region `uk`, {_pct(eu['any']['exact'])} "
               f"with region `any`; by mark (region `uk`): "
               + ", ".join(f"{k} {_pct(v['exact'])} of {v['n']}" for k, v in eu["uk"]["by_marks"].items())
               + " (by shape in the results file).", ""]
    fps = out.get("fps_1080p")
    if fps:
        md += [f"1080p frame sequence ({fps['frames']} frames, {fps['plates_total']} vehicles, motion gate on): "
               f"{fps['processed_after_gate']} frames passed the gate, {fps['seconds']} s in all = **{fps['fps']} frames "
               f"per second**; plates found {len(fps['plates_found'])} / {fps['plates_total']}, false plates "
               f"{fps['false_plates']}.", ""]
    return "\n".join(md)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--us-dir", default=str(ROOT.parent / "shared" / "datasets" / "openalpr-us"))
    ap.add_argument("--n-uk", type=int, default=500)
    ap.add_argument("--seed", type=int, default=424242)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--weights", default=None)
    ap.add_argument("--no-stock", action="store_true")
    ap.add_argument("--stock-scenes", type=int, default=100,
                    help="scenes of each rendered scene part read by stock readtext (seconds each; default 100)")
    ap.add_argument("--only", default="us,uk,face,raised,eu,fps")
    ap.add_argument("--limit", type=int, default=None, help="first N evaluation images only (a quick check)")
    ap.add_argument("--json", default=None)
    ap.add_argument("--markdown", default=None, help="also write the results as Markdown tables to this file")
    ap.add_argument("--calibrate", type=int, default=None, metavar="SEED",
                    help="only choose the hit threshold (>= 99%% exact above it) on rendered UK crops+scenes of SEED")
    a = ap.parse_args(argv)
    import torch
    torch.set_num_threads(a.threads)
    cv2.setNumThreads(a.threads)
    log = lambda s: print(s, flush=True)
    reader = PlateReader(a.weights) if a.weights else get_reader()
    rec_uk = PlateRecogniser(reader, region="uk")
    rec_any = PlateRecogniser(reader, region="any")
    if a.calibrate is not None:
        res = bench_uk(rec_uk, a.n_uk, a.calibrate, log, name="calibration", moderate=False)
        pairs = []
        for part in ("crops", "scenes"):
            pairs += res[part].pop("_pairs")
        hit_thr = choose_threshold(pairs, 0.99)
        log(f"calibration seed {a.calibrate}: HIT_THRESHOLD (lowest with >= 99% exact at or above it): {hit_thr} "
            f"({above(pairs, hit_thr)}); reads at or above READ_THRESHOLD {READ_THRESHOLD}: "
            f"{above(pairs, READ_THRESHOLD)}")
        log("by confidence band (crops and scenes together):\n" + "\n".join(_band_table(bands(pairs))))
        return {"hit_threshold": hit_thr, "bands": bands(pairs), **res}
    out = {"machine": describe(), "threads": a.threads, "weights": a.weights or "committed", "read_threshold": READ_THRESHOLD,
           "hit_threshold": HIT_THRESHOLD}
    only = set(a.only.split(","))
    stock = None
    if not a.no_stock and only & {"us", "uk", "face", "raised"}:
        import easyocr
        from recognition.ocr import stock_model_dir
        stock = Stock(PlateRecogniser(PlateReader("stock"), region="uk"),
                      easyocr.Reader(["en"], gpu=False, model_storage_directory=stock_model_dir(),
                                     download_enabled=False, verbose=False), a.stock_scenes)
    if "us" in only:
        if not Path(a.us_dir).is_dir():
            log(f"SKIP US evaluation: dataset not found at {a.us_dir}")
        else:
            stock_rec = PlateRecogniser(stock.rec_uk.reader, region="any") if stock else None
            out["us_eval"] = bench_us(a.us_dir, rec_any, stock_rec, stock.reader if stock else None, log, a.limit)
    if "uk" in only:
        out["uk_rendered"] = bench_uk(rec_uk, a.n_uk, a.seed, log, stock=stock)
        for part in out["uk_rendered"].values():
            part.pop("_pairs")
    if "face" in only:
        out["uk_face_rendered"] = bench_uk_face(rec_uk, a.n_uk, a.seed + 6, log, stock=stock)
        for part in out["uk_face_rendered"].values():
            part.pop("_pairs")
    if "raised" in only:
        out["uk_raised_rendered"] = bench_uk_face(rec_uk, a.n_uk, a.seed + 8, log, stock=stock, raised=True)
        for part in out["uk_raised_rendered"].values():
            part.pop("_pairs")
    if "eu" in only:
        out["eu_rendered"] = bench_eu_crops(rec_uk, rec_any, a.n_uk, a.seed + 4, log)
        out["eu_marks_rendered"] = bench_eu_crops(rec_uk, rec_any, a.n_uk, a.seed + 5, log, marks=1.0)
    if "fps" in only:
        # camera frames, read as the worker reads them (the localiser only: no crop or close-up reads)
        out["fps_1080p"] = bench_fps(PlateRecogniser(reader, region="uk", stills=False), log)
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=1))
    if a.markdown:
        Path(a.markdown).write_text(markdown(out))
    return out


if __name__ == "__main__":
    main()
