"""The evaluation tools: span resolution, corpus join by URL + sha1, per-layer scoring, agreement, CLI."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from marsad.document import ActorRef, Amount, Document, Entity, Event, Mention, Quote, TimeExpr
from marsad.evaluate import agreement, gold
from marsad.evaluate.score import align, headline, score

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------- resolver

def test_occurrences_count_substrings_inside_clitic_words() -> None:
    text = "قال بوتين إن وبوتين ولبوتين"
    assert gold.find_occurrence(text, "بوتين", 0) == 4
    assert gold.find_occurrence(text, "بوتين", 1) == text.index("وبوتين") + 1
    assert gold.find_occurrence(text, "بوتين", 2) == text.index("ولبوتين") + 2
    with pytest.raises(ValueError, match="occurrence 3 not found .the text has 3"):
        gold.find_occurrence(text, "بوتين", 3)


def test_resolve_span_offsets_hold_and_explicit_offsets_are_checked() -> None:
    text = "روسيا ولروسيا"
    m = gold.resolve_span(text, {"text": "روسيا", "occurrence": 1})
    assert text[m.start:m.end] == m.text == "روسيا" and m.start == 8
    with pytest.raises(ValueError, match="is not at"):
        gold.resolve_span(text, {"text": "روسيا", "start": 1, "end": 6})


def test_to_document_reports_every_problem() -> None:
    data = {"entities": [{"id": "e1", "type": "PER", "name": "بوتين",
                          "mentions": [{"text": "بوتين", "occurrence": 0}, {"text": "لافروف", "occurrence": 0}]}],
            "quotes": [{"text": "بوتين", "occurrence": 0, "speaker": "e9"}],
            "times": [{"text": "أمس", "occurrence": 0, "value": "2023-11-09", "grain": "day"}]}
    with pytest.raises(gold.GoldError) as info:
        gold.to_document(data, "قال بوتين", "x.json")
    lines = str(info.value).splitlines()
    assert len(lines) == 3
    assert any("لافروف" in line for line in lines) and any("e9" in line for line in lines)


def test_resolve_cli_fails_loudly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"text": "زار بوتين أستانا", "entities": [
        {"id": "e1", "type": "GPE", "name": "أستانا", "mentions": [{"text": "أستانا", "occurrence": 0}]}]}))
    assert gold.main(["resolve", str(good)]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"text": "زار بوتين أستانا", "times": [{"text": "أمس", "occurrence": 0}]}))
    assert gold.main(["resolve", str(good), str(bad)]) == 1
    assert "'أمس' occurrence 0 not found" in capsys.readouterr().err


# ---------------------------------------------------------------- corpus join

def fake_corpus(directory: Path, articles: list[dict]) -> Path:
    directory.mkdir()
    with zipfile.ZipFile(directory / "2015-07-21.zip", "w") as zf:
        zf.writestr("2015-07-21.json", json.dumps(articles, ensure_ascii=False))
    return directory


def test_join_with_corpus_by_url_and_sha1(tmp_path: Path) -> None:
    content = "الرياض - واس: استقبل خادم الحرمين الشريفين أمس وفدا."
    corpus = fake_corpus(tmp_path / "corpus", [
        {"url": "http://x/1", "content": content, "title": "t", "source": "spa", "date_extracted": "2015-07-21 02:51:32"},
        {"url": "http://x/2", "content": "نص آخر", "date_extracted": "2015-07-21 03:00:00"}])
    golddir = tmp_path / "dev"
    golddir.mkdir()
    spans = {"entities": [{"id": "e1", "type": "GPE", "name": "الرياض", "mentions": [{"text": "الرياض", "occurrence": 0}]}]}
    (golddir / "a.json").write_text(json.dumps({"url": "http://x/1", "sha1": hashlib.sha1(content.encode()).hexdigest(),
                                                **spans}, ensure_ascii=False))
    (golddir / "b.json").write_text(json.dumps({"url": "http://x/2", "sha1": "0" * 40}))
    (golddir / "c.json").write_text(json.dumps({"url": "http://x/missing"}))
    docs, problems = gold.resolve_all([golddir], corpus)
    assert [d.meta.url for d in docs] == ["http://x/1"]
    assert docs[0].meta.published == "2015-07-21"
    assert docs[0].entities[0].mentions[0].start == 0
    assert len(problems) == 2
    assert "sha1 mismatch" in problems[0] and "article not found" in problems[1]


def test_samples_are_found_by_url() -> None:
    g = gold.load_gold([ROOT / "eval" / "samples" / "01-putin-astana-visit.json"])[0]
    assert g.origin == "sample:01-putin-astana-visit" and g.data["published"] == "2023-11-10"
    assert gold.check(g).text == g.text


# ---------------------------------------------------------------- scorer

def doc_with(**layers) -> Document:
    doc = Document(text="x" * 100)
    for name, items in layers.items():
        setattr(doc, name, items)
    return doc


def ent(eid: str, typ: str, spans: list[tuple[int, int]], kb: str | None = None, name: str = "") -> Entity:
    return Entity(id=eid, type=typ, name=name or eid, kb_id=kb, mentions=[Mention(a, b, "x" * (b - a)) for a, b in spans])


def metric(result: dict, layer: str, name: str) -> tuple[float, float, float]:
    m = result["layers"][layer]["metrics"][name]
    return m["p"], m["r"], m["f1"]


def test_align_is_one_to_one() -> None:
    assert align([(0, 5)], [(0, 5), (0, 5)], strict=True) == [(0, 0)]
    assert align([(0, 5), (3, 9)], [(2, 8)], strict=False) == [(1, 0)]


def test_entities_strict_overlap_grouping_linking() -> None:
    g = doc_with(entities=[ent("e1", "PER", [(0, 5), (10, 15)], "per:x"), ent("e2", "GPE", [(20, 25)], "RUS")])
    p = doc_with(entities=[ent("a", "PER", [(0, 5)], "per:x"), ent("b", "PER", [(11, 15)]),
                           ent("c", "ORG", [(20, 25)], "RUS"), ent("d", "PER", [(30, 33)])])
    r = score([g], [p], ["entities"])
    assert metric(r, "entities", "strict") == (0.25, 0.3333, 0.2857)
    assert metric(r, "entities", "overlap") == (0.5, 0.6667, 0.5714)
    assert metric(r, "entities", "span") == (0.5, 0.6667, 0.5714)
    assert metric(r, "entities", "grouping") == (1.0, 0.6667, 0.8)
    assert metric(r, "entities", "linking") == (0.6667, 0.6667, 0.6667)
    by_type = r["layers"]["entities"]["by_type"]
    assert by_type["PER"]["tp"] == 1 and by_type["PER"]["fn"] == 1 and by_type["PER"]["fp"] == 2
    assert by_type["ORG"]["fp"] == 1 and by_type["GPE"]["fn"] == 1


def test_times_span_and_value() -> None:
    g = doc_with(times=[TimeExpr(0, 5, "x", "2023-11-09", "day"), TimeExpr(10, 15, "x", "2022", "year")])
    p = doc_with(times=[TimeExpr(0, 5, "x", "2023-11-09", "day"), TimeExpr(10, 15, "x", "2021", "year"),
                        TimeExpr(20, 22, "x", "2020", "year")])
    r = score([g], [p], ["times"])
    assert metric(r, "times", "span") == (0.6667, 1.0, 0.8)
    assert metric(r, "times", "value") == (0.3333, 0.5, 0.4)


def test_amounts_value_needs_unit() -> None:
    g = doc_with(amounts=[Amount(0, 5, "x", 7, None, "count"), Amount(10, 15, "x", 28_200_000_000, "USD", "money")])
    p = doc_with(amounts=[Amount(0, 5, "x", 7.0, None, "count"), Amount(10, 15, "x", 28.2e9, "EUR", "money")])
    r = score([g], [p], ["amounts"])
    assert metric(r, "amounts", "span") == (1.0, 1.0, 1.0)
    assert metric(r, "amounts", "value") == (0.5, 0.5, 0.5)


def test_quotes_overlap_and_speaker_by_mentions() -> None:
    g = doc_with(entities=[ent("e1", "PER", [(0, 5)], name="بوتين")],
                 quotes=[Quote(10, 30, "x" * 20, "e1", None, True), Quote(60, 70, "x" * 10, "e1", None, False)])
    p = doc_with(entities=[ent("s7", "PER", [(0, 5)], name="فلاديمير"), ent("s8", "PER", [(80, 85)], name="لافروف")],
                 quotes=[Quote(12, 28, "x" * 16, "s7", None, True), Quote(40, 50, "x" * 10, None, None, True),
                         Quote(62, 70, "x" * 8, "s8", None, False)])
    r = score([g], [p], ["quotes"])
    assert metric(r, "quotes", "span") == (0.6667, 1.0, 0.8)
    assert metric(r, "quotes", "speaker") == (0.3333, 0.5, 0.4)


def event(span: tuple[int, int], code: str, src: str | None, tgt: str | None, modality: str = "asserted") -> Event:
    return Event(code=code, label="", plover=None, quad=0, goldstein=0.0, source=ActorRef(None, src),
                 target=ActorRef(None, tgt), date=None, location=None, modality=modality,
                 trigger=Mention(span[0], span[1], "x" * (span[1] - span[0])), sentence={})


def test_events_matched_by_trigger_overlap_then_attributes() -> None:
    g = doc_with(events=[event((0, 5), "057", "RUSGOV", "KAZGOV"), event((0, 5), "057", "KAZGOV", "RUSGOV")])
    p = doc_with(events=[event((1, 4), "057", "KAZGOV", "RUSGOV"), event((0, 5), "051", "RUSGOV", None, "future"),
                         event((50, 55), "040", "RUSGOV", "KAZGOV")])
    r = score([g], [p], ["events"])
    assert metric(r, "events", "trigger") == (0.6667, 1.0, 0.8)
    assert metric(r, "events", "root") == (0.6667, 1.0, 0.8)
    assert metric(r, "events", "code") == (0.3333, 0.5, 0.4)
    assert metric(r, "events", "source") == (0.6667, 1.0, 0.8)
    assert metric(r, "events", "target") == (0.3333, 0.5, 0.4)
    assert metric(r, "events", "modality") == (0.3333, 0.5, 0.4)


def test_missing_prediction_scores_zero_recall_without_crashing() -> None:
    g = doc_with(times=[TimeExpr(0, 5, "x", "2022", "year")])
    r = score([g], [], ["times", "events"])
    assert r["predicted"] == 0
    assert metric(r, "times", "value") == (0.0, 0.0, 0.0)
    assert r["layers"]["times"]["metrics"]["value"]["fn"] == 1


def test_unknown_layer_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown layers"):
        score([], [], ["relations"])


# ---------------------------------------------------------------- agreement and CLI

def test_agreement_matches_by_url(tmp_path: Path) -> None:
    text = "زار بوتين أستانا أمس"
    mention = {"id": "e1", "type": "PER", "name": "بوتين", "mentions": [{"text": "بوتين", "occurrence": 0}]}
    place = {"id": "e2", "type": "GPE", "name": "أستانا", "mentions": [{"text": "أستانا", "occurrence": 0}]}
    for name, ents in (("a", [mention, place]), ("b", [mention])):
        (tmp_path / name).mkdir()
        (tmp_path / name / "1.json").write_text(json.dumps({"url": "u1", "text": text, "entities": ents}))
        (tmp_path / name / "2.json").write_text(json.dumps({"url": f"only-{name}", "text": text}))
    result = agreement.agreement(tmp_path / "a", tmp_path / "b")
    assert result["documents"] == 1
    assert result["f1"]["entities.strict"] == 0.6667


def test_eval_cli_json_with_contract_predictions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from marsad.cli import main

    text = "زار بوتين أستانا أمس"
    (tmp_path / "gold.json").write_text(json.dumps({"url": "u1", "text": text, "times": [
        {"text": "أمس", "occurrence": 0, "value": "2023-11-09", "grain": "day"}]}))
    pred = Document(text=text, times=[TimeExpr(17, 20, "أمس", "2023-11-09", "day")])
    (tmp_path / "pred.jsonl").write_text(json.dumps(pred.to_dict(), ensure_ascii=False) + "\n")
    assert main(["eval", str(tmp_path / "gold.json"), str(tmp_path / "pred.jsonl"), "--format", "json",
                 "--layers", "times", "amounts"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["layers"]) == {"times", "amounts"}
    assert headline(out)["times.value"] == 1.0
