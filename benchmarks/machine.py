"""The machine a benchmark ran on, recorded beside its figures: timings differ by CPU (an AMD EPYC
without AMX took twice the Xeon's time for a training step and a third more for a US image)."""
from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), else what the platform module says."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def describe() -> str:
    """For example "AMD EPYC, 2 cores"."""
    return f"{cpu_model()}, {os.cpu_count()} cores"
