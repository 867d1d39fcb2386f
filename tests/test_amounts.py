from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.amounts import annotate
from marsad.document import Document, Meta
from marsad.pipeline import COMPONENTS, run
from tests.table_eval import load_table, run_marsad


def amounts(text: str, published: str | None = "2023-11-09") -> list[tuple[str, object, object, str]]:
    doc = Document(text, Meta(published=published))
    annotate(doc)
    return [(a.text, a.value, a.unit, a.kind) for a in doc.amounts]


def test_table_amounts() -> None:
    rows = [r for r in load_table() if r.layer in ("amount", "no_amount")]
    assert len(rows) >= 150
    results = run_marsad(rows)
    failures = [f"line {r.line}: {r.text!r} expected {r.value}|{r.attr}|{r.extra} found {found}"
                for r, ok, found in results if not ok]
    assert 1 - len(failures) / len(results) >= 0.95, "\n".join(failures)


def test_table_size() -> None:
    assert len(load_table()) >= 300


def test_examples_from_the_issue() -> None:
    assert ("28.2 مليار دولار", 28200000000, "USD", "money") in amounts("بلغت 28.2 مليار دولار")
    assert ("١٠٪", 10, "percent", "percent") in amounts("ارتفع ١٠٪")
    assert ("7598.8 كم", 7598.8, "km", "quantity") in amounts("طوله 7598.8 كم")
    assert ("سبع وثائق", 7, "وثائق", "count") in amounts("وقعا سبع وثائق")
    assert ("التاسع عشر", 19, None, "ordinal") in amounts("افتتح المنتدى التاسع عشر")
    assert isinstance(amounts("بلغت 28.2 مليار دولار")[0][1], int)


def test_year_is_not_an_amount() -> None:
    assert amounts("وقع الاتفاق في 11 نوفمبر 2013") == []
    assert amounts("سجل النمو في 2022 منذ عقد") == []


def test_pipeline_registration_and_offsets() -> None:
    names = list(COMPONENTS)
    assert names.index("lead") < names.index("times") < names.index("amounts")
    doc = run(Document("القاهرة (رويترز) - قدرت الخسائر أمس بنحو ٣٫٥ مليار دولار في ٢٠٢٢.", Meta(published="2023-11-09")),
              ["lead", "times", "amounts"])
    assert [a.value for a in doc.amounts] == [3500000000]
    assert [t.value for t in doc.times] == ["2023-11-08", "2022"]
    spans = [(x.start, x.end) for x in doc.times + doc.amounts]
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(sorted(spans), sorted(spans)[1:]))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789٠١٢٣٤٥٦٧٨٩,.٫٪%$€ \nمليونارداهكطلثةعشسخبفوىأإآـًٌَُّ")),
               max_size=80))
def test_never_raises_and_offsets_hold(text: str) -> None:
    doc = Document(text, Meta(published="2023-11-09"))
    annotate(doc)
    for a in doc.amounts:
        assert text[a.start:a.end] == a.text
        assert a.kind in ("money", "percent", "quantity", "count", "ordinal")


def test_definite_counts_and_null_ordinal_units() -> None:
    found = amounts("شارك قادة الدول الخليجية الست ودول آسيا الوسطى الخمس")
    assert ("الست", 6, "الدول", "count") in found and ("الخمس", 5, "دول", "count") in found
    assert ("الثالثة", 3, None, "ordinal") in amounts("عقدت الجولة الثالثة")
    assert amounts("ذكر موقع اليوم السابع أن الاجتماع تأجل") == []
