"""Training data, splits and CRF training for the NER tagger (``marsad train-ner``).

The splits are defined here once and used by training, tuning and ``benchmarks/ner.py``:

* ANERcorp (``anercorp_train.bio``), by sentence order: the first 70% train, the next 15% are the
  *dev* slice (tuning), the last 15% are *held out* (reported, never trained on or tuned on).
* AQMAR: ``train.bio`` train, ``dev.bio`` tuning, ``test.bio`` reported only.
* NewsFANE re-annotates the ANERcorp newswire with clitics split: its clitics are re-attached as text
  writes them, and only its sentences that overlap no ANERcorp sentence (letter n-grams) are kept:
  the overlapping ones repeat ANERcorp with another MISC definition, and would leak dev/held-out text.
  ANERcorp's MISC convention (currencies, religions) is carried over to the kept sentences.
* Wojood sample: ``train.txt`` + ``val.txt``, outermost mapped entity per token.

The shipped model (``final=True``) adds the tuning splits (ANERcorp dev, AQMAR dev) to training.
Training also writes the model's lexicon (``marsad.ner.features``) beside the model file.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from marsad.ner.conll import Sentence, map_labels, parse_conll, read_conll, score
from marsad.normalize import normalize_word

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data"
TRAIN_FRACTION = 0.70
HELD_OUT_FRACTION = 0.15
SOURCES = ("anercorp", "aqmar", "newsfane", "wojood")
#: the shipped model's sources: Wojood did not help on the dev splits (NER_MODEL_CARD.md)
DEFAULT_SOURCES = ("anercorp", "aqmar", "newsfane")
#: chosen on the dev splits (ANERcorp dev slice + AQMAR dev); see NER_MODEL_CARD.md
DEFAULT_PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}
#: the word clusters read the text (not the labels) of every training corpus, Wojood's too (dev choice)
CLUSTER_SOURCES = SOURCES
#: folds of the jackknifed training lexicon (features.jackknife_lexicons)
LEXICON_FOLDS = 5
#: a word is ANERcorp MISC (currency, religion...) when so labelled this often and at least this share
MISC_MIN_COUNT, MISC_MIN_SHARE = 3, 0.6

_PROCLITIC_TOKENS = {"و", "ف", "ب", "ل", "ك", "س"}
_ENCLITIC_TOKENS = {"ه", "ها", "هم", "هما", "هن", "كم", "كما", "نا", "ي", "ني"}
_NONLETTER = re.compile(r"[^\w]|[\d_]")
_GRAM = 12
#: Wojood's paragraph marker token, not text
WOJOOD_MARKER = "$#$"


@dataclass(slots=True)
class Labelled:
    tokens: list[str]
    labels: list[str]
    #: the document (any key): consecutive sentences with the same key lend each other document features
    doc: object = 0


@dataclass(slots=True)
class Corpus:
    """Labelled sentences for training and for evaluation, by name."""

    train: list[Labelled] = field(default_factory=list)
    evals: dict[str, list[Labelled]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _labelled(sents: Iterable[Sentence], doc: object = 0) -> list[Labelled]:
    return [Labelled(s.tokens, map_labels(s.gold or ["O"] * len(s.tokens)), (doc, s.doc)) for s in sents]


def anercorp_splits(sents: Sequence[Labelled]) -> tuple[list[Labelled], list[Labelled], list[Labelled]]:
    """(train, dev, held-out) of ANERcorp by sentence order: 70% / 15% / last 15%."""
    n = len(sents)
    a, b = int(n * TRAIN_FRACTION), int(n * (1 - HELD_OUT_FRACTION))
    return list(sents[:a]), list(sents[a:b]), list(sents[b:])


def load_anercorp(data_dir: Path) -> list[Labelled]:
    return _labelled(read_conll(data_dir / "ner" / "anercorp_train.bio"), "anercorp")


def load_aqmar(data_dir: Path, split: str) -> list[Labelled]:
    return _labelled(read_conll(data_dir / "ner" / "aqmar" / f"{split}.bio"), f"aqmar-{split}")


def reattach_clitics(tokens: Sequence[str], labels: Sequence[str]) -> Labelled:
    """Glue NewsFANE's split clitics back (و + الصادرات → والصادرات, كتاب + ه → كتابه) as text shows them.

    A merged token keeps the label of its content word; «ل» + «ال...» elides the alef (للصادرات).
    """
    out_t: list[str] = []
    out_l: list[str] = []
    pending = ""
    for i, (tok, lab) in enumerate(zip(tokens, labels)):
        tok = tok.replace("\u200e", "").replace("\u200f", "")
        nxt = tokens[i + 1].replace("\u200e", "") if i + 1 < len(tokens) else ""
        if tok in _PROCLITIC_TOKENS and len(nxt) >= 2 and nxt.isalpha():
            pending += tok
            continue
        if pending:
            if pending.endswith("ل") and tok.startswith("ال") and len(tok) > 3:
                tok = pending + tok[1:]
            else:
                tok = pending + tok
            pending = ""
        elif tok in _ENCLITIC_TOKENS and out_t and out_t[-1][-1:].isalpha():
            # ta marbuta is written ت before a pronoun: جلالة + ه → جلالته
            out_t[-1] = (out_t[-1][:-1] + "ت" if out_t[-1].endswith("ة") else out_t[-1]) + tok
            continue
        out_t.append(tok)
        out_l.append(lab)
    if pending:
        out_t.append(pending)
        out_l.append("O")
    return Labelled(out_t, map_labels(out_l), "newsfane")


def _letters(tokens: Iterable[str]) -> str:
    return _NONLETTER.sub("", normalize_word("".join(tokens)))


def _grams(text: str) -> set[str]:
    return {text[i:i + _GRAM] for i in range(0, max(len(text) - _GRAM + 1, 0))}


def _overlaps(tokens: Sequence[str], banned: set[str]) -> bool:
    grams = _grams(_letters(tokens))
    return bool(grams) and bool(banned) and sum(g in banned for g in grams) >= 0.3 * len(grams)


def _fix_article(tok: str, vocabulary: Counter) -> str:
    """NewsFANE writes some «الل» words as «الال» (اللبنانية → الالبنانية): restore them when the corpora agree."""
    i = tok.find("الال")
    if 0 <= i <= 2:
        fixed = tok[:i] + "الل" + tok[i + 4:]
        if vocabulary[fixed] > vocabulary[tok]:
            return fixed
    return tok


def misc_words(sents: Iterable[Labelled]) -> frozenset[str]:
    """Normalized words that ANERcorp labels MISC on their own most of the time (currencies, religions, prizes)."""
    seen: Counter = Counter()
    misc: Counter = Counter()
    for s in sents:
        for i, (tok, lab) in enumerate(zip(s.tokens, s.labels)):
            key = normalize_word(tok)
            seen[key] += 1
            misc[key] += lab == "B-MISC" and (i + 1 == len(s.labels) or s.labels[i + 1] != "I-MISC")
    return frozenset(k for k, n in misc.items() if n >= MISC_MIN_COUNT and n >= MISC_MIN_SHARE * seen[k])


def load_newsfane(data_dir: Path, exclude: Sequence[Labelled] = (), vocabulary: Counter | None = None,
                  misc: frozenset[str] = frozenset()) -> tuple[list[Labelled], int]:
    """NewsFANE sentences with clitics re-attached, minus those overlapping ``exclude`` (count dropped).

    ``vocabulary`` (token counts of other corpora) repairs the «الال» spellings; words of ``misc``
    that NewsFANE leaves unlabelled become B-MISC, as ANERcorp labels them.
    """
    banned = set()
    for s in exclude:
        banned |= _grams(_letters(s.tokens))
    path = data_dir / "ner" / "newsfane_gold_2014.tsv"
    kept, dropped = [], 0
    for s in parse_conll(path.read_text(encoding="utf-8-sig").splitlines()):
        lab = reattach_clitics(s.tokens, s.gold or ["O"] * len(s.tokens))
        if _overlaps(lab.tokens, banned):
            dropped += 1
            continue
        if vocabulary:
            lab.tokens = [_fix_article(t, vocabulary) for t in lab.tokens]
        if misc:
            lab.labels = ["B-MISC" if la == "O" and normalize_word(t) in misc else la
                          for t, la in zip(lab.tokens, lab.labels)]
        kept.append(lab)
    return kept, dropped


def wojood_labels(columns: Sequence[tuple[str, ...]]) -> list[str]:
    """Flat labels from Wojood's nested tags: spans rebuilt per type, mapped, outermost kept."""
    from marsad.ner.conll import map_type

    open_: dict[str, int] = {}
    found: list[tuple[int, int, str]] = []
    for i, tags in enumerate(columns):
        cont = {t[2:] for t in tags if t.startswith("I-")}
        for etype, start in list(open_.items()):
            if etype not in cont:
                found.append((start, i, etype))
                del open_[etype]
        for t in tags:
            if t.startswith("B-"):
                if t[2:] in open_:
                    found.append((open_[t[2:]], i, t[2:]))
                open_[t[2:]] = i
            elif t.startswith("I-") and t[2:] not in open_:
                open_[t[2:]] = i
    found += [(s, len(columns), t) for t, s in open_.items()]
    labels = ["O"] * len(columns)
    for start, end, etype in sorted(found, key=lambda x: (x[0] - x[1], x[0])):  # longest first
        target = map_type(etype)
        if target == "O" or any(lab != "O" for lab in labels[start:end]):
            continue
        labels[start:end] = [f"B-{target}"] + [f"I-{target}"] * (end - start - 1)
    return labels


def load_wojood(data_dir: Path) -> list[Labelled]:
    out = []
    for name in ("train.txt", "val.txt"):
        for s in read_conll(data_dir / "ner" / "wojood_sample" / name):
            keep = [i for i, tok in enumerate(s.tokens) if tok != WOJOOD_MARKER]
            labels = wojood_labels(s.columns)
            if keep:
                out.append(Labelled([s.tokens[i] for i in keep], map_labels([labels[i] for i in keep]),
                                    (name, s.doc)))
    return out


def build_corpus(data_dir: Path, sources: Sequence[str] = DEFAULT_SOURCES, final: bool = True) -> Corpus:
    """Training sentences from ``sources`` and the evaluation sets.

    ``final`` adds the tuning splits to training (the shipped model), evaluated on the held-out sets
    ``anercorp-heldout`` and ``aqmar-test``; otherwise (tuning) the evaluation sets are ``anercorp-dev``
    and ``aqmar-dev`` only, so that tuning never looks at held-out scores. Held-out sets are never trained on.
    """
    data_dir = Path(data_dir)
    if not (data_dir / "ner").is_dir():
        raise FileNotFoundError(f"{data_dir / 'ner'}: NER corpora not found (use --data-dir)")
    corpus = Corpus()
    a_train, a_dev, a_held = anercorp_splits(load_anercorp(data_dir))
    if final:
        corpus.evals["anercorp-heldout"] = a_held
        corpus.evals["aqmar-test"] = load_aqmar(data_dir, "test")
    else:
        corpus.evals["anercorp-dev"] = a_dev
        corpus.evals["aqmar-dev"] = load_aqmar(data_dir, "dev")
    a_fit = a_train + (a_dev if final else [])
    aqmar = load_aqmar(data_dir, "train") + (load_aqmar(data_dir, "dev") if final else [])
    if "anercorp" in sources:
        corpus.train += a_fit
    if "aqmar" in sources:
        corpus.train += aqmar
    if "newsfane" in sources:
        vocabulary = Counter(t for s in a_fit + aqmar for t in s.tokens)
        kept, dropped = load_newsfane(data_dir, exclude=a_train + a_dev + a_held, vocabulary=vocabulary,
                                      misc=misc_words(a_fit))
        corpus.train += kept
        corpus.notes.append(f"newsfane: {len(kept)} sentences kept, {dropped} overlapping ANERcorp dropped")
    if "wojood" in sources:
        corpus.train += load_wojood(data_dir)
    return corpus


def train_model(sentences: Sequence[Labelled], out: Path, params: dict | None = None, verbose: bool = False,
                folds: int = LEXICON_FOLDS, cluster_text: Sequence[Sequence[str]] | None = None) -> Path:
    """Train a CRF on labelled sentences; write the model file, its lexicon (``lexicon_path(out)``) and its
    word clusters (``clusters_path(out)``, learned from ``cluster_text``, default the training sentences)."""
    import pycrfsuite

    from marsad.ner import lexicon_path
    from marsad.ner.clusters import build_clusters, clusters_path, write_clusters
    from marsad.ner.features import Featurizer, build_lexicon, jackknife_lexicons, write_lexicon

    sentences = [s for s in sentences if s.tokens]
    pairs = [(s.tokens, s.labels) for s in sentences]
    clusters = build_clusters(cluster_text if cluster_text is not None else [s.tokens for s in sentences])
    featurizers = [Featurizer(lex, clusters=clusters) for lex in jackknife_lexicons(pairs, folds)]
    # document features: consecutive sentences of a document (a window of them) are each other's context
    # (with the featurizer of the sentence's fold: the cues of its neighbours read the lexicon)
    tokens, docs = [s.tokens for s in sentences], [s.doc for s in sentences]
    contexts = [f.context(tokens, docs=docs) for f in featurizers]
    trainer = pycrfsuite.Trainer(verbose=verbose)
    for i, s in enumerate(sentences):
        trainer.append(featurizers[i % folds].sentence(s.tokens, contexts[i % folds][i]), s.labels)
    trainer.set_params({**DEFAULT_PARAMS, **(params or {})})
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    write_lexicon(build_lexicon(pairs), lexicon_path(out),
                  f"Learned with {out.name} from its training corpora (see models/NER_MODEL_CARD.md).")
    write_clusters(clusters, clusters_path(out),
                   f"Learned with {out.name} from the text of its training corpora (see models/NER_MODEL_CARD.md).")
    return out


def evaluate(model: Path, sentences: Sequence[Labelled]):
    """conlleval scores of a model file on labelled sentences."""
    from marsad.ner import Tagger

    tagger = Tagger(model)
    sentences = [s for s in sentences if s.tokens]
    pred = tagger.tag_document([s.tokens for s in sentences], docs=[s.doc for s in sentences])
    return score((s.labels, p) for s, p in zip(sentences, pred, strict=True))


def run(data_dir: Path, out: Path, sources: Sequence[str] = DEFAULT_SOURCES, final: bool = True,
        params: dict | None = None, log=print) -> dict:
    """Build the corpus, train, evaluate on every evaluation set; returns a summary."""
    t0 = time.perf_counter()
    corpus = build_corpus(data_dir, sources, final)
    for note in corpus.notes:
        log(note)
    n_tok = sum(len(s.tokens) for s in corpus.train)
    log(f"training on {len(corpus.train)} sentences, {n_tok} tokens from {', '.join(sources)}")
    text = [s.tokens for s in build_corpus(data_dir, CLUSTER_SOURCES, final).train]
    log(f"word clusters from the text of {len(text)} training sentences of {', '.join(CLUSTER_SOURCES)}")
    train_model(corpus.train, out, params, cluster_text=text)
    seconds = time.perf_counter() - t0
    log(f"trained in {seconds:.0f} s -> {out} ({out.stat().st_size / 1e6:.1f} MB)")
    results = {}
    for name, sents in corpus.evals.items():
        sc = evaluate(out, sents)
        results[name] = sc.to_dict()
        log(f"{name}: micro F1 {sc.micro.f1:.4f} (P {sc.micro.precision:.4f} R {sc.micro.recall:.4f})")
    return {"sources": list(sources), "final": final, "params": {**DEFAULT_PARAMS, **(params or {})},
            "train_sentences": len(corpus.train), "train_tokens": n_tok, "train_seconds": round(seconds, 1),
            "scores": results}
