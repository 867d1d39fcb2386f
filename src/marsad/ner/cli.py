"""``marsad train-ner``, ``marsad tag --conll FILE``, ``marsad eval-ner FILE``.

Tagging reads a CoNLL file as documents (split at ``-DOCSTART-`` lines; a file without them is one
stream): each sentence sees the sentences around it in its document (``Tagger.tag_document``).
"""

from __future__ import annotations

import argparse
import json
import sys

from marsad.pipeline import freeze_loaded


def register(sub: argparse._SubParsersAction) -> None:
    t = sub.add_parser("train-ner", help="train the CRF named-entity model from the NER corpora",
                       description="Rebuild the NER model from ../shared/data/ner (splits: marsad/ner/train.py).")
    t.add_argument("--data-dir", help="folder holding ner/ (default: ../shared/data beside the repository)")
    t.add_argument("--out", help="model path (default: the shipped model, marsad/models/ner-crf.crfsuite)")
    t.add_argument("--sources", default="anercorp,aqmar,newsfane",
                   help="comma-separated training sources among anercorp,aqmar,newsfane,wojood "
                        "(default: anercorp,aqmar,newsfane)")
    t.add_argument("--dev", action="store_true",
                   help="tuning run: keep the dev splits out of training and report them (and only them)")
    t.add_argument("--c1", type=float, help="L1 penalty")
    t.add_argument("--c2", type=float, help="L2 penalty")
    t.add_argument("--max-iterations", type=int, help="L-BFGS iterations")
    t.add_argument("--json", help="also write the summary (scores per evaluation set) to this JSON file")
    t.set_defaults(func=cmd_train)

    g = sub.add_parser("tag", help="tag named entities in a CoNLL file (TOKEN [GOLD] per line)",
                       description="Writes TOKEN [GOLD] PRED lines; gold labels are mapped to PERS/LOC/ORG/MISC. "
                                   "-DOCSTART- lines separate documents (each sentence sees its neighbours).")
    g.add_argument("--conll", required=True, metavar="FILE", help="CoNLL input, - for stdin")
    g.add_argument("--model", help="model path (default: shipped model)")
    g.add_argument("--marginals", action="store_true", help="append the probability of each predicted label")
    g.set_defaults(func=cmd_tag)

    e = sub.add_parser("eval-ner", help="score the tagger on a gold CoNLL file (conlleval exact spans)")
    e.add_argument("file", metavar="FILE", help="CoNLL file with TOKEN GOLD (or TOKEN GOLD PRED) lines")
    e.add_argument("--model", help="model path (default: shipped model)")
    e.add_argument("--use-pred", action="store_true", help="score the file's last column instead of tagging")
    e.add_argument("--json", action="store_true", help="print scores as JSON")
    e.set_defaults(func=cmd_eval)


def _read(path: str):
    from marsad.ner.conll import parse_conll, read_conll

    if path == "-":
        return list(parse_conll(sys.stdin))
    return read_conll(path)


def _tagger(model: str | None):
    from marsad.ner import ModelMissingError, load_tagger

    try:
        return load_tagger(model)
    except ModelMissingError as exc:
        from marsad.cli import err

        err(str(exc))
        return None


def cmd_train(args: argparse.Namespace) -> int:
    from pathlib import Path

    from marsad.cli import err
    from marsad.ner import MODEL_PATH
    from marsad.ner.train import DEFAULT_DATA_DIR, SOURCES, run

    sources = [s.strip() for s in args.sources.split(",") if s.strip()]
    unknown = set(sources) - set(SOURCES)
    if unknown:
        err(f"unknown sources: {', '.join(sorted(unknown))} (known: {', '.join(SOURCES)})")
        return 2
    params = {k: v for k, v in (("c1", args.c1), ("c2", args.c2), ("max_iterations", args.max_iterations))
              if v is not None}
    out = Path(args.out) if args.out else MODEL_PATH
    try:
        summary = run(Path(args.data_dir) if args.data_dir else DEFAULT_DATA_DIR, out, sources,
                      final=not args.dev, params=params, log=lambda m: print(m, file=sys.stderr))
    except FileNotFoundError as exc:
        err(str(exc))
        return 1
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


def cmd_tag(args: argparse.Namespace) -> int:
    from marsad.cli import err
    from marsad.ner.conll import map_labels, write_conll
    from marsad.reader import InputError

    try:
        sents = _read(args.conll)
    except InputError as exc:
        err(str(exc))
        return 1
    tagger = _tagger(args.model)
    if tagger is None:
        return 1
    golds = []
    for s in sents:
        gold = s.gold
        if gold is not None:
            try:
                gold = map_labels(gold)
            except ValueError as exc:
                err(f"{args.conll}: {exc}")
                return 1
        golds.append(gold)
    tokens, docs = [s.tokens for s in sents], [s.doc for s in sents]
    if args.marginals:
        preds = [[(lab, f"{p:.3f}") for lab, p in row] for row in tagger.tag_document_with_marginals(tokens, docs)]
    else:
        preds = [[(lab,) for lab in row] for row in tagger.tag_document(tokens, docs)]
    rows = [[(tok, *([gold[i]] if gold else []), *pred[i]) for i, tok in enumerate(s.tokens)]
            for s, gold, pred in zip(sents, golds, preds, strict=True)]
    write_conll(rows, sys.stdout)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from marsad.cli import err
    from marsad.ner.conll import map_labels, score
    from marsad.reader import InputError

    try:
        sents = _read(args.file)
    except InputError as exc:
        err(str(exc))
        return 1
    if any(s.gold is None for s in sents):
        err(f"{args.file}: every token needs a gold label (TOKEN GOLD)")
        return 1
    tagger = None if args.use_pred else _tagger(args.model)
    if tagger is None and not args.use_pred:
        return 1
    freeze_loaded()
    try:
        if args.use_pred:
            preds = [map_labels([c[-1] for c in s.columns]) for s in sents]
        else:
            preds = tagger.tag_document([s.tokens for s in sents], [s.doc for s in sents])
        pairs = [(map_labels(s.gold), pred) for s, pred in zip(sents, preds, strict=True)]
    except ValueError as exc:
        err(f"{args.file}: {exc}")
        return 1
    sc = score(pairs)
    print(json.dumps(sc.to_dict(), indent=2) if args.json else sc.table())
    return 0
