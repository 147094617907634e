"""Reproducible fine-tuning of EasyOCR's english_g2 recogniser on plate crops.

Training data: plates rendered on the fly (UK, US-ish and EU styles, augmented; a seeded
``random.Random`` so runs are reproducible) and, optionally, crops of the TRAINING half of
``openalpr-us`` (the 111 names sorting first), oversampled with jittered boxes and
augmentation (with ``swap``, some with characters of other training photos pasted in: see
``glyphs``), plus a few non-plate crops labelled empty.  The evaluation half is never read.
"""
from __future__ import annotations

import copy
import json
import math
import multiprocessing as mp
import os
import queue
import random
import time
from pathlib import Path
from typing import Callable, List, Optional, Sequence, Tuple

import cv2
import numpy as np
import torch

from . import glyphs, ocr, render
from .localise import Localiser, plate_crops, split_join

DEFAULT_US_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets" / "openalpr-us"


def us_split(dataset_dir) -> Tuple[List[str], List[str]]:
    """(training names, evaluation names): the 111 image names sorting first train, the rest evaluate."""
    names = sorted(n for n in os.listdir(dataset_dir) if n.lower().endswith((".jpg", ".jpeg", ".png")))
    half = len(names) // 2
    return names[:half], names[half:]


# The US photos' plate boxes are annotated by hand, so their crops vary a little more than rendered plates'
# (render.RENDERED_CROP_MARGINS)
US_CROP_MARGINS = {
    "tight": ((-0.03, 0.06), (-0.06, 0.1)),
    "loose": ((0.03, 0.2), (0.05, 0.4)),
    "tall": ((0.0, 0.08), (0.15, 0.5)),
    "shifted": ((-0.06, 0.12), (-0.15, 0.3)),
}


def load_us_annotations(dataset_dir, names: Sequence[str]) -> List[Tuple[str, Tuple[int, int, int, int], str]]:
    """[(image path, (x, y, w, h), plate)] for ``names``."""
    out = []
    for n in names:
        txt = Path(dataset_dir) / (Path(n).stem + ".txt")
        parts = txt.read_text().strip().split("\t")
        out.append((str(Path(dataset_dir) / n), tuple(int(v) for v in parts[1:5]), parts[5].strip().upper()))
    return out


# Characters pasted into training photos (USCrops.swapped) are drawn with rare_weights at this
# boost: U, I, J, V, H and P are few among the photos' characters (2-6 each of 365).
DONOR_RARE_BOOST = 4.0

# how rendered two-line plates are cropped: "tight" (tight or shifted, as stages A-N were
# trained) or "any" (tight, loose, tall or shifted, like one-line plates and the localiser)
TWO_LINE_CROPS = ("tight", "any")


def covers(box, plate_box) -> bool:
    """``box`` holds the whole width of ``plate_box`` (3 % slack) and most of its height: a
    crop of it shows every character, so the full registration is a fair label."""
    x, y, w, h = box
    px, py, pw, ph = plate_box
    inside_x = x <= px + 0.03 * pw and x + w >= px + 0.97 * pw
    overlap_y = min(y + h, py + ph) - max(y, py)
    return inside_x and overlap_y >= 0.7 * ph and w <= 2.5 * pw


def rare_weights(labels: Sequence[str], boost: float) -> List[float]:
    """Sampling weights that show the reader the rare characters of a small real set more often:
    a label's weight is 1 + boost x (how much rarer than the median character its rarest
    character is, at most 3 times rarer, minus 1) / 2.  ``boost`` 0: all equal."""
    counts: dict = {}
    for label in labels:
        for c in label:
            counts[c] = counts.get(c, 0) + 1
    if not counts or boost <= 0:
        return [1.0] * len(labels)
    median = float(np.median(list(counts.values())))
    rarity = lambda label: max((min(3.0, median / counts[c]) for c in label), default=1.0)
    return [1.0 + boost * max(0.0, rarity(label) - 1.0) / 2 for label in labels]


class USCrops:
    """Jittered, augmented crops of the US training half (images kept in memory, downscaled),
    plus the crops the pipeline itself takes of the localiser's boxes around each plate (so the
    reader learns the crops it will see, not only hand-drawn boxes)."""

    def __init__(self, dataset_dir, names: Sequence[str], localiser_boxes: bool = True, rare_boost: float = 0.0,
                 swap_fraction: float = 0.0):
        self.items = []
        self.localised = []   # ([pipeline crops of the localiser boxes that cover the plate], plate)
        localiser = Localiser(top_k=10) if localiser_boxes else None
        for path, (x, y, w, h), plate in load_us_annotations(dataset_dir, names):
            img = cv2.imread(path)
            if img is None:
                continue
            # keep a generous region around the plate only (memory)
            X0, Y0 = max(0, x - 2 * w), max(0, y - 3 * h)
            X1, Y1 = min(img.shape[1], x + 3 * w), min(img.shape[0], y + 4 * h)
            self.items.append((img[Y0:Y1, X0:X1].copy(), (x - X0, y - Y0, w, h), plate))
            if localiser is not None:
                crops = [c.copy() for cand in localiser.find(img) if covers(cand.box, (x, y, w, h))
                         for _, c in plate_crops(img, cand.box)]
                if crops:
                    self.localised.append((crops, plate))
        # None: plain rng.choice, so runs without the boost draw the same samples as before it existed
        self.weights = rare_weights([plate for _, _, plate in self.items], rare_boost) if rare_boost > 0 else None
        self.swap_fraction = swap_fraction
        self.cut = []        # (item index, its Glyphs) for the plates that segment cleanly
        self.donors: List[glyphs.Glyph] = []
        if swap_fraction > 0:
            for i, (img, box, plate) in enumerate(self.items):
                cut = glyphs.segment(img, box, plate)
                if cut:
                    self.cut.append((i, cut))
                    self.donors.extend(cut)
            self.donor_weights = rare_weights([g.char for g in self.donors], DONOR_RARE_BOOST)

    def swapped(self, rng: random.Random) -> Tuple[np.ndarray, Tuple[int, int, int, int], str]:
        """A training photo with one to three characters replaced by characters cut from the
        training photos (a letter by a letter or a digit by a digit, mostly; rare characters
        drawn more often): (image, plate box, new registration)."""
        i, cut = rng.choice(self.cut)
        img, box, plate = self.items[i]
        label = list(plate)
        for k in rng.sample(range(len(cut)), min(len(cut), rng.choice([1, 1, 2, 2, 3]))):
            same_kind = rng.random() < 0.7
            for _ in range(20):
                donor = rng.choices(self.donors, self.donor_weights)[0]
                if not same_kind or donor.char.isdigit() == cut[k].char.isdigit():
                    break
            img = glyphs.swap(img, cut, k, donor, rng)
            label[k] = donor.char
        return img, box, "".join(label)

    def __len__(self):
        return len(self.items)

    def sample(self, rng: random.Random) -> Tuple[np.ndarray, str]:
        if self.localised and rng.random() < 0.3:
            crops, plate = rng.choice(self.localised)
            return render.degrade(rng.choice(crops), rng, 0.4), plate
        if self.cut and rng.random() < self.swap_fraction:
            img, (x, y, w, h), plate = self.swapped(rng)
        else:
            img, (x, y, w, h), plate = rng.choices(self.items, self.weights)[0] if self.weights else rng.choice(self.items)
        if rng.random() < 0.3:  # small rotation / shear of the region
            ang = rng.uniform(-5, 5)
            M = cv2.getRotationMatrix2D((x + w / 2, y + h / 2), ang, rng.uniform(0.9, 1.1))
            img = cv2.warpAffine(img, M, (img.shape[1], img.shape[0]), borderMode=cv2.BORDER_REPLICATE)
        mode = rng.choices(render.CROP_MODES, [0.35, 0.2, 0.25, 0.2])[0]
        crop = render.crop_around(img, (x, y, x + w, y + h), rng, US_CROP_MARGINS[mode], min_hw=(6, 10))
        if rng.random() < 0.3:  # simulate a smaller plate
            s = rng.uniform(0.5, 0.9)
            crop = cv2.resize(crop, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
        return render.degrade(crop, rng, 0.6), plate

    def negative(self, rng: random.Random) -> np.ndarray:
        img, (x, y, w, h), _ = rng.choice(self.items)
        H, W = img.shape[:2]
        for _ in range(10):
            cw, ch = int(w * rng.uniform(0.6, 1.5)), int(h * rng.uniform(0.6, 1.5))
            cx, cy = rng.randint(0, max(0, W - cw)), rng.randint(0, max(0, H - ch))
            if cx + cw < x or cx > x + w or cy + ch < y or cy > y + h:
                return img[cy:cy + ch, cx:cx + cw]
        return np.full((h, w, 3), rng.randint(0, 255), np.uint8)


def band_negative(rng: random.Random) -> np.ndarray:
    """The state-name / slogan band of a rendered US plate, or the identifier band of a UK/EU
    plate, alone: text that is not the registration (label "")."""
    label, disp = render.random_us_text(rng)
    plate = render.pil_to_bgr(render.render_plate(disp, "us", rng))
    h, w = plate.shape[:2]
    if rng.random() < 0.6:
        band = plate[: int(h * rng.uniform(0.22, 0.3))]
    else:
        band = plate[int(h * rng.uniform(0.78, 0.82)):]
    x0 = int(w * rng.uniform(0, 0.15)); x1 = int(w * rng.uniform(0.85, 1.0))
    band = band[:, x0:x1]
    s = rng.uniform(14, 30) / band.shape[0]
    band = cv2.resize(band, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
    return render.degrade(band, rng, 0.6)


def synthetic_negative(rng: random.Random) -> np.ndarray:
    img, slot = render.synthetic_scene(rng, (640, 360))
    x, y, w, h = slot
    H, W = img.shape[:2]
    while True:
        cw, ch = int(w * rng.uniform(0.6, 1.4)), int(h * rng.uniform(0.8, 2.0))
        cx, cy = rng.randint(0, W - cw), rng.randint(0, H - ch)
        if cx + cw < x or cx > x + w or cy + ch < y or cy > y + h:
            return render.degrade(img[cy:cy + ch, cx:cx + cw], rng, 0.5)


# Letters the reader confuses with each other (W/M/N/V/H, O/Q/D, G, B, I/J/T): plates made of them,
# side by side ("CWW", "6WM"), are what it reads worst; see confusable_text.
CONFUSABLE_LETTERS = "WWMNVHOQDGBIJT"


def confusable_text(rng: random.Random) -> Tuple[str, str]:
    """A US-style registration whose letters are mostly confusable ones: (label, display)."""
    def letter() -> str:
        return rng.choice(CONFUSABLE_LETTERS) if rng.random() < 0.7 else rng.choice(render.LETTERS)
    digits = lambda n: "".join(rng.choice(render.DIGITS) for _ in range(n))  # noqa: E731
    if rng.random() < 0.5:
        label = str(rng.randint(1, 9)) + "".join(letter() for _ in range(3)) + digits(3)
    else:
        label = "".join(letter() for _ in range(3)) + digits(rng.choice([3, 4]))
    k = rng.randint(2, len(label) - 2)
    return label, label[:k] + rng.choice(["", "", " ", "-"]) + label[k:]


class SampleSource:
    """Mixture of training crops: rendered plates, US training-half crops, empty negatives.
    ``confusable_fraction``: share of the rendered plates drawn as confusable_text (US style);
    ``cells_fraction``: share set one character per equal-width cell (render._cell_layer);
    ``faces_fraction``: share drawn in a condensed plate face (render.plate_faces);
    ``marks_fraction``: share of the continental plates drawn with their marks (render.eu_plate);
    ``uk_face_fraction``: share of the UK plates drawn in the UK plate face (plateface);
    ``raised_fraction``: share of the UK plates with raised characters (render.RAISED_STYLES)."""

    def __init__(self, seed: int, us: Optional[USCrops] = None, us_fraction: float = 0.25,
                 negative_fraction: float = 0.06, style_weights=(0.55, 0.3, 0.15),
                 confusable_fraction: float = 0.0, cells_fraction: float = 0.0, faces_fraction: float = 0.0,
                 two_line_fraction: float = 0.15, two_line_crops: str = "tight", marks_fraction: float = 0.0,
                 uk_face_fraction: float = 0.0, raised_fraction: float = 0.0):
        self.rng = random.Random(seed)
        self.us = us if us is not None and len(us) else None
        self.us_fraction = us_fraction if self.us else 0.0
        self.negative_fraction = negative_fraction
        self.style_weights = style_weights
        self.confusable_fraction = confusable_fraction
        self.cells_fraction = cells_fraction
        self.faces_fraction = faces_fraction
        self.two_line_fraction = two_line_fraction
        self.marks_fraction = marks_fraction
        self.uk_face_fraction = uk_face_fraction
        self.raised_fraction = raised_fraction
        if two_line_crops not in TWO_LINE_CROPS:
            raise ValueError(f"two_line_crops: choose {' or '.join(TWO_LINE_CROPS)}")
        self.two_line_crops = two_line_crops

    def __call__(self) -> Tuple[np.ndarray, str]:
        rng = self.rng
        r = rng.random()
        if r < self.negative_fraction:
            k = rng.random()
            if self.us and k < 0.35:
                return self.us.negative(rng), ""
            if k < 0.7:
                return band_negative(rng), ""
            return synthetic_negative(rng), ""
        if r < self.negative_fraction + self.us_fraction:
            return self.us.sample(rng)
        if self.confusable_fraction and rng.random() < self.confusable_fraction:
            label, display = confusable_text(rng)
            kw = render.drawing_options(rng, self.cells_fraction, self.faces_fraction)
            plate, style = render.render_plate(display, "us", rng, **kw), "us"
        else:
            plate, label, style = render.random_plate(rng, self.style_weights, self.cells_fraction, self.faces_fraction,
                                                      self.two_line_fraction, self.marks_fraction,
                                                      self.uk_face_fraction, self.raised_fraction)
        tight = style == "uk2" and self.two_line_crops == "tight"
        crop = render.crop_sample(plate, rng, crop=rng.choice(["tight", "tight", "shifted"]) if tight else None)
        if style == "uk2":  # the pipeline reads two-line plates as one line (split_join)
            crop = split_join(crop)
        return crop, label


def make_batch(samples: Sequence[Tuple[np.ndarray, str]], rng: random.Random, img_h: int = ocr.IMG_H):
    """Stack crops like inference does: width = widest crop in the batch (<= 4 x img_h)."""
    ws = [ocr.resized_width(c, img_h) for c, _ in samples]
    width = max(ws) if rng.random() < 0.7 else 4 * img_h
    x = np.stack([ocr.preprocess(c, width, img_h) for c, _ in samples])
    targets, lengths = [], []
    for _, label in samples:
        enc = ocr.encode_label(label)
        targets.extend(enc)
        lengths.append(len(enc))
    return (torch.from_numpy(x), torch.tensor(targets, dtype=torch.long), torch.tensor(lengths, dtype=torch.long))


def bf16_supported() -> bool:
    """The CPU computes bfloat16 natively (AVX512-BF16 / AMX): autocast halves a training step."""
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def _batches(seed: int, us_dir, us_fraction: float, rare_boost: float, confusable: float,
             batch_size: int, img_h: int, cells: float = 0.0, faces: float = 0.0, swap: float = 0.0,
             two_line: float = 0.15, two_line_crops: str = "tight", eu_marks: float = 0.0, uk_face: float = 0.0,
             raised: float = 0.0):
    """The endless, seeded sequence of training batches (numpy arrays).  The same seed gives the
    same batches whether they are made here or in a producer process."""
    us = None
    if us_dir is not None and Path(us_dir).is_dir():
        train_names, _ = us_split(us_dir)
        us = USCrops(us_dir, train_names, rare_boost=rare_boost, swap_fraction=swap)
    source = SampleSource(seed, us, us_fraction, confusable_fraction=confusable, cells_fraction=cells,
                          faces_fraction=faces, two_line_fraction=two_line, two_line_crops=two_line_crops,
                          marks_fraction=eu_marks, uk_face_fraction=uk_face, raised_fraction=raised)
    brng = random.Random(seed + 7)
    yield us is not None
    while True:
        yield make_batch([source() for _ in range(batch_size)], brng, img_h)


def _produce(out, args) -> None:
    """Producer process: renders batches on the other core while the trainer computes."""
    cv2.setNumThreads(1)
    torch.set_num_threads(1)
    parent = os.getppid()
    for item in _batches(*args):
        item = item if isinstance(item, bool) else tuple(t.numpy() for t in item)
        while True:
            try:
                out.put(item, timeout=2)
                break
            except queue.Full:
                # a trainer killed outright (SIGKILL, or SIGTERM with no clean-up) leaves the queue
                # full; without this the producer would wait, and hold its memory, for ever
                if os.getppid() != parent:
                    out.cancel_join_thread()     # or the exit waits to flush batches nobody reads
                    return


class BatchFeed:
    """Training batches, made in a separate process (``workers=1``: rendering and augmentation
    overlap the training step, as on two cores) or in this one (``workers=0``)."""

    def __init__(self, args: tuple, workers: int = 1):
        self.process = None
        if workers:
            ctx = mp.get_context("spawn")       # no fork of a process that holds torch's threads
            self.queue = ctx.Queue(maxsize=6)
            self.process = ctx.Process(target=_produce, args=(self.queue, args), daemon=True)
            self.process.start()
            self.uses_us = self._get()
        else:
            self.gen = _batches(*args)
            self.uses_us = next(self.gen)

    def _get(self):
        while True:
            try:
                return self.queue.get(timeout=2)
            except queue.Empty:         # still rendering, unless the producer died
                if not self.process.is_alive():
                    raise RuntimeError("the training batch producer stopped (exit code "
                                       f"{self.process.exitcode}); see the error above") from None

    def next(self):
        if self.process is None:
            return next(self.gen)
        return tuple(torch.from_numpy(a) for a in self._get())

    def close(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.join(5)


def _log(line: str) -> None:
    print(line, flush=True)         # a log written to a file shows each line as it comes


def run_progress(done: int, steps: int, time_share: float = 0.0) -> float:
    """How far through its run a training is, 0 to 1: its share of the steps, or, when the
    schedule follows a time limit, its share of the time if that is further on (so the run's
    schedule ends within the time limit on a slow machine too)."""
    return min(1.0, max(done / max(1, steps), time_share))


def lr_share(done: int, steps: int, warm: int, time_share: float = 0.0) -> float:
    """The share of the peak learning rate after ``done`` steps: a linear warm-up over ``warm``
    steps, then a cosine decay over the run's progress (:func:`run_progress`) to 5 % of the peak."""
    progress = run_progress(done, steps, time_share)
    return min(1.0, (done + 1) / warm) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))


class TailAverage:
    """The plain mean of a model's weights over every step of the last part of its run (the
    low-rate tail of the cosine), kept beside the model being trained: an attempt to get out of one
    run what the mean of stages O and P gave (4 development plates more than O).  Measured so far
    it has not: R10's tail mean read 2310 of 2350 against its last step's 2312 (model card), as R8's
    moving average, which weighed in the early, high-rate steps too, read worse than its last step."""

    def __init__(self):
        self.sums: Optional[dict] = None
        self.count = 0

    @torch.no_grad()
    def add(self, model: torch.nn.Module) -> None:
        state = model.state_dict()
        if self.sums is None:
            self.sums = {k: v.detach().float().clone() for k, v in state.items() if v.is_floating_point()}
        else:
            for k, total in self.sums.items():
                total.add_(state[k].detach().float())
        self.count += 1

    def load_into(self, model: torch.nn.Module) -> None:
        """Put the mean into ``model`` (a copy of the trained one: other tensors are kept)."""
        state = model.state_dict()
        state.update({k: (total / self.count).to(state[k].dtype) for k, total in self.sums.items()})
        model.load_state_dict(state)


def train(steps: int, out_path=None, seed: int = 0, *, batch_size: int = 32, lr: float = 3e-4,
          us_dir=None, us_fraction: float = 0.25, init_weights=None, threads: int = 1,
          checkpoint_every: int = 200, log: Optional[Callable[[str], None]] = _log,
          time_limit_s: Optional[float] = None, freeze_first: int = 9, img_h: int = ocr.IMG_H,
          rare_boost: float = 0.0, confusable: float = 0.0, workers: int = 1,
          bf16: Optional[bool] = None, cells: float = 0.0, faces: float = 0.0, swap: float = 0.0,
          two_line: float = 0.15, two_line_crops: str = "tight", schedule_by_time: bool = False,
          average_tail: float = 0.0, eu_marks: float = 0.0, uk_face: float = 0.0, raised: float = 0.0) -> dict:
    """Fine-tune english_g2 for ``steps`` steps and save float16 weights to ``out_path``.

    ``us_dir``: the openalpr-us folder; only its training half (sorted names, first half) is
    used.  None = rendered plates only.  ``init_weights``: continue from earlier weights.
    ``workers``: 1 renders the batches in a second process, 0 in this one (same batches).
    ``bf16``: bfloat16 autocast (default: when the CPU supports it).
    ``cells``: share of rendered plates set in equal-width cells, as plate typefaces are;
    ``faces``: share drawn in a condensed plate face (render.plate_faces);
    ``swap``: share of the US photo samples with characters swapped in from other photos (glyphs);
    ``two_line``: share of the rendered UK plates drawn on two lines; ``two_line_crops``: "tight"
    (tight or shifted crops, as stages A-N were trained) or "any" (every crop the localiser makes).
    ``schedule_by_time``: the learning rate decays over ``time_limit_s`` when the steps would
    not fit into it (:func:`lr_share`); ``steps`` is then an upper bound.
    ``average_tail``: 0 saves the last step's weights; a share such as 0.3 saves the mean of the
    weights over that last share of the run's progress (:class:`TailAverage`) to ``out_path`` and
    the last step's beside it as ``<out>-last.pth``.
    ``eu_marks``: share of the rendered continental plates drawn with the marks their country's plates
    carry beside the registration (a French or Italian right-hand band, German seals; render.eu_plate).
    ``uk_face``: share of the rendered UK plates drawn in the UK plate face (plateface: the shapes of the
    Charles Wright face that real UK plates are set in).
    ``raised``: share of the rendered UK plates with raised characters (3D gel or 4D acrylic plates;
    render.RAISED_STYLES).
    Returns a summary dict (also written beside the weights as JSON).
    """
    if schedule_by_time and not time_limit_s:
        raise ValueError("a schedule that follows the time needs a time limit")
    if not 0.0 <= average_tail < 1.0:
        raise ValueError("the averaged tail is a share of the run: 0 (off) up to below 1, for example 0.3")
    t0 = time.time()                                   # time limits and "seconds" include set-up
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    bf16 = bf16_supported() if bf16 is None else bf16
    out_path = Path(out_path or ocr.DEFAULT_WEIGHTS)
    model = ocr.use_channels_last(ocr.build_model(init_weights))
    model.train()
    # the first conv layers (generic strokes) stay frozen: a quarter less compute per step
    for p in model.FeatureExtraction.ConvNet[:freeze_first].parameters():
        p.requires_grad_(False)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=1e-4)
    warm = min(50, max(1, steps // 10))

    def time_share() -> float:
        return (time.time() - t0) / time_limit_s if schedule_by_time else 0.0

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: lr_share(s, steps, warm, time_share()))
    ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    feed = BatchFeed((seed, us_dir, us_fraction, rare_boost, confusable, batch_size, img_h, cells, faces, swap,
                      two_line, two_line_crops, eu_marks, uk_face, raised), workers)
    meta = {"base": "easyocr english_g2", "seed": seed, "batch_size": batch_size, "lr": lr,
            "us_training_half": feed.uses_us, "us_fraction": us_fraction if feed.uses_us else 0.0,
            "init_weights": str(init_weights) if init_weights else None,
            "freeze_first": freeze_first, "img_h": img_h, "rare_boost": rare_boost,
            "confusable": confusable, "cells": cells, "faces": faces, "swap": swap,
            "two_line": two_line, "two_line_crops": two_line_crops, "threads": threads, "workers": workers, "bf16": bf16,
            "schedule_by_time": schedule_by_time, "average_tail": average_tail, "eu_marks": eu_marks,
            "uk_face": uk_face, "raised": raised}
    tail = TailAverage() if average_tail else None
    last_path = out_path.with_name(out_path.stem + "-last.pth")
    running = None
    try:
        for step in range(steps):
            x, tg, ln = feed.next()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                logits = model(x, None)                     # [B, T, C]
            lp = logits.float().log_softmax(2).permute(1, 0, 2)   # [T, B, C]; CTC in float32
            il = torch.full((x.shape[0],), lp.shape[0], dtype=torch.long)
            loss = ctc(lp, tg, il, ln)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            sched.step()
            done = step + 1
            if tail and run_progress(done, steps, time_share()) >= 1.0 - average_tail:
                tail.add(model)
            running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
            if log and (step % 20 == 0 or step == steps - 1):
                log(f"step {done}/{steps} loss {running:.3f} lr {sched.get_last_lr()[0]:.2e} {time.time() - t0:.0f}s")
            stop = time_limit_s is not None and time.time() - t0 > time_limit_s
            if (checkpoint_every and done % checkpoint_every == 0) or done == steps or stop:
                meta.update(steps=done, loss=running, seconds=round(time.time() - t0, 1))
                model.eval()
                _save(model, out_path, meta, tail, last_path)
                model.train()
            if stop:
                break
    finally:
        feed.close()
    return dict(meta, out_path=str(out_path))


def _save(model: torch.nn.Module, out_path: Path, meta: dict, tail: Optional[TailAverage], last_path: Path) -> None:
    """Save a checkpoint: the model's weights, or with a tail average the last step's to
    ``last_path`` and the mean so far (once the tail has begun) to ``out_path``."""
    if tail is None:
        ocr.save_weights(model, out_path, meta)
        return
    ocr.save_weights(model, last_path, dict(meta, average_tail=0.0, saved="the last step's weights"))
    if not tail.count:           # the tail has not begun (or never will, in a run stopped early)
        ocr.save_weights(model, out_path, dict(meta, averaged_steps=0))
        return
    mean = copy.deepcopy(model)
    tail.load_into(mean)
    ocr.save_weights(mean, out_path, dict(meta, averaged_steps=tail.count))


def average_weights(paths: Sequence, out_path, share: Optional[Sequence[float]] = None) -> dict:
    """Average weights fine-tuned one from another (a "model soup") into ``out_path``.

    Two points of one training path often read better averaged than either alone: stage O + P
    averaged read 4 more development plates than stage O (model card).  ``share``: each file's
    weight in the mean (default equal).  Integer tensors (BatchNorm step counts) come from the
    first file.  The summary records each file with its own training summary, and the input
    height the reader needs (the files must share it)."""
    if len(paths) < 2:
        raise ValueError("give at least two weights files to average")
    share = [1.0 / len(paths)] * len(paths) if share is None else list(share)
    if len(share) != len(paths) or abs(sum(share) - 1.0) > 1e-6 or min(share) < 0:
        raise ValueError("share: one non-negative weight per file, summing to 1")
    summaries = [json.loads(j.read_text()) if (j := Path(p).with_suffix(".json")).exists() else {} for p in paths]
    heights = {m.get("img_h", ocr.IMG_H) for m in summaries}
    if len(heights) > 1:         # checked before the (slow) model loads
        raise ValueError(f"the weights were trained at different input heights: {sorted(heights)}")
    models = [ocr.build_model(p) for p in paths]
    states = [m.state_dict() for m in models]
    model = models[0]
    mean = {k: sum(w * sd[k] for w, sd in zip(share, states)) if v.is_floating_point() else v
            for k, v in states[0].items()}
    model.load_state_dict(mean)
    meta = {"img_h": heights.pop(), "averaged": [{"weights": Path(p).name, "share": w, "summary": m}
                                                  for p, w, m in zip(paths, share, summaries)]}
    out_path = Path(out_path)
    model.eval()
    ocr.save_weights(model, out_path, meta)
    return dict(meta, out_path=str(out_path))


def train_command(steps: int = 2000, out: Optional[str] = None, seed: int = 0, us_dir: Optional[str] = None,
                  init: Optional[str] = None, batch_size: int = 32, lr: float = 3e-4, threads: int = 1,
                  time_limit_s: Optional[float] = None, img_h: int = ocr.IMG_H, rare_boost: float = 0.0,
                  confusable: float = 0.0, workers: int = 1, bf16: Optional[bool] = None,
                  cells: float = 0.0, faces: float = 0.0, us_fraction: float = 0.25, swap: float = 0.0,
                  two_line: float = 0.15, two_line_crops: str = "tight", schedule_by_time: bool = False,
                  average_tail: float = 0.0, eu_marks: float = 0.0, uk_face: float = 0.0,
                  raised: float = 0.0, freeze_first: int = 9) -> dict:
    """CLI-friendly wrapper of :func:`train` (plain strings/numbers).  Trains ``steps`` steps
    (stopping early after ``time_limit_s`` seconds if given) and writes the weights to ``out``
    (default: the committed weights file, recognition/weights/plate_recogniser.pth) with a JSON
    summary beside it.  ``us_dir``: the openalpr-us folder, of which only the training half is
    used.  ``init``: weights to continue from.  Returns the summary dict."""
    return train(steps, out or ocr.DEFAULT_WEIGHTS, seed, batch_size=batch_size, lr=lr, us_dir=us_dir,
                 init_weights=init, threads=threads, time_limit_s=time_limit_s, img_h=img_h, rare_boost=rare_boost,
                 confusable=confusable, workers=workers, bf16=bf16, cells=cells, faces=faces,
                 us_fraction=us_fraction, swap=swap, two_line=two_line, two_line_crops=two_line_crops,
                 schedule_by_time=schedule_by_time, average_tail=average_tail, eu_marks=eu_marks,
                 uk_face=uk_face, raised=raised, freeze_first=freeze_first)


def main(argv=None) -> dict:
    """``python -m recognition.training --steps 2400 --out recognition/weights/plate_recogniser.pth
    --us-dir ../shared/datasets/openalpr-us --init W --seed 1 --lr 3e-4 --img-h 48 --time-limit 3900``"""
    import argparse
    ap = argparse.ArgumentParser(prog="python -m recognition.training")
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--out", default=str(ocr.DEFAULT_WEIGHTS))
    ap.add_argument("--us-dir", default=None, help="openalpr-us folder (only its training half is used)")
    ap.add_argument("--init", default=None, help="continue from these weights")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--img-h", type=int, default=ocr.IMG_H)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=None, help="stop (and save) after this many seconds")
    ap.add_argument("--rare-boost", type=float, default=0.0,
                    help="sample US training photos with rare characters more often (see rare_weights)")
    ap.add_argument("--confusable", type=float, default=0.0,
                    help="share of rendered plates made mostly of confusable letters (see confusable_text)")
    ap.add_argument("--cells", type=float, default=0.0,
                    help="share of rendered plates set one character per equal-width cell, as plates are")
    ap.add_argument("--us-fraction", type=float, default=0.25,
                    help="share of the batches that are US training-half photos (with --us-dir)")
    ap.add_argument("--faces", type=float, default=0.0,
                    help="share of rendered plates drawn in a condensed plate face (Bebas Neue)")
    ap.add_argument("--swap", type=float, default=0.0,
                    help="share of the US photo samples with 1-3 characters swapped in from other photos")
    ap.add_argument("--two-line", type=float, default=0.15,
                    help="share of the rendered UK plates drawn on two lines (square rear plates)")
    ap.add_argument("--two-line-crops", choices=TWO_LINE_CROPS, default="tight",
                    help="two-line plates cropped tight or shifted only (default), or every way the localiser may")
    ap.add_argument("--eu-marks", type=float, default=0.0,
                    help="share of the rendered continental plates drawn with their country's marks "
                         "(French / Italian right-hand band, German seals)")
    ap.add_argument("--uk-face", type=float, default=0.0,
                    help="share of the rendered UK plates drawn in the UK plate face (recognition/plateface.py)")
    ap.add_argument("--raised", type=float, default=0.0,
                    help="share of the rendered UK plates with raised characters (3D gel or 4D acrylic plates)")
    ap.add_argument("--freeze-first", type=int, default=9, metavar="N",
                    help="keep the first N modules of the convolutional stack frozen (9: its first four "
                         "convolutions, as stages A-W; 0 trains them all, as stage X and the committed R13)")
    ap.add_argument("--workers", type=int, choices=(0, 1), default=1,
                    help="1: render batches in a second process (default); 0: in this one")
    ap.add_argument("--precision", choices=("auto", "bf16", "fp32"), default="auto",
                    help="bf16 autocast where the CPU has it (auto), or always / never")
    ap.add_argument("--schedule-by-time", action="store_true",
                    help="decay the learning rate over --time-limit when the steps would not fit into it")
    ap.add_argument("--average-tail", type=float, default=0.0, metavar="SHARE",
                    help="save the mean of the weights over this last share of the run (such as 0.3), "
                         "and the last step's beside it as <out>-last.pth")
    ap.add_argument("--average", nargs="+", metavar="W.pth", default=None,
                    help="instead of training: write the average of these weights files to --out")
    a = ap.parse_args(argv)
    if a.average:
        return average_weights(a.average, a.out)
    bf16 = None if a.precision == "auto" else a.precision == "bf16"
    return train_command(a.steps, a.out, a.seed, a.us_dir, a.init, a.batch_size, a.lr, a.threads, a.time_limit,
                         a.img_h, a.rare_boost, a.confusable, a.workers, bf16, a.cells, a.faces,
                         a.us_fraction, a.swap, a.two_line, a.two_line_crops, a.schedule_by_time, a.average_tail,
                         a.eu_marks, a.uk_face, a.raised, a.freeze_first)


if __name__ == "__main__":
    print(json.dumps(main()))
