import json

from marsad.document import ActorRef, Amount, Document, Entity, Event, Mention, Meta, Quote, TimeExpr, iter_spans

TEXT = "قال الرئيس فلاديمير بوتين «سنوقع اتفاقية» في 9 نوفمبر 2023 بقيمة 28.2 مليار دولار."


def _doc() -> Document:
    doc = Document(TEXT, Meta(title="t", published="2023-11-09"))
    i = TEXT.index("فلاديمير بوتين")
    doc.entities.append(Entity("e1", "PER", "فلاديمير بوتين", "Vladimir Putin", "per:vladimir-putin", "RUS",
                               [{"role": "president"}], [doc.span(i, i + 14)]))
    j = TEXT.index("9 نوفمبر 2023")
    doc.times.append(TimeExpr(j, j + 13, TEXT[j:j + 13], "2023-11-09", "day"))
    k = TEXT.index("28.2")
    doc.amounts.append(Amount(k, k + 17, TEXT[k:k + 17], 28_200_000_000, "USD", "money"))
    q = TEXT.index("«")
    doc.quotes.append(Quote(q + 1, q + 14, TEXT[q + 1:q + 14], "e1", doc.span(0, 3), True))
    t = TEXT.index("سنوقع")
    doc.events.append(Event("057", "Sign formal agreement", "AGREE", 2, 8.0, ActorRef("e1", "RUSGOV"),
                            ActorRef(None, None), "2023-11-09", None, "future", doc.span(t, t + 5),
                            {"start": 0, "end": len(TEXT)}, "text"))
    return doc


def test_round_trip_through_json():
    doc = _doc()
    data = json.loads(json.dumps(doc.to_dict(), ensure_ascii=False))
    assert set(data) == {"id", "meta", "text", "entities", "times", "amounts", "quotes", "events"}
    assert set(data["meta"]) >= {"title", "source", "url", "path", "published", "dateline", "language"}
    again = Document.from_dict(data)
    assert again.to_dict() == data
    assert again.events[0].source.actor == "RUSGOV"
    assert isinstance(again.entities[0].mentions[0], Mention)


def test_every_span_indexes_the_text():
    doc = _doc()
    spans = iter_spans(doc)
    assert len(spans) == 6
    assert all(doc.text[s:e] == t for _, s, e, t in spans)


def test_id_is_stable_content_hash():
    assert Document(TEXT).id == Document(TEXT).id != Document(TEXT + " ").id


def test_cached_analyses():
    doc = Document(TEXT)
    assert doc.tokens[0].text == "قال"
    assert len(doc.sentences) == 1
    assert doc.sentence_at(5).start == 0
