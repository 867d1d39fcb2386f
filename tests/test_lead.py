import pytest

from marsad.document import Document
from marsad.lead import annotate, parse_lead


@pytest.mark.parametrize("text,city,source", [
    ("أستانا – (رياليست عربي): زار الرئيس", "أستانا", "رياليست عربي"),
    ("القاهرة (رويترز) - قال وزير", "القاهرة", "رويترز"),
    ("الرياض - واس: أعلنت وزارة", "الرياض", "واس"),
    ("موسكو، 9 نوفمبر (تاس) - أعلن الكرملين", "موسكو", "تاس"),
    ("أبو ظبي – (وام): وقعت", "أبو ظبي", "وام"),
])
def test_lead_forms(text, city, source):
    assert parse_lead(text)[:2] == (city, source)


def test_no_lead_in_ordinary_sentence():
    assert parse_lead("قال الرئيس إن المحادثات كانت بناءة.")[:2] == (None, None)


def test_annotate_keeps_explicit_source():
    doc = Document("القاهرة (رويترز) - قال وزير")
    doc.meta.source = "الأهرام"
    annotate(doc)
    assert doc.meta.dateline == "القاهرة" and doc.meta.source == "الأهرام"
