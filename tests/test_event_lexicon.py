"""The event data files: code table, trigger lexicon, modality cues and actor words."""

import re

from marsad.document import Document
from marsad.events.lexicon import DATA, load_codes, load_patterns, parse_pattern, pattern_index, validate
from marsad.events.triggers import TokenForms, candidate_tokens, find_triggers, second_tokens, starts_of
from marsad.normalize import normalize_word
from tests.conftest import SAMPLES


def test_data_files_are_valid():
    assert validate() == []


def test_code_table_has_all_roots_and_published_anchors():
    codes = load_codes()
    for root in range(1, 21):
        assert f"{root:02d}" in codes
    assert codes["057"].quad == 1 and codes["057"].goldstein == 8.0
    assert codes["163"].quad == 4 and codes["163"].plover == "SANCTION"
    assert codes["190"].goldstein == -10.0
    assert codes["041"].plover == "CONSULT"


def test_lexicon_size_and_root_coverage():
    patterns = load_patterns()
    assert len(patterns) >= 400
    roots = {p.code[:2] for p in patterns}
    assert roots == {f"{i:02d}" for i in range(1, 21)}


def test_pattern_syntax_expands_alternatives_and_gaps():
    runs = parse_pattern("وقع/وقعت * اتفاقية/مذكرة تفاهم")
    assert len(runs) == 4
    assert (("وقع",), ("مذكره", "تفاهم")) in runs


def _codes_for(words: str) -> set[str]:
    first = normalize_word(words.split()[0])
    rest = tuple(normalize_word(w) for w in words.split()[1:])
    starts = pattern_index().get(first)
    return {p.code for p in (starts.all() if starts else ()) if not rest or rest in [r for r in p.runs[1:]]
            or p.runs[0][1:] == rest}


def test_required_entries():
    assert "057" in _codes_for("وقع اتفاقية")
    assert "057" in _codes_for("وقعا بيانا مشتركا")
    assert "163" in _codes_for("فرضت عقوبات")
    assert "1312" in _codes_for("هدد بفرض عقوبات")
    assert "042" in _codes_for("زار")
    assert "043" in _codes_for("استقبل")
    assert "041" in _codes_for("اتصال هاتفي")
    assert "141" in _codes_for("متظاهرون")


def test_every_universalpetrarch_root_is_covered(shared_data):
    """Coverage check against UniversalPetrarch's Arabic verb dictionary (read at run time, never copied)."""
    path = shared_data / "events" / "universalpetrarch_ar" / "CAMEO.ar.0.5.txt"
    text = path.read_text(encoding="utf-8", errors="replace")
    up_roots = {c[:2] for c in re.findall(r"\[(\d{3,4})\]", text)}
    ours = {p.code[:2] for p in load_patterns()}
    assert up_roots and up_roots <= ours


def test_trigger_table_rows_and_codebook_labels():
    rows = [line for line in (DATA / "triggers.tsv").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith(("#", "code\t"))]
    assert len(rows) >= 400  # issue 7: at least 400 patterns written by the team
    codes = load_codes()
    assert codes["041"].label == "Discuss by telephone" and codes["042"].label == "Make a visit"
    assert codes["043"].label == "Host a visit" and codes["046"].label == "Engage in negotiation"
    assert codes["057"].source_also == {"BUS"} and "CVL" in codes["141"].source_also  # inherited from root 14
    assert not codes["190"].source_also


def test_automaton_prefilter_keeps_every_trigger_start():
    """The Aho-Corasick pre-filters only narrow the search: triggers found with them equal those found by trying
    every word as a start and every word as a gapped pattern's second word."""
    for path in sorted(SAMPLES.glob("*.txt")):
        doc = Document(path.read_text(encoding="utf-8"))
        everything = TokenForms(doc.tokens, doc.normalized)
        everything._seconds = set(range(len(doc.tokens)))  # no second-word filter
        full = find_triggers(everything, 0, len(doc.tokens))
        fast_forms = TokenForms(doc.tokens, doc.normalized)
        fast = find_triggers(fast_forms, 0, len(doc.tokens), candidate_tokens(doc.tokens, doc.normalized))
        assert full and [(m.pattern.line, m.head) for m in full] == [(m.pattern.line, m.head) for m in fast]
        assert fast_forms.seconds == second_tokens(doc.tokens, doc.normalized)
        assert all(starts_of(doc.tokens[m.head[0]].norm) for m in fast)
