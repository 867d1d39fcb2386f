"""Entity profiles: KB-linked and unlinked entities, counts, quotes, events, timeline, citations."""

from __future__ import annotations

import json

import pytest

from marsad.store import open_store
from marsad.store.entity import profile
from tests.test_relations import FRICTION, MEETING, assert_citations, build, meeting_doc

LOCAL = "قال الخبير سامر الخطيب إن الأسواق مستقرة، وأضاف سامر الخطيب أن «النمو سيستمر»."


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "entity.db")
    first = s.add_document(meeting_doc())
    s.add_document(build(FRICTION, "2024-02-11", [
        ("036", 1, 4.0, "يعتزم", ("بوتين", "RUSGOV"), (None, None), "2024-02-10", "planned")]))
    s.add_document(meeting_doc(MEETING + " (تحديث)"), duplicate_of=first, similarity=0.97)
    doc = build(LOCAL, "2024-03-05", [])
    from marsad.document import Entity, Quote

    spans = [doc.span(i, i + len("سامر الخطيب")) for i in (LOCAL.index("سامر"), LOCAL.rindex("سامر"))]
    doc.entities.append(Entity("x1", "PER", "سامر الخطيب", None, None, None,
                               [{"role": "expert", "role_en": "expert"}], spans))
    q = LOCAL.index("النمو سيستمر")
    doc.quotes.append(Quote(q, q + len("النمو سيستمر"), "النمو سيستمر", "x1", None, True))
    s.add_document(doc)
    yield s
    s.close()


def test_kb_entity_profile(store):
    for name in ("توكاييف", "Kassym-Jomart Tokayev", "per:kassym-jomart-tokayev"):
        p = profile(store, name)
        assert p["entity"]["kb_id"] == "per:kassym-jomart-tokayev" and p["entity"]["country"] == "KAZ"
    p = profile(store, "توكاييف")
    assert p["documents"] == 1 and p["mentions"] == 2  # the near-duplicate does not count
    assert p["aliases"] == [{"text": "توكاييف", "count": 2}]
    assert any(r["where"] == "KAZ" for r in p["roles"])
    assert [q["text"] for q in p["quotes"]] == ["روسيا شريك لا غنى عنه لبلادنا"]
    assert [(e["code"], e["as"]) for e in p["events"]] == [("042", "target")]
    names = {c["name"]: c["documents"] for c in p["cooccurring"]}
    assert names == {"بوتين": 1, "روسيا": 1, "كازاخستان": 1}
    assert p["timeline"] == [{"month": "2023-10", "documents": 1, "mentions": 2, "events": 1, "quotes": 1}]
    assert assert_citations(store, p) >= 2


def test_timeline_spans_months(store):
    p = profile(store, "Vladimir Putin")
    assert [t["month"] for t in p["timeline"]] == ["2023-10", "2024-02"]
    assert [t["events"] for t in p["timeline"]] == [1, 1]
    assert p["documents"] == 2


def test_unlinked_entity_by_normalized_name(store):
    p = profile(store, "سامِر الخطيب")
    assert p["entity"]["kb_id"] is None and p["entity"]["key"] == "name:PER:سامر الخطيب"
    assert p["mentions"] == 2 and p["quotes"][0]["text"] == "النمو سيستمر"
    assert p["stored_roles"] == [{"role": {"role": "expert", "role_en": "expert"}, "documents": 1}]
    assert_citations(store, p)


def test_unknown_and_kb_only(store):
    assert profile(store, "اسم لا يعرفه أحد") is None
    p = profile(store, "Ukraine")  # in the KB, never stored
    assert p["entity"]["kb_id"] == "UKR" and p["mentions"] == 0 and p["timeline"] == []


def test_cli(store, capsys):
    from marsad.cli import main

    assert main(["entity", "توكاييف", "--db", store.path, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"entity", "aliases", "roles", "cooccurring", "quotes", "events", "timeline"}
    assert main(["entity", "بوتين", "--db", store.path]) == 0
    assert main(["entity", "اسم لا يعرفه أحد", "--db", store.path]) == 1
