"""What keeping continental shapes as read costs the UK correction (recognition.formats).

    .venv/bin/python -m benchmarks.formats [--n 3000] [--seed 1]

For generated UK registrations of each dated format, every single confusable misread (a digit read
for a letter the correction maps back, or a letter read for a digit) is corrected with the shapes
of ``formats.FOREIGN_SHAPES`` kept as read, and with none kept: the share corrected back to the
registration, per format.  No image is read: this is the format rules alone.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recognition import formats  # noqa: E402
from recognition.render import random_uk_registration  # noqa: E402

# the misreads the correction undoes: the digit read for a letter, the letters read for a digit
DIGIT_READ_FOR = {letter: digit for digit, letter in formats.DIGIT_TO_LETTER.items()}
LETTERS_READ_FOR: dict = {}
for _letter, _digit in formats.LETTER_TO_DIGIT.items():
    LETTERS_READ_FOR.setdefault(_digit, []).append(_letter)


def misreads(label: str):
    """Every text one confusable misread away from ``label``."""
    for i, ch in enumerate(label):
        wrong = [DIGIT_READ_FOR[ch]] if ch in DIGIT_READ_FOR else LETTERS_READ_FOR.get(ch, [])
        for w in wrong:
            yield label[:i] + w + label[i + 1:]


def recovery(fmt: str, n: int, seed: int) -> tuple[int, float]:
    rng = random.Random(seed)
    total = right = 0
    for _ in range(n):
        label, _, _ = random_uk_registration(rng, fmt)
        for read in misreads(label):
            total += 1
            right += formats.correct_uk(read)[0] == label
    return total, right / total


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.formats", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    print("| format | single misreads | corrected back, continental shapes kept | corrected back, none kept |")
    print("|---|---|---|---|")
    for fmt in ("current", "prefix", "suffix"):
        total, kept = recovery(fmt, a.n, a.seed)
        with mock.patch.object(formats, "FOREIGN_SHAPES", ()):
            _, none = recovery(fmt, a.n, a.seed)
        print(f"| {fmt} | {total} | {kept:.1%} | {none:.1%} |")


if __name__ == "__main__":
    main()
