"""Statistical named-entity tagger: a CRF over token features, trained on public Arabic NER corpora.

``load_tagger().tag(tokens)`` labels one sentence of raw tokens (as they appear in text, clitics
attached) with ``B-/I-PERS|LOC|ORG|MISC`` or ``O``; ``tag_document(sentences)`` labels the sentences of
one document, each seeing how its words appear in the neighbouring sentences (document features). The model ships in ``marsad/models`` as three files,
the CRF (``ner-crf.crfsuite``), the lexicon learned with it from the training data (``ner-crf.lex.tsv``)
and the word clusters learned from the training text (``ner-crf.clusters.tsv``); rebuild them with
``marsad train-ner`` (see ``models/NER_MODEL_CARD.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "ner-crf.crfsuite"

__all__ = ["MODEL_PATH", "ModelMissingError", "Tagger", "lexicon_path", "load_tagger", "model_attributes"]


def lexicon_path(model: str | Path) -> Path:
    """The lexicon file that goes with a model file (``x.crfsuite`` → ``x.lex.tsv``)."""
    return Path(model).with_suffix(".lex.tsv")


class ModelMissingError(FileNotFoundError):
    """The CRF model file is absent: it has to be trained first."""


class Tagger:
    """A loaded CRF model. Not thread-safe (pycrfsuite keeps per-tagger state); one per process."""

    def __init__(self, path: str | Path):
        import pycrfsuite

        from marsad.ner.clusters import clusters_path, read_clusters
        from marsad.ner.features import Featurizer, read_lexicon

        self.path = Path(path)
        lex = lexicon_path(self.path)
        if not lex.is_file():
            raise ModelMissingError(f"NER lexicon not found at {lex} (it is written with the model by `marsad train-ner`)")
        cl = clusters_path(self.path)
        if not cl.is_file():
            raise ModelMissingError(f"NER word clusters not found at {cl} (written with the model by `marsad train-ner`)")
        self._crf = pycrfsuite.Tagger()
        self._crf.open(str(self.path))
        #: the model's features (with its lexicon, only those the model weighs); keeps token strings (bounded)
        self.featurizer = Featurizer(read_lexicon(lex), known=model_attributes(self.path, self._crf),
                                     clusters=read_clusters(cl))
        self.labels = tuple(self._crf.labels())

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """BIO labels for one sentence of raw token strings (the sentence is its own document)."""
        if not tokens:
            return []
        return self._crf.tag(self.featurizer.sentence(tokens))

    def tag_document(self, sentences: Sequence[Sequence[str]], docs: Sequence[object] | None = None) -> list[list[str]]:
        """BIO labels for consecutive sentences (token lists) of one document, or of several: ``docs[i]`` is
        the document of sentence ``i``. Each sentence sees its neighbours (``features.DOC_WINDOW`` on each
        side, same document) through the document features."""
        tag = self._crf.tag
        return [tag(f) if f else [] for f in self.featurizer.iter_document(sentences, docs=docs)]

    def tag_with_marginals(self, tokens: Sequence[str]) -> list[tuple[str, float]]:
        """Best labels with the model's marginal probability of each label at its position."""
        return self.tag_document_with_marginals([tokens])[0]

    def tag_document_with_marginals(self, sentences: Sequence[Sequence[str]],
                                    docs: Sequence[object] | None = None) -> list[list[tuple[str, float]]]:
        """:meth:`tag_document` with the model's marginal probability of each label at its position."""
        out = []
        for f in self.featurizer.iter_document(sentences, docs=docs):
            labels = self._crf.tag(f) if f else []
            out.append([(lab, self._crf.marginal(lab, i)) for i, lab in enumerate(labels)])
        return out


def model_attributes(path: Path, crf: Any) -> frozenset[str]:
    """The attributes (feature strings) a model has weights for; cached per model file.

    Features the model never weighs change no score, so the featurizer drops them before tagging:
    about a quarter fewer strings for pycrfsuite to convert and look up (same labels, faster). Reading
    them from the model takes ~0.4 s, so the list is kept in the cache folder, keyed by the model's hash.
    """
    import hashlib
    import os

    from marsad.kb import cache_dir

    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:32]
    cached = cache_dir() / f"ner-attrs-{digest}.txt"
    if not os.environ.get("MARSAD_NO_CACHE"):
        try:
            head, *rows = cached.read_text(encoding="utf-8").split("\n")
            if head == f"# {len(rows)} attributes":  # a complete file, not a foreign or cut one
                return frozenset(rows)
        except (OSError, UnicodeDecodeError, ValueError):
            pass
    attrs = frozenset(attr for attr, _ in crf.info().state_features)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}")
        tmp.write_text("\n".join([f"# {len(attrs)} attributes", *sorted(attrs)]),
                       encoding="utf-8")
        os.replace(tmp, cached)
    except OSError:  # read-only home, full disk: just don't cache
        pass
    return attrs


@cache
def load_tagger(path: str | None = None) -> Tagger:
    """The shipped (or given) CRF model, loaded once per process."""
    model = Path(path) if path else MODEL_PATH
    if not model.is_file():
        raise ModelMissingError(f"NER model not found at {model}: run `marsad train-ner` to build it "
                                "(needs the NER corpora in ../shared/data/ner; see models/NER_MODEL_CARD.md)")
    return Tagger(model)
