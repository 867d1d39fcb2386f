"""Shared helpers for benchmarks: corpus access, timing, peak memory and result files."""

from __future__ import annotations

import json
import platform
import resource
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SHARED = ROOT.parent / "shared" / "data"
SAUDINEWSNET = SHARED / "corpus" / "saudinewsnet"
SAMPLES = ROOT / "src" / "marsad" / "samples" / "articles"


def saudinewsnet_available() -> bool:
    return SAUDINEWSNET.is_dir() and any(SAUDINEWSNET.glob("*.zip"))


def iter_saudinewsnet(limit: int | None = None) -> Iterator[dict]:
    """Articles of SaudiNewsNet (one JSON array per daily zip), in file order."""
    n = 0
    for zpath in sorted(SAUDINEWSNET.glob("*.zip")):
        with zipfile.ZipFile(zpath) as zf:
            for name in zf.namelist():
                for article in json.loads(zf.read(name)):
                    if limit is not None and n >= limit:
                        return
                    n += 1
                    yield article


def sample_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timer() -> Iterator[dict]:
    box: dict = {}
    t0 = time.perf_counter()
    try:
        yield box
    finally:
        box["seconds"] = time.perf_counter() - t0


def write_results(name: str, data: dict, markdown: str | None = None) -> Path:
    """Write benchmarks/results/<name>.json (and .md) with machine facts."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"benchmark": name, "date": time.strftime("%Y-%m-%d %H:%M"), "python": platform.python_version(),
            "machine": platform.machine(), **data}
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if markdown:
        (RESULTS / f"{name}.md").write_text(markdown, encoding="utf-8")
    return out
