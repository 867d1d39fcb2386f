import io
from collections import Counter

import pytest

from marsad.cli import main
from marsad.ner import MODEL_PATH, ModelMissingError, Tagger, lexicon_path, load_tagger, model_attributes
from marsad.ner.conll import (
    LABELS,
    Sentence,
    map_label,
    map_labels,
    parse_conll,
    read_conll,
    score,
    spans,
    validate_label_map,
    write_conll,
)
from marsad.ner.features import (
    FEATURE_VERSION,
    Featurizer,
    build_lexicon,
    jackknife_lexicons,
    read_lexicon,
    sentence_features,
    validate_lexicons,
    word_features,
    write_lexicon,
)
from marsad.ner.train import (
    Labelled,
    _fix_article,
    _letters,
    anercorp_splits,
    build_corpus,
    misc_words,
    reattach_clitics,
    train_model,
    wojood_labels,
)

# --- CoNLL I/O ---------------------------------------------------------------------------------------


def test_conll_round_trip(tmp_path):
    rows = [[("أعلن", "O"), ("الرئيس", "O"), ("سعيد", "B-PERS")], [("في", "O"), ("تونس", "B-LOC"), (".", "O")]]
    path = tmp_path / "x.conll"
    with path.open("w", encoding="utf-8") as fh:
        write_conll(rows, fh)
    back = read_conll(path)
    assert [list(zip(s.tokens, (c[0] for c in s.columns))) for s in back] == rows
    assert back[1].gold == ["O", "B-LOC", "O"]


def test_conll_tabs_tokens_only_and_docstart():
    text = "-DOCSTART- O\n\nنيو يورك\tB-LOC\nتايمز\tI-LOC\n\n\nكلمة\nأخرى\n"
    sents = list(parse_conll(text.splitlines()))
    assert sents[0].tokens == ["نيو يورك", "تايمز"] and sents[0].gold == ["B-LOC", "I-LOC"]
    assert sents[1].tokens == ["كلمة", "أخرى"] and sents[1].gold is None
    assert [s.doc for s in sents] == [0, 0]  # a leading -DOCSTART- opens no new document
    docs = list(parse_conll("-DOCSTART- O\n\nأ O\n\nب O\n\n-DOCSTART- O\n\nج O\n".splitlines()))
    assert [(s.tokens, s.doc) for s in docs] == [(["أ"], 0), (["ب"], 0), (["ج"], 1)]
    out = io.StringIO()
    write_conll([[("نيو يورك", "B-LOC")]], out)
    assert out.getvalue() == "نيو يورك\tB-LOC\n\n"


# --- label mapping --------------------------------------------------------------------------------------


def test_label_map_file_is_valid():
    assert validate_label_map() == []
    assert validate_lexicons() == []


@pytest.mark.parametrize("src,want", [
    ("B-PERS", "B-PERS"), ("I-PER", "I-PERS"), ("B-GPE", "B-LOC"), ("I-FAC", "I-LOC"), ("B-EVENT", "B-MISC"),
    ("I-MIS", "I-MISC"), ("B-Politician", "B-PERS"), ("I-Population-Center", "I-LOC"), ("B-Media", "B-ORG"),
    ("B-Group", "O"), ("B-DATE", "O"), ("O", "O"), ("S-ORG", "B-ORG"), ("E-LOC", "I-LOC"),
])
def test_map_label(src, want):
    assert map_label(src) == want


def test_map_label_rejects_unknown():
    with pytest.raises(ValueError, match="unknown entity type"):
        map_label("B-SPACESHIP")
    with pytest.raises(ValueError, match="not a BIO label"):
        map_label("PERS")


def test_map_labels_repairs_continuations():
    # a dropped outer type leaves an I- with nothing before it: it must begin the span
    assert map_labels(["B-DATE", "I-GPE", "I-GPE", "O", "I-PER"]) == ["O", "B-LOC", "I-LOC", "O", "B-PERS"]


def test_wojood_outermost_mapped_entity():
    assert wojood_labels([("B-ORG",), ("I-ORG", "B-GPE"), ("O",)]) == ["B-ORG", "I-ORG", "O"]
    # an occupation (mapped to O) around an organization: the organization is kept
    cols = [("B-OCC",), ("I-OCC", "B-ORG"), ("I-OCC", "I-ORG"), ("O",), ("B-GPE",)]
    assert wojood_labels(cols) == ["O", "B-ORG", "I-ORG", "O", "B-LOC"]


def test_reattach_clitics():
    got = reattach_clitics(["\u200eو", "الصادرات", "ل", "السيارات", "كتاب", "ه", "د", "ب", "ا", "ب", "موسكو"],
                           ["O", "O", "O", "O", "O", "O", "B-Media", "I-Media", "I-Media", "O", "B-Population-Center"])
    assert got.tokens == ["والصادرات", "للسيارات", "كتابه", "د", "ب", "ا", "بموسكو"]
    assert got.labels == ["O", "O", "O", "B-ORG", "I-ORG", "I-ORG", "B-LOC"]
    # ta marbuta is written ت before a pronoun, as in text
    assert reattach_clitics(["جلالة", "ه", "حارة", "نا"], ["O"] * 4).tokens == ["جلالته", "حارتنا"]


def test_newsfane_repairs_and_misc_convention():
    vocab = Counter({"اللبنانية": 5, "الالمانية": 2})
    assert _fix_article("الالبنانية", vocab) == "اللبنانية"
    assert _fix_article("الالمانية", vocab) == "الالمانية"  # «الألمانية» is a real word
    sents = [Labelled(["بلغ", "دولار", "و", "الإسلام"], ["O", "B-MISC", "O", "B-MISC"])] * 3
    sents += [Labelled(["الإسلام"], ["O"])]
    assert misc_words(sents) == {"دولار", "الاسلام"}
    assert misc_words(sents[:2]) == frozenset()  # too rare to be a convention

# --- conlleval span scoring ---------------------------------------------------------------------------------


def test_spans_like_conlleval():
    assert spans(["O", "I-LOC", "I-LOC", "B-LOC", "O"]) == [(1, 3, "LOC"), (3, 4, "LOC")]
    assert spans(["B-PERS", "I-LOC", "I-LOC"]) == [(0, 1, "PERS"), (1, 3, "LOC")]
    assert spans(["B-ORG", "I-ORG"]) == [(0, 2, "ORG")]
    assert spans(["O", "O"]) == []


def test_score_exact_counts():
    gold = [["B-PERS", "I-PERS", "O", "B-LOC", "O", "B-ORG", "I-ORG"], ["B-LOC", "O"]]
    pred = [["B-PERS", "I-PERS", "O", "B-ORG", "O", "B-ORG", "O"], ["I-LOC", "B-MISC"]]
    sc = score(zip(gold, pred))
    assert (sc.micro.gold, sc.micro.pred, sc.micro.correct) == (4, 5, 2)
    assert (sc.by_type["PERS"].correct, sc.by_type["LOC"].gold, sc.by_type["LOC"].correct) == (1, 2, 1)
    assert (sc.by_type["ORG"].pred, sc.by_type["ORG"].correct, sc.by_type["MISC"].pred) == (2, 0, 1)
    assert sc.micro.precision == pytest.approx(2 / 5) and sc.micro.recall == pytest.approx(2 / 4)
    assert sc.micro.f1 == pytest.approx(2 * 0.4 * 0.5 / 0.9)
    assert sc.tokens == 9 and sc.token_correct == 5
    with pytest.raises(ValueError):
        score([(["O"], ["O", "O"])])


# --- features -------------------------------------------------------------------------------------------


def test_features_use_stem_kb_and_titles():
    feats = word_features("وبموسكو")
    assert {"st=موسكو", "pre=وب", "p4=موسك", "s2=كو"} <= set(feats)
    assert any(f.startswith("kb=") for f in feats)  # Moscow is in the KB
    assert "fsuf=وف" in word_features("لافروف")
    assert "given" in word_features("وأحمد") and "art" in word_features("بالقاهرة")
    sent = sentence_features(["قال", "الرئيس", "زياد", "حمدان", "في", "القاهرة"])
    assert len(sent) == 6
    assert "after_title" in sent[2] and "gz=B-title" in sent[1]
    assert "st-1|st=زياد|حمدان" in sent[3] and "-1:st=زياد" in sent[3] and "first" in sent[0] and "last" in sent[5]
    quoted = sentence_features(["فيلم", "«", "الكرنك", "»", "جديد"])
    assert "inq" in quoted[2] and "inq" not in quoted[4]


_DOC = [s.split() for s in ("أعلنت شركة زيتكو عن أرباحها", "وقال الرئيس زياد حمدان", "وأكد حمدان أن زيتكو ستربح")]


def test_document_features_from_other_occurrences():
    ctx = Featurizer().context(_DOC)
    # «زيتكو» bare in the last sentence: elsewhere it follows «شركة» (an ORG trigger)
    assert ctx[2][3] == ("dcn=1", "dc=aORG")
    # «حمدان» alone: elsewhere after the given name «زياد»; there, after «وأكد» (a PERS trigger)
    assert "dc=aGIV" in ctx[2][1] and "dc=aPERS" in ctx[1][3]
    assert ctx[0][2][0] == "dcn=1" and "dc=aORG" not in ctx[0][2]  # its own cue does not count
    assert ctx[0][1] == ctx[2][2] == ()  # words seen once, short stems: nothing
    # the document is a window of neighbours within one document
    assert Featurizer().context(_DOC, window=0)[2] == [()] * 5
    near = Featurizer().context(_DOC, window=1)[2]
    assert near[3] == () and "dc=aGIV" in near[1]  # the first sentence is out of reach, the second is not
    assert Featurizer().context(_DOC, docs=["a", "a", "b"])[2] == [()] * 5
    # a sentence alone is its own document; repeated stems count
    assert Featurizer().context([["زيتكو", "و", "زيتكو"]]) == [[("dcn=1",), (), ("dcn=1",)]]
    # features of the token and lent to its next neighbours; words the lexicon marks O get none
    feats = Featurizer().sentence(_DOC[2], ctx[2])
    assert "dc=aORG" in feats[3] and "-1:dc=aORG" in feats[4] and "1:dc=aORG" in feats[2]
    assert Featurizer().document(_DOC) == [Featurizer().sentence(s, c) for s, c in zip(_DOC, ctx)]
    # «أن» reads as the given name «آن»: not when the lexicon knows it as a common word
    assert "dc=aGIV" in ctx[0][2]
    muted = Featurizer({"ان": ("lx=O",)}).context(_DOC)
    assert "dc=aGIV" not in muted[0][2]


def test_lexicon_features_jackknife_and_file(tmp_path):
    sents = [(["زار", "كارلوس", "طنجة"], ["O", "B-PERS", "B-LOC"]), (["قال", "كارلوس"], ["O", "B-PERS"]),
             (["في", "مدريد"], ["O", "B-LOC"])]
    lex = build_lexicon(sents)
    assert lex["كارلوس"] == ("lx=PERS-hi",) and lex["st:مدريد"] == ("lxs=LOC-hi",)
    feats = sentence_features(["وصل", "كارلوس", "أمس"], lex)
    assert "lx=PERS-hi" in feats[1] and "-1:lx=PERS-hi" in feats[2] and "1:lx=PERS-hi" in feats[0]
    # a sentence is featurized with the lexicon of the *other* folds: its own words are not in it
    folds = jackknife_lexicons(sents, folds=3)
    assert "كارلوس" in folds[0] and "طنجه" not in folds[0] and "طنجه" in folds[1]
    path = tmp_path / "m.lex.tsv"
    write_lexicon(lex, path, "test")
    assert read_lexicon(path) == lex
    path.write_text(path.read_text(encoding="utf-8").replace(f"version {FEATURE_VERSION}.", "version 0."), encoding="utf-8")
    with pytest.raises(ValueError, match="retrain"):
        read_lexicon(path)


# --- the shipped model ------------------------------------------------------------------------------------


def _ents(tokens, labels):
    return [(" ".join(tokens[s:e]), t) for s, e, t in spans(labels)]


def test_shipped_model_tags_team_sentences():
    assert MODEL_PATH.stat().st_size < 20_000_000
    tagger = load_tagger()
    toks = "وقال الرئيس الأوزبكي شوكت ميرضيائيف إن بلاده ستفتح سفارة في العاصمة الكينية نيروبي .".split()
    ents = _ents(toks, tagger.tag(toks))
    assert ("شوكت ميرضيائيف", "PERS") in ents
    assert ("نيروبي", "LOC") in ents
    toks = "التقى وزير الخارجية سامح شكري نظيره الأردني في عمان يوم الأحد .".split()
    labels = tagger.tag(toks)
    assert ("سامح شكري", "PERS") in _ents(toks, labels)
    assert set(labels) <= set(LABELS)
    marg = tagger.tag_with_marginals(toks)
    assert [lab for lab, _ in marg] == labels and all(0 < p <= 1 for _, p in marg)
    assert tagger.tag([]) == []


def test_tag_document():
    tagger = load_tagger()
    doc = ["أعلنت شركة زيتكو للنفط عن أرباحها .".split(), [], "وقال رئيس زيتكو إن الأرباح زادت .".split()]
    labels = tagger.tag_document(doc)
    assert [len(x) for x in labels] == [7, 0, 7]
    assert all(set(x) <= set(LABELS) for x in labels)
    assert tagger.tag_document([]) == []
    assert tagger.tag_document([doc[0]])[0] == tagger.tag(doc[0])
    # sentences of other documents are not context
    assert tagger.tag_document(doc, docs=[0, 1, 2])[2] == tagger.tag(doc[2])
    marg = tagger.tag_document_with_marginals(doc)
    assert [[lab for lab, _ in row] for row in marg] == labels and all(0 < p <= 1 for row in marg for _, p in row)


def test_model_attributes_cached_and_filtering_keeps_labels(tmp_path, monkeypatch):
    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path))
    tagger = Tagger(MODEL_PATH)
    known = tagger.featurizer.known
    assert known and "bias" in known and not any(f.startswith("w=زززز") for f in known)
    (cached,) = tmp_path.glob("ner-attrs-*.txt")
    assert model_attributes(MODEL_PATH, tagger._crf) == known  # read back from the cache file
    cached.write_text("# 5 attributes\nbias", encoding="utf-8")  # a cut file is not trusted
    assert model_attributes(MODEL_PATH, tagger._crf) == known
    plain = Tagger(MODEL_PATH)
    plain.featurizer.known = None
    sents = ["وقال الرئيس الأوزبكي شوكت ميرضيائيف إن بلاده ستفتح سفارة في نيروبي .".split(),
             "أعلنت شركة أرامكو السعودية « زززز » عن أرباحها في الرياض .".split()]
    for toks in sents:
        feats = tagger.featurizer.sentence(toks)
        assert all(f in known for row in feats for f in row)
        assert sum(map(len, feats)) < sum(map(len, plain.featurizer.sentence(toks)))
        assert tagger.tag(toks) == plain.tag(toks)


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelMissingError, match="marsad train-ner"):
        load_tagger(str(tmp_path / "none.crfsuite"))
    assert lexicon_path(MODEL_PATH).is_file()
    lonely = tmp_path / "m.crfsuite"
    lonely.write_bytes(MODEL_PATH.read_bytes())
    with pytest.raises(ModelMissingError, match="lexicon"):
        Tagger(lonely)


def test_cli_tag_and_eval(tmp_path, capsys):
    path = tmp_path / "g.conll"
    path.write_text("قال O\nالرئيس O\nشوكت B-PER\nميرضيائيف I-PER\nفي O\nنيروبي B-GPE\n. O\n", encoding="utf-8")
    assert main(["tag", "--conll", str(path)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[2].split()[:2] == ["شوكت", "B-PERS"] and lines[5].split()[1] == "B-LOC"
    assert all(len(line.split()) == 3 for line in lines)
    assert main(["eval-ner", str(path)]) == 0
    out = capsys.readouterr().out
    assert "micro" in out and "PERS" in out
    assert main(["eval-ner", str(tmp_path / "absent.conll")]) == 1


def test_cli_tags_documents(tmp_path, capsys):
    doc1 = ["أعلنت شركة زيتكو للنفط عن أرباحها .".split(), "وقال رئيس زيتكو إن الأرباح زادت .".split()]
    doc2 = ["وقال حمدان إن زيتكو ستربح .".split()]
    path = tmp_path / "d.conll"
    path.write_text("".join("-DOCSTART- O\n\n" + "".join("\n".join(f"{t} O" for t in s) + "\n\n" for s in doc)
                            for doc in (doc1, doc2)), encoding="utf-8")
    assert main(["tag", "--conll", str(path)]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines() if line.strip()]
    tagger = load_tagger()
    want = [lab for s in tagger.tag_document(doc1) + tagger.tag_document(doc2) for lab in s]
    assert [r[2] for r in rows] == want and [r[0] for r in rows] == [t for s in doc1 + doc2 for t in s]
    assert main(["tag", "--conll", str(path), "--marginals"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert [r[2] for r in rows] == want and all(0 < float(r[3]) <= 1 for r in rows)
    assert main(["eval-ner", str(path), "--json"]) == 0
    assert '"micro"' in capsys.readouterr().out


# --- training ----------------------------------------------------------------------------------------------

_TINY = [
    ("زار الرئيس كمال ناصر مدينة طنجة أمس", "O O B-PERS I-PERS O B-LOC O"),
    ("أعلنت شركة النور للطاقة عن أرباح", "O O B-ORG I-ORG O O"),
    ("قال الوزير سامي عادل إن طنجة آمنة", "O O B-PERS I-PERS O B-LOC O"),
    ("وصل الرئيس هادي كريم إلى مدينة فاس", "O O B-PERS I-PERS O O B-LOC"),
    ("وقعت شركة الأمل للنقل عقدا في فاس", "O O B-ORG I-ORG O O B-LOC"),
    ("أكد الوزير كمال عادل دعم شركة النور", "O O B-PERS I-PERS O O B-ORG"),
]


def _tiny(n=4):
    return [Labelled(t.split(), lab.split()) for t, lab in _TINY * n]


def test_train_smoke(tmp_path):
    model = train_model(_tiny(), tmp_path / "m.crfsuite", {"max_iterations": 40, "c1": 0.05, "c2": 0.01})
    assert lexicon_path(model).is_file()
    tagger = load_tagger(str(model))
    toks = "زار الرئيس كمال ناصر مدينة طنجة أمس".split()
    assert tagger.tag(toks) == ["O", "O", "B-PERS", "I-PERS", "O", "B-LOC", "O"]


def test_train_cli_on_tiny_data_dir(tmp_path):
    ner = tmp_path / "data" / "ner"
    (ner / "aqmar").mkdir(parents=True)
    (ner / "wojood_sample").mkdir()
    bio = "\n\n".join("\n".join(f"{w} {lab}" for w, lab in zip(t.split(), lb.split())) for t, lb in _TINY * 3)
    (ner / "anercorp_train.bio").write_text(bio + "\n", encoding="utf-8")
    for split in ("train", "dev", "test"):
        (ner / "aqmar" / f"{split}.bio").write_text(bio.replace("PERS", "PER") + "\n", encoding="utf-8")
    (ner / "newsfane_gold_2014.tsv").write_text(bio.replace(" ", "\t").replace("B-PERS", "B-Politician")
                                                .replace("I-PERS", "I-Politician").replace("ORG", "Commercial")
                                                .replace("LOC", "Population-Center") + "\n", encoding="utf-8")
    for name in ("train.txt", "val.txt"):
        (ner / "wojood_sample" / name).write_text(bio.replace("LOC", "GPE") + "\n", encoding="utf-8")
    out = tmp_path / "m.crfsuite"
    assert main(["train-ner", "--data-dir", str(tmp_path / "data"), "--out", str(out), "--max-iterations", "10"]) == 0
    assert out.is_file() and set(load_tagger(str(out)).labels) <= set(LABELS)


def test_splits_are_disjoint_and_ordered():
    sents = [Labelled([str(i)], ["O"]) for i in range(100)]
    train, dev, held = anercorp_splits(sents)
    assert (len(train), len(dev), len(held)) == (70, 15, 15)
    assert held[0].tokens == ["85"] and held[-1].tokens == ["99"]


def test_real_corpus_held_out_never_trained(shared_data):
    corpus = build_corpus(shared_data, final=True)
    held = {" ".join(s.tokens) for s in corpus.evals["anercorp-heldout"] if len(s.tokens) >= 5}
    trained = {" ".join(s.tokens) for s in corpus.train}
    assert len(held) > 400
    assert not held & trained
    # NewsFANE re-tokenizes the same newswire: compare letters only, long sentences
    held_letters = "|".join(_letters(s.tokens) for s in corpus.evals["anercorp-heldout"])
    leaked = [s for s in corpus.train if len(_letters(s.tokens)) > 80 and _letters(s.tokens) in held_letters]
    assert leaked == []
    assert all(set(s.labels) <= set(LABELS) for s in corpus.train)


def test_sentence_type_is_plain():
    s = Sentence(["a", "b"], [("O",), ()])
    assert s.gold is None


# --- word clusters -------------------------------------------------------------------------------------------

def test_cluster_features_for_word_and_stem_lent_to_neighbours():
    feats = Featurizer(clusters={"موسكو": ("3", "41")}).sentence(["زار", "موسكو", "وكاراكاس", "وموسكو"])
    assert {"c0=3", "c1=41"} <= set(feats[1]) and not any(f.startswith("cs") for f in feats[1])
    assert "c=unk" in feats[2] and "cs=unk" in feats[2]  # «وكاراكاس» has no cluster, nor has «كاراكاس»
    assert {"c=unk", "cs0=3", "cs1=41"} <= set(feats[3])  # the stem of «وموسكو» is «موسكو»
    assert any(f.endswith(":c0=3") for f in feats[0]) and any(f.endswith(":c0=3") for f in feats[2])
    assert not any(f.startswith(("c0=", "c=", "cs")) for f in Featurizer().sentence(["موسكو"])[0])


def test_clusters_file_round_trip_and_version(tmp_path):
    from marsad.ner.clusters import read_clusters, write_clusters

    path = tmp_path / "m.clusters.tsv"
    write_clusters({"موسكو": ("3", "41"), "بكين": ("3", "7")}, path, "test")
    assert read_clusters(path) == {"موسكو": ("3", "41"), "بكين": ("3", "7")}
    path.write_text("# marsad NER word clusters, features version 0. old\nموسكو\t1\t2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="retrain"):
        read_clusters(path)


def test_build_clusters_is_repeatable_and_keeps_frequent_words():
    pytest.importorskip("gensim")
    from marsad.ner.clusters import build_clusters

    sents = [t.split() for t, _ in _TINY * 4]
    a, b = build_clusters(sents, sizes=(2, 4)), build_clusters(sents, sizes=(2, 4))
    assert a == b and "الوزير" in a and len(a["الوزير"]) == 2
    assert all(0 <= int(c0) < 2 and 0 <= int(c1) < 4 for c0, c1 in a.values())
    assert build_clusters([]) == {}
