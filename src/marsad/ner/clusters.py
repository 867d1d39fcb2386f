"""Word clusters for the NER tagger: words that occur in similar contexts share a cluster id.

A name the labelled data never shows («كاديما») still gets the cluster of the words it is used like,
which tells the CRF more than its letters alone. The clusters are learned with the model by
``marsad train-ner`` from the *training* sentences' text only (never a held-out or test split): word2vec
(gensim, skip-gram) over normalized words, then k-means (scipy) at two granularities. They are saved
beside the model (``ner-crf.clusters.tsv``: ``word<TAB>coarse<TAB>fine``) and read when it is loaded, so
tagging needs neither gensim nor scipy. gensim is only needed to train: ``pip install 'marsad[train]'``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

#: k-means sizes (coarse, fine); chosen on the dev splits (NER_MODEL_CARD.md)
SIZES = (32, 256)
#: words seen fewer times have no cluster (their vectors are noise)
MIN_COUNT = 3
#: word2vec settings; one worker and fixed seeds so that `marsad train-ner` rebuilds the same clusters
WORD2VEC = {"vector_size": 100, "window": 5, "sg": 1, "negative": 10, "epochs": 15, "workers": 1, "seed": 1}


def clusters_path(model: str | Path) -> Path:
    """The clusters file that goes with a model file (``x.crfsuite`` → ``x.clusters.tsv``)."""
    return Path(model).with_suffix(".clusters.tsv")


def build_clusters(sentences: Iterable[Sequence[str]], sizes: Sequence[int] = SIZES,
                   min_count: int = MIN_COUNT) -> dict[str, tuple[str, ...]]:
    """Normalized word → its cluster id at each size, from sentences of raw tokens."""
    try:
        import numpy as np
        from gensim.models import Word2Vec
        from scipy.cluster.vq import kmeans2
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError(f"training the NER model needs gensim and scipy ({exc}): pip install 'marsad[train]'") from exc
    from marsad.ner.features import word_norm

    text = [[word_norm(t) for t in s] for s in sentences if s]
    if sum(map(len, text)) == 0:
        return {}
    model = Word2Vec(text, min_count=min_count, **WORD2VEC)
    words = list(model.wv.index_to_key)
    if not words:
        return {}
    vectors = model.wv.vectors / np.linalg.norm(model.wv.vectors, axis=1, keepdims=True)
    labels = [kmeans2(vectors, min(k, len(words)), minit="++", iter=30, seed=k)[1] for k in sizes]
    return {w: tuple(str(lab[i]) for lab in labels) for i, w in enumerate(words)}


def write_clusters(clusters: Mapping[str, tuple[str, ...]], path: Path, note: str = "") -> None:
    """Save clusters as TSV headed by the feature version (a model and its clusters go together)."""
    from marsad.ner.features import FEATURE_VERSION

    with Path(path).open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# marsad NER word clusters, features version {FEATURE_VERSION}. {note}\n".rstrip() + "\n")
        for word in sorted(clusters):
            fh.write("\t".join((word, *clusters[word])) + "\n")


def read_clusters(path: Path) -> dict[str, tuple[str, ...]]:
    """Load clusters written by :func:`write_clusters`; ValueError if they were built for other features."""
    from marsad.ner.features import FEATURE_VERSION

    with Path(path).open(encoding="utf-8") as fh:
        m = re.search(r"features version (\S+?)\.", fh.readline())
        if not m or m.group(1) != FEATURE_VERSION:
            raise ValueError(f"{path}: clusters for features version {m.group(1) if m else '?'}, "
                             f"this code has version {FEATURE_VERSION}: retrain with `marsad train-ner`")
        out = {}
        for line in fh:
            word, *ids = line.rstrip("\n").split("\t")
            if word and ids:
                out[word] = tuple(ids)
        return out
