"""Evaluation: gold annotations (gold.py), per-layer scoring (score.py), inter-annotator agreement
(agreement.py) and the ``marsad eval`` command (cli.py). See docs/annotation-guidelines.md."""
