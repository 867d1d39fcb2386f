"""Quality gate: the pipeline on the bundled samples must score at least eval/thresholds.json.

Thresholds are raised as layers improve and never lowered to make a change pass.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "samples"
THRESHOLDS = ROOT / "eval" / "thresholds.json"


@cache
def sample_result() -> dict:
    from marsad.evaluate.cli import evaluate

    return evaluate([GOLD])


def thresholds() -> dict[str, float]:
    return json.loads(THRESHOLDS.read_text(encoding="utf-8"))["samples"]


def test_sample_gold_resolves_and_is_scored() -> None:
    result = sample_result()
    assert result["problems"] == []
    assert result["documents"] == len(list(GOLD.glob("*.json"))) > 0
    assert result["predicted"] == result["documents"]


def test_no_component_crashes_on_the_samples() -> None:
    assert sample_result()["errors"] == []


@pytest.mark.parametrize("key", sorted(json.loads(THRESHOLDS.read_text(encoding="utf-8"))["samples"]))
def test_f1_at_least_threshold(key: str) -> None:
    from marsad.evaluate.score import headline

    f1 = headline(sample_result())[key]
    assert f1 >= thresholds()[key], f"{key}: F1 {f1:.4f} fell below the threshold {thresholds()[key]}"
