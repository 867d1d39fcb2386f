"""Statistical named-entity tagger: a CRF over token features, trained on public Arabic NER corpora.

``load_tagger().tag(tokens)`` labels one sentence of raw tokens (as they appear in text, clitics
attached) with ``B-/I-PERS|LOC|ORG|MISC`` or ``O``. The model ships in ``marsad/models`` as two files,
the CRF (``ner-crf.crfsuite``) and the lexicon learned with it from the training data
(``ner-crf.lex.tsv``); rebuild both with ``marsad train-ner`` (see ``models/NER_MODEL_CARD.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "ner-crf.crfsuite"

__all__ = ["MODEL_PATH", "ModelMissingError", "Tagger", "lexicon_path", "load_tagger"]


def lexicon_path(model: str | Path) -> Path:
    """The lexicon file that goes with a model file (``x.crfsuite`` → ``x.lex.tsv``)."""
    return Path(model).with_suffix(".lex.tsv")


class ModelMissingError(FileNotFoundError):
    """The CRF model file is absent: it has to be trained first."""


class Tagger:
    """A loaded CRF model. Not thread-safe (pycrfsuite keeps per-tagger state); one per process."""

    def __init__(self, path: str | Path):
        import pycrfsuite

        from marsad.ner.features import Featurizer, read_lexicon

        self.path = Path(path)
        lex = lexicon_path(self.path)
        if not lex.is_file():
            raise ModelMissingError(f"NER lexicon not found at {lex} (it is written with the model by `marsad train-ner`)")
        #: the model's features (with its lexicon); keeps every token string it has seen (bounded)
        self.featurizer = Featurizer(read_lexicon(lex))
        self._crf = pycrfsuite.Tagger()
        self._crf.open(str(self.path))
        self.labels = tuple(self._crf.labels())

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """BIO labels for one sentence of raw token strings."""
        if not tokens:
            return []
        return self._crf.tag(self.featurizer.sentence(tokens))

    def tag_with_marginals(self, tokens: Sequence[str]) -> list[tuple[str, float]]:
        """Best labels with the model's marginal probability of each label at its position."""
        labels = self.tag(tokens)
        return [(lab, self._crf.marginal(lab, i)) for i, lab in enumerate(labels)]


@cache
def load_tagger(path: str | None = None) -> Tagger:
    """The shipped (or given) CRF model, loaded once per process."""
    model = Path(path) if path else MODEL_PATH
    if not model.is_file():
        raise ModelMissingError(f"NER model not found at {model}: run `marsad train-ner` to build it "
                                "(needs the NER corpora in ../shared/data/ner; see models/NER_MODEL_CARD.md)")
    return Tagger(model)
