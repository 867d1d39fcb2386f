"""The relations report on hand-built documents (known numbers) and on the bundled samples."""

from __future__ import annotations

import json

import pytest

from marsad.document import ActorRef, Amount, Document, Entity, Event, Meta, Quote
from marsad.store import open_store
from marsad.store.relations import (
    UnknownActor,
    excerpt,
    load_config,
    object_phrase,
    render,
    report,
    resolve_side,
    validate_config,
)

KB = {"بوتين": ("PER", "per:vladimir-putin", "RUS", "Vladimir Putin"),
      "توكاييف": ("PER", "per:kassym-jomart-tokayev", "KAZ", "Kassym-Jomart Tokayev"),
      "روسيا": ("GPE", "RUS", "RUS", "Russia"), "كازاخستان": ("GPE", "KAZ", "KAZ", "Kazakhstan"),
      "أوكرانيا": ("GPE", "UKR", "UKR", "Ukraine")}


def build(text: str, published: str, events: list[tuple], quotes: list[tuple] = (),
          amounts: list[tuple] = ()) -> Document:
    """A document whose entities are every KB name found in the text (all occurrences)."""
    doc = Document(text=text, meta=Meta(title=text[:30], published=published, source="team"))
    for i, (name, (etype, kb_id, country, name_en)) in enumerate(KB.items()):
        spans, pos = [], text.find(name)
        while pos != -1:
            spans.append(doc.span(pos, pos + len(name)))
            pos = text.find(name, pos + 1)
        if spans:
            doc.entities.append(Entity(f"e{i}", etype, name, name_en, kb_id, country, [], spans))
    local = {e.name: e.id for e in doc.entities}
    for code, quad, goldstein, trigger, src, tgt, date, modality in events:
        start = text.index(trigger)
        sent = doc.sentence_at(start)
        doc.events.append(Event(code, f"label {code}", None, quad, goldstein,
                                ActorRef(local.get(src[0]) if src[0] else None, src[1]),
                                ActorRef(local.get(tgt[0]) if tgt[0] else None, tgt[1]),
                                date, None, modality, doc.span(start, start + len(trigger)),
                                {"start": sent.start, "end": sent.end}, "text"))
    for quote, speaker in quotes:
        start = text.index(quote)
        doc.quotes.append(Quote(start, start + len(quote), quote, local[speaker], None, True))
    for amount, value in amounts:
        start = text.index(amount)
        doc.amounts.append(Amount(start, start + len(amount), amount, value, "USD", "money"))
    return doc


MEETING = ("التقى الرئيس الروسي بوتين نظيره الكازاخي توكاييف في أستانا. "
           "ووقع الجانبان اتفاقية لبناء محطة كهرباء في كوكشيتاو، ومذكرة تفاهم للتعليم. "
           "وقال توكاييف إن «روسيا شريك لا غنى عنه لبلادنا». "
           "وبلغ حجم التجارة بين روسيا وكازاخستان 28 مليار دولار.")
FRICTION = ("انتقدت موسكو المصارف في كازاخستان بسبب تشديد القيود. "
            "وأعلن بوتين أنه يعتزم زيارة كازاخستان في الخريف.")
OTHER = "هاجمت روسيا مواقع في أوكرانيا وقالت أوكرانيا إن القصف طال منشآت مدنية."


def meeting_doc(text: str = MEETING) -> Document:
    return build(text, "2023-10-06", [
        ("042", 1, 1.9, "التقى", ("بوتين", None), ("توكاييف", None), "2023-10-05", "asserted"),
        ("057", 1, 8.0, "ووقع", (None, "RUSGOV"), (None, "KAZGOV"), "2023-10-05", "asserted"),
    ], quotes=[("روسيا شريك لا غنى عنه لبلادنا", "توكاييف")], amounts=[("28 مليار دولار", 28e9)])


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "rel.db")
    first = s.add_document(meeting_doc())
    s.add_document(build(FRICTION, "2024-02-11", [
        ("111", 3, -2.0, "انتقدت", (None, "RUSGOV"), ("كازاخستان", "KAZ"), "2024-02-10", "asserted"),
        ("036", 1, 4.0, "يعتزم", ("بوتين", "RUSGOV"), (None, None), "2024-02-10", "planned"),
    ]))
    s.add_document(build(OTHER, "2024-03-01", [
        ("190", 4, -10.0, "هاجمت", ("روسيا", "RUS"), ("أوكرانيا", "UKR"), "2024-03-01", "asserted")]))
    # a near-duplicate of the meeting article with its own events: must not count anywhere
    dup = meeting_doc(MEETING + " (تحديث)")
    s.add_document(dup, duplicate_of=first, similarity=0.97)
    yield s
    s.close()


def assert_citations(store, node, doc_row=None) -> int:
    """Every cited span slices the stored text to the cited text; returns how many were checked."""
    checked = 0
    if isinstance(node, dict):
        doc_row = node.get("row", doc_row)
        if {"start", "end", "text"} <= node.keys() and doc_row is not None and node["start"] is not None:
            text = store.conn.execute("SELECT text FROM documents WHERE id = ?", (doc_row,)).fetchone()[0]
            assert text[node["start"]:node["end"]] == node["text"], node
            checked += 1
        for value in node.values():
            checked += assert_citations(store, value, doc_row)
    elif isinstance(node, list):
        checked += sum(assert_citations(store, v, doc_row) for v in node)
    return checked


def test_config_is_valid():
    assert validate_config(load_config()) == []
    bad = dict(load_config(), meeting_codes=["42"], stages=[])
    assert len(validate_config(bad)) >= 2


def test_sides_resolve_arabic_english_and_codes(store):
    for name in ("روسيا", "Russia", "RUS"):
        side = resolve_side(store.conn, name)
        assert side.kb_id == "RUS" and side.code == "RUS"
    russia = resolve_side(store.conn, "روسيا")
    putin = store.conn.execute("SELECT id FROM entities WHERE kb_id = 'per:vladimir-putin'").fetchone()[0]
    tokayev = store.conn.execute("SELECT id FROM entities WHERE kb_id = 'per:kassym-jomart-tokayev'").fetchone()[0]
    assert putin in russia.entity_ids and tokayev not in russia.entity_ids
    assert resolve_side(store.conn, "بوتين").entity_ids == {putin}
    with pytest.raises(UnknownActor):
        resolve_side(store.conn, "لا يوجد هذا الاسم")


def test_report_numbers(store):
    rep = report(store, "روسيا", "Kazakhstan")
    assert [m["code"] for m in rep["meetings"]] == ["042", "036"]
    assert rep["meetings"][1]["link"] == "sentence" and rep["meetings"][1]["direction"] == "a->b"
    assert [g["code"] for g in rep["agreements"]] == ["057"]
    assert rep["agreements"][0]["object"]["text"] == "الجانبان اتفاقية لبناء محطة كهرباء في كوكشيتاو"
    tot = rep["balance"]["totals"]
    assert (tot["events"], tot["cooperation"], tot["conflict"]) == (4, 3, 1)
    assert tot["net_goldstein"] == pytest.approx(11.9)
    assert [(m["month"], m["events"], m["net_goldstein"]) for m in rep["balance"]["months"]] == [
        ("2023-10", 2, pytest.approx(9.9)), ("2024-02", 2, pytest.approx(2.0))]
    assert rep["balance"]["trend"]["label"] == "deteriorating"
    assert rep["balance"]["stage"]["en"] == "cooperation with some friction"
    assert [q["text"] for q in rep["statements"]["b"]] == ["روسيا شريك لا غنى عنه لبلادنا"]
    assert rep["statements"]["a"] == []
    assert [(f["text"], f["scope"]) for f in rep["figures"]] == [("28 مليار دولار", "sentence")]
    assert all(e["code"] != "190" for e in rep["events"])  # Russia–Ukraine stays out
    assert rep["documents"] == 2  # the near-duplicate is not cited
    assert assert_citations(store, rep) >= 10


def test_summary_is_grounded(store):
    rep = report(store, "روسيا", "كازاخستان")
    en, ar = rep["summary"]["en"], rep["summary"]["ar"]
    assert "4 coded events" in en and "3 cooperative and 1 conflictual" in en
    assert "deteriorating" in en and "2023-10-05" in en
    assert "الجانبان اتفاقية لبناء محطة كهرباء" in ar and "روسيا" in ar
    assert rep["summary"]["citations"]


def test_period_filter(store):
    rep = report(store, "RUS", "KAZ", since="2024-01-01")
    assert [e["code"] for e in rep["events"]] == ["111", "036"]
    assert rep["agreements"] == [] and rep["figures"] == [] and rep["statements"]["b"] == []
    assert report(store, "RUS", "KAZ", until="2023-12-31")["balance"]["totals"]["events"] == 2


def test_people_sides(store):
    rep = report(store, "بوتين", "توكاييف")
    assert [m["code"] for m in rep["meetings"]] == ["042"]
    assert rep["balance"]["totals"]["events"] == 1


def test_render_formats(store):
    rep = report(store, "روسيا", "كازاخستان")
    md = render(rep, "md")
    assert md.startswith("# Relations: Russia – Kazakhstan") and "| 2023-10 | 2 |" in md
    assert json.loads(render(rep, "json"))["balance"]["totals"]["events"] == 4
    assert "Meetings and visits" in render(rep, "text")
    with pytest.raises(ValueError):
        render(rep, "pdf")


def test_excerpt_and_object_phrase():
    text = "كلمة " * 100
    start, end = excerpt(text, 0, len(text), 250, 254, limit=60)
    assert end - start <= 60 and start <= 250 and end >= 254
    assert not text[start].isspace() and not text[end - 1].isspace()
    s = "وقع الجانبان اتفاقية للتعاون، ثم غادر."
    a, b = object_phrase(s, 3, len(s))
    assert s[a:b] == "الجانبان اتفاقية للتعاون"


def test_cli(store, capsys):
    from marsad.cli import main

    assert main(["relations", "روسيا", "كازاخستان", "--db", store.path, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"a", "b", "meetings", "agreements", "statements", "balance", "figures", "summary", "events"}
    assert main(["relations", "روسيا", "مجهول تماما", "--db", store.path]) == 1


def test_bundled_samples(tmp_path):
    """The real pipeline over the samples: structure, and every cited offset is exact."""
    from marsad.pipeline import run
    from marsad.reader import expand_paths, load_document
    from tests.conftest import SAMPLES

    s = open_store(tmp_path / "samples.db")
    for path in expand_paths([SAMPLES]):
        s.add_document(run(load_document(path)))
    rep = report(s, "روسيا", "كازاخستان")
    assert rep["a"]["kb_id"] == "RUS" and rep["b"]["kb_id"] == "KAZ"
    assert rep["summary"]["en"] and rep["summary"]["ar"]
    assert_citations(s, rep)
    if s.stats()["amounts"] and s.stats()["entities"]:
        assert rep["figures"], "trade figures of the Russia–Kazakhstan samples"
    if s.stats()["events"]:
        assert rep["events"] and rep["balance"]["totals"]["events"] > 0
    s.close()
