"""Search: clitics, alef variants, diacritics, phrases, ranking and exact snippet offsets."""

from __future__ import annotations

import json

import pytest

from marsad.document import Document, Meta
from marsad.store import open_store
from marsad.store.search import fts_expression, parse_query, search

DOCS = {
    "bare": ("زيارة إلى موسكو", "وصل وزير الخارجية إلى موسكو أمس لبحث العلاقات مع روسيا في ملفات الطاقة."),
    "conj": ("تعاون في الطاقة", "وقعت مصر وروسيا اتفاقا للتعاون في الطاقة النووية السلمية."),
    "prep": ("رسالة من أنقرة", "بعث الرئيس التركي رسالة لروسيا بشأن ممر الحبوب."),
    "alef": ("إتفاقية تجارية", "أعلن الجانبان توقيع إتفاقية تجارية جديدة تشمل الزراعة."),
    "diac": ("مُحَادَثَات في القاهرة", "جرت مُحَادَثَات مطولة في القاهرة بين الوفدين حول الحدود."),
    "apart": ("لقاء", "التقى الوزير نظيره، وبحث وفد الخارجية ملف المياه."),
    "other": ("طقس", "تشهد البلاد موجة حر شديدة مع ارتفاع درجات الحرارة."),
    "title": ("روسيا وروسيا", "تقرير عن روسيا يتناول علاقات روسيا الخارجية وسياسة روسيا الاقتصادية."),
}


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "search.db")
    rows = {}
    for key, (title, text) in DOCS.items():
        rows[key] = s.add_document(Document(text=text, meta=Meta(title=title, published="2024-01-01", source=key)))
    s.add_document(Document(text=DOCS["conj"][1] + " تحديث", meta=Meta(title="نسخة", source="dup")),
                   duplicate_of=rows["conj"], similarity=0.95)
    yield s
    s.close()


def sources(result) -> list[str]:
    return [r["source"] for r in result["results"]]


def check_offsets(store, result) -> None:
    for r in result["results"]:
        text = store.conn.execute("SELECT text FROM documents WHERE id = ?", (r["row"],)).fetchone()[0]
        sn = r["snippet"]
        assert text[sn["start"]:sn["end"]] == sn["text"]
        for h in sn["highlights"]:
            assert text[h["start"]:h["end"]] == h["text"]
            assert sn["start"] <= h["start"] < h["end"] <= sn["end"]
        for h in r["title_highlights"]:
            assert r["title"][h["start"]:h["end"]] == h["text"]


def test_clitic_forms_are_found(store):
    res = search(store, "روسيا")
    assert set(sources(res)) == {"bare", "conj", "prep", "title"}
    highlighted = {r["source"]: [h["text"] for h in r["snippet"]["highlights"]] for r in res["results"]}
    assert highlighted["conj"] == ["روسيا"]  # the stem inside «وروسيا», not the conjunction
    assert highlighted["prep"] == ["روسيا"]
    check_offsets(store, res)


def test_clitic_query_is_expanded(store):
    assert {"bare", "conj", "prep"} <= set(sources(search(store, "وروسيا")))
    assert "prep" in sources(search(store, "لروسيا"))


def test_alef_variants_and_diacritics(store):
    assert sources(search(store, "اتفاقية")) == ["alef"]
    assert sources(search(store, "أتفاقيه")) == ["alef"]
    res = search(store, "محادثات")
    assert sources(res) == ["diac"]
    assert res["results"][0]["snippet"]["highlights"][0]["text"] == "مُحَادَثَات"
    assert sources(search(store, "مُحادَثات")) == ["diac"]
    check_offsets(store, res)


def test_several_words_and_phrases(store):
    assert set(sources(search(store, "وزير الخارجية"))) == {"bare", "apart"}
    res = search(store, '"وزير الخارجية"')
    assert sources(res) == ["bare"]
    assert res["results"][0]["snippet"]["highlights"][0]["text"] == "وزير الخارجية"
    assert sources(search(store, "«الطاقة النووية»")) == ["conj"]
    assert search(store, '"الطاقة موسكو"')["results"] == []
    check_offsets(store, res)


def test_ranking_prefers_title_and_repeated_terms(store):
    res = search(store, "روسيا")
    assert sources(res)[0] == "title"
    assert [r["rank"] for r in res["results"]] == list(range(1, len(res["results"]) + 1))
    scores = [r["score"] for r in res["results"]]
    assert scores == sorted(scores, reverse=True)


def test_duplicates_and_limits(store):
    assert sources(search(store, "النووية")) == ["conj"]
    assert set(sources(search(store, "النووية", include_duplicates=True))) == {"conj", "dup"}
    assert len(search(store, "روسيا", limit=2)["results"]) == 2
    assert search(store, "   ")["results"] == []
    assert search(store, "كلمةغيرموجودة")["results"] == []


def test_query_syntax_is_escaped(store):
    for q in ['روسيا"', "AND OR NOT", "NEAR(", "*", "روسيا -", "(روسيا)"]:
        search(store, q)  # never an FTS5 syntax error
    clauses = parse_query('موسكو "وزير الخارجية" 2024')
    assert [c.phrase for c in clauses] == [False, True, False]
    assert fts_expression(clauses).count(" AND ") == 3


def test_cli_json(store, capsys):
    from marsad.cli import main

    assert main(["search", "روسيا", "--db", store.path, "--format", "json", "--limit", "3"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["results"]) == 3
    assert set(out["results"][0]) >= {"rank", "id", "title", "published", "source", "score", "snippet"}
    assert main(["search", "روسيا", "--db", store.path]) == 0
    assert main(["search", "روسيا", "--db", store.path + ".missing"]) == 1
