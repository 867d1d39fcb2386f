"""Entity component: samples read by a person (tests/data/entities_expected.tsv), resolution rules, offsets."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.fuzz import ratio

from marsad.document import Document, Meta
from marsad.entities import annotate
from marsad.entities.lexicon import validate
from marsad.pipeline import COMPONENTS

from .conftest import SAMPLES

EXPECTED = Path(__file__).parent / "data" / "entities_expected.tsv"
NAME_SIMILARITY = 70  # romanized names are "conventional-like", not exact


def load(stem: str) -> Document:
    path = next(SAMPLES.glob(f"{stem}*.txt"))
    meta = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8"))
    doc = Document(path.read_text(encoding="utf-8"), Meta(**{k: meta.get(k) for k in ("title", "source", "published",
                                                                                        "url", "dateline")}))
    annotate(doc)
    return doc


_CACHE: dict[str, Document] = {}


def sample(stem: str) -> Document:
    if stem not in _CACHE:
        _CACHE[stem] = load(stem)
    return _CACHE[stem]


def rows() -> list:
    with EXPECTED.open(encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    out = []
    for row in csv.DictReader(lines, delimiter="\t"):
        marks = [pytest.mark.xfail(reason=row["xfail"], strict=False)] if row.get("xfail") else []
        out.append(pytest.param(row, marks=marks, id=f"{row['file']}-{row['surface']}"))
    return out


@pytest.mark.parametrize("row", rows())
def test_sample_expectation(row: dict) -> None:
    doc = sample(row["file"])
    # the surface as a word, possibly behind proclitics («وأنقرة»), never inside another word («السلطات»)
    m = re.search(rf"(?<![^\W\d_])[وفبلك]{{0,2}}({re.escape(row['surface'])})(?![^\W\d_])", doc.text)
    assert m, f"surface {row['surface']!r} not in sample {row['file']}"
    start, end = m.span(1)
    found = [e for e in doc.entities if any(m.start < end and start < m.end for m in e.mentions)]
    assert found, f"no entity covers {row['surface']!r}"
    ent = found[0]
    assert ent.type == row["type"], (ent.type, ent.name)
    expect = row["expect"]
    if expect.startswith("="):
        assert ent.name_en and ratio(ent.name_en.lower(), expect[1:].lower()) >= NAME_SIMILARITY, ent.name_en
    elif expect.startswith("country:"):
        assert ent.country == expect.split(":", 1)[1]
    else:
        assert ent.kb_id == expect, (ent.kb_id, ent.name)
    keys = {r["role"] for r in ent.roles}
    for role in filter(None, (row.get("roles") or "").split(",")):
        assert role in keys, (role, keys)


def test_expectation_table_has_xfails_counted() -> None:
    params = rows()
    xfails = sum(1 for p in params if p.marks)
    assert xfails < len(params) / 4  # stays a minority: fix the system rather than mark rows


def test_registered_after_lead() -> None:
    names = list(COMPONENTS)
    assert "entities" in names and names.index("entities") > names.index("lead")
    for later in ("quotes", "events"):
        if later in names:
            assert names.index(later) > names.index("entities")


def test_lexicons_valid() -> None:
    assert validate() == []


def test_clitic_excluded_and_offsets_exact() -> None:
    doc = sample("01")
    putin = next(e for e in doc.entities if e.kb_id == "per:vladimir-putin")
    assert all(doc.text[m.start:m.end] == m.text for e in doc.entities for m in e.mentions)
    assert "بوتين" in [m.text for m in putin.mentions]
    assert not any(m.text.startswith("و") for m in putin.mentions)


def test_ids_in_order_of_first_mention() -> None:
    doc = sample("01")
    firsts = [min(m.start for m in e.mentions) for e in doc.entities]
    assert firsts == sorted(firsts)
    assert [e.id for e in doc.entities] == [f"e{i}" for i in range(1, len(doc.entities) + 1)]


def test_one_entity_per_referent() -> None:
    doc = sample("01")
    linked = [e.kb_id for e in doc.entities if e.kb_id]
    assert len(linked) == len(set(linked))
    tokayev = next(e for e in doc.entities if e.kb_id == "per:kassym-jomart-tokayev")
    assert {"توكاييف", "توكايف"} <= {m.text for m in tokayev.mentions}


def test_role_dict_shape() -> None:
    doc = sample("01")
    borisov = next(e for e in doc.entities if e.kb_id == "per:yury-borisov")
    role = borisov.roles[0]
    assert role["role"] == "head-of-agency" and role["org"] == "org:roscosmos"
    assert "Roscosmos" in role["role_en"]
    assert doc.text[role["start"]:role["end"]] == role["text"] == "رئيس وكالة روسكوزموس"


def test_nationality_adjective_is_not_a_place() -> None:
    doc = Document("قال الرئيس الروسي إن العلاقات جيدة.")
    annotate(doc)
    assert not any(e.type == "GPE" and e.kb_id == "RUS" for e in doc.entities)


def test_unknown_person_by_title_gets_romanized_name() -> None:
    doc = Document("وقال وزير الرياضة الكازاخي يرلان كوتشيكوف إن البطولة ستقام في الصيف.")
    annotate(doc)
    person = next(e for e in doc.entities if e.type == "PER")
    assert person.name == "يرلان كوتشيكوف" and person.kb_id is None and person.country == "KAZ"
    assert ratio(person.name_en.lower(), "yerlan kochikov") >= NAME_SIMILARITY
    assert person.roles[0]["role"] == "sport-minister"


def test_surname_variant_joins_unknown_person() -> None:
    text = "التقى وزير الطاقة الكازاخي يرلان أكينجينوف بنظيره. وقال أكنجينوف إن المحادثات مثمرة."
    doc = Document(text)
    annotate(doc)
    people = [e for e in doc.entities if e.type == "PER"]
    assert len(people) == 1 and len(people[0].mentions) == 2


def test_different_people_with_similar_titles_stay_apart() -> None:
    doc = Document("وقال وزير الخارجية الكازاخي يرلان كاريموف إن وزير الخارجية القرغيزي جينبيك كولوباييف سيزور أستانا.")
    annotate(doc)
    assert len([e for e in doc.entities if e.type == "PER"]) == 2


@pytest.mark.parametrize(("text", "expected"), [
    ("وصل الوفد إلى طرابلس عاصمة ليبيا حيث التقى مسؤولين ليبيين.", "loc:LBY:tripoli"),
    ("وصل الوفد إلى طرابلس في شمال لبنان حيث التقى مسؤولين لبنانيين.", "loc:LBN:tripoli"),
    ("وزار الوزير عمان والتقى مسؤولين أردنيين في العاصمة الأردنية.", "loc:JOR:amman"),
    ("ووقعت سلطنة مسقط وعمان اتفاقا مع الهند، وقال مسؤول عماني إن التعاون سيتوسع.", "OMN"),
])
def test_ambiguous_alias_by_context(text: str, expected: str) -> None:
    doc = Document(text)
    annotate(doc)
    assert expected in {e.kb_id for e in doc.entities}


def test_description_resolves_to_named_person() -> None:
    doc = Document("استقبل الرئيس الروسي فلاديمير بوتين ضيفه. وقال الرئيس الروسي إن الزيارة مهمة.")
    annotate(doc)
    putin = next(e for e in doc.entities if e.kb_id == "per:vladimir-putin")
    assert len(putin.mentions) == 2


def test_metonym_links_to_country() -> None:
    doc = Document("وقال الكرملين إن المحادثات ستجري الأسبوع المقبل.")
    annotate(doc)
    assert [e.kb_id for e in doc.entities] == ["RUS"]


def test_common_word_that_is_a_kb_name_is_ignored() -> None:
    doc = Document("وقعت الدولتان اتفاقا في إطار التعاون، وفقدت العملة جزءا كبيرا من قيمتها في آب.")
    annotate(doc)
    assert doc.entities == []


def test_annotate_keeps_existing_entities() -> None:
    doc = Document("زار بوتين أستانا.")
    annotate(doc)
    n = len(doc.entities)
    annotate(doc)
    assert [e.id for e in doc.entities] == [f"e{i}" for i in range(1, 2 * n + 1)]


_ARABIC = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآؤئ ًٌٍَُِّْـ،.«»\"()-:0123456789٠١٢ \n")),
                  max_size=120)
_WORDS = st.lists(st.sampled_from(["بوتين", "وبوتين", "الرئيس", "الروسي", "وزير", "الخارجية", "مدينة", "كوستاناي",
                                   "شركة", "«غازبروم»", "نظيره", "الكازاخي", "عمان", "طرابلس", "وزارة", "الطاقة",
                                   "بوريسوف", "يوري", "،", ".", "لل", "عبد", "بن", "أبو", "الأمير", "رئيس", "وكالة",
                                   "روسكوزموس", "الكرملين", "في", "و", "توكاييف", "توكايف", "مقاطعات", "وأقمولا"]),
                  max_size=30).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(_ARABIC, _WORDS, st.text(max_size=60)))
def test_annotate_never_raises_and_offsets_hold(text: str) -> None:
    doc = Document(text, Meta(dateline="عمان", published="2024-01-01"))
    annotate(doc)
    for e in doc.entities:
        assert e.type in ("PER", "ORG", "GPE", "LOC", "FAC", "EVENT")
        for m in e.mentions:
            assert text[m.start:m.end] == m.text and m.start < m.end
        for r in e.roles:
            assert text[r["start"]:r["end"]] == r["text"]


@pytest.mark.parametrize(("text", "surface", "type_", "kb_id"), [
    ("اتفق تحالف أوبك+ على تمديد الخفض.", "أوبك+", "ORG", "org:opec-plus"),
    ("وتراجعت أسهم شركة شيفرون أمس.", "شيفرون", "ORG", "org:chevron"),
    ("أدان المجلس الهجوم الذي شنته حركة حماس.", "حماس", "ORG", "org:hamas"),
    ("تعقد القمة المقبلة في مدينة سمرقند الأوزبكية.", "سمرقند", "GPE", "loc:UZB:samarkand"),
    ("وفي إقليم دارفور، أفادت مصادر محلية بتجدد المعارك.", "دارفور", "GPE", "loc:SDN:darfur"),
])
def test_kb_alias_with_trigger_or_nisba_is_the_bare_name(text: str, surface: str, type_: str, kb_id: str) -> None:
    doc = Document(text)
    annotate(doc)
    mentions = [(m.text, e.type, e.kb_id) for e in doc.entities for m in e.mentions]
    assert (surface, type_, kb_id) in mentions, mentions


def test_include_trigger_keeps_multiword_name() -> None:
    doc = Document("تولت الهند رئاسة منظمة شنغهاي للتعاون.")
    annotate(doc)
    assert any(m.text == "منظمة شنغهاي للتعاون" for e in doc.entities for m in e.mentions)


def test_regions_without_government_are_loc() -> None:
    doc = Document("تتجه الصادرات نحو أوروبا وآسيا الوسطى.")
    annotate(doc)
    types = {m.text: e.type for e in doc.entities for m in e.mentions}
    assert types.get("أوروبا") == "LOC" and types.get("آسيا الوسطى") == "LOC", types


def test_feminine_nationality_adjective_after_definite_noun_is_not_the_country() -> None:
    doc = Document("وقعت الشركة السعودية لشراء الطاقة عقودا جديدة، ورفعت الطاقة الاستيعابية للموانئ السعودية.")
    annotate(doc)
    assert not any(e.kb_id == "SAU" for e in doc.entities), [(e.name, e.kb_id) for e in doc.entities]
    doc = Document("وصل الوزير إلى السعودية أمس، وقال إن العاصمة السعودية تستضيف القمة.")
    annotate(doc)
    assert any(e.kb_id == "SAU" for e in doc.entities)


@pytest.mark.parametrize(("text", "kb_id"), [
    ("وتعتزم سوناطراك تنفيذ مخطط استثماري.", "org:sonatrach"),
    ("وأفادت مديرية الأمن العام في بيان بإصابة عدد من أفرادها.", "org:jordan-public-security-directorate"),
])
def test_added_kb_entries(text: str, kb_id: str) -> None:
    doc = Document(text)
    annotate(doc)
    assert any(e.kb_id == kb_id for e in doc.entities), [(e.name, e.kb_id) for e in doc.entities]


def test_person_fuzzy_links_need_each_word_spelled_alike() -> None:
    from marsad.entities.resolve import same_person_spelling
    from marsad.normalize import normalize_word

    def same(a: str, b: str) -> bool:
        return same_person_spelling(normalize_word(a), normalize_word(b))

    assert same("قاسم زومارت توكايف", "قاسم جومارت توكاييف")  # one letter in long (foreign) words
    assert same("ماكسيم ريشتنيكوف", "ماكسيم ريشيتنيكوف")
    assert same("مولود جاوش أوغلو", "مولود جاويش أوغلو")
    assert not same("حامد الخطيب", "أحمد الخطيب")  # given names one letter apart: other people
    assert not same("سلمان العودة", "سليمان العودة")
    assert not same("فيصل بن خالد بن عبدالعزيز", "فيصل بن بندر بن عبدالعزيز")
    assert not same("الغفيلي", "الفضلي") and not same("يوري بوريسوف", "بوريسوف")


def _people_roles(text: str, dateline: str | None = None) -> dict[str, list[tuple[str, str | None]]]:
    doc = Document(text, Meta(dateline=dateline))
    annotate(doc)
    return {e.name: [(r["role"], r.get("country")) for r in e.roles] for e in doc.entities if e.type == "PER"}


def test_construct_state_title_gives_role_and_country() -> None:
    roles = _people_roles("والتقى وزير خارجية مصر سامح شكري في القاهرة رئيس وزراء العراق محمد شياع السوداني.")
    assert ("foreign-minister", "EGY") in roles["سامح شكري"]
    assert ("prime-minister", "IRQ") in next(v for k, v in roles.items() if "السوداني" in k)


def test_plural_title_lists_each_holder_with_country() -> None:
    roles = _people_roles("وضم الاجتماع وزراء خارجية مصر سامح شكري، والأردن أيمن الصفدي، وفلسطين رياض المالكي.")
    assert roles["أيمن الصفدي"] == [("foreign-minister", "JOR")]
    assert roles["رياض المالكي"] == [("foreign-minister", "PSE")]
    assert roles["سامح شكري"] == [("foreign-minister", "EGY")]


def test_plural_title_without_names_is_no_description() -> None:
    doc = Document("التقى الرئيس الروسي فلاديمير بوتين الضيوف. وقال وزراء الخارجية العرب إن الوضع خطير.")
    annotate(doc)
    assert [e.kb_id for e in doc.entities if e.type == "PER"] == ["per:vladimir-putin"]
    assert len(doc.entities[0].mentions) == 1


@pytest.mark.parametrize(("text", "surface", "kb_id"), [
    ("فاض نهرا الأورال وتوبول، وتأثرت مقاطعات أكتوبي وغرب كازاخستان وأقمولا.", "أقمولا", "loc:KAZ:akmola-region"),
    ("وتأثرت مقاطعات أكتوبي وغرب كازاخستان وأقمولا.", "أكتوبي", "loc:KAZ:aktobe-region"),
    ("وتأثرت مقاطعات أكتوبي وغرب كازاخستان وأقمولا.", "غرب كازاخستان", "loc:KAZ:west-kazakhstan-region"),
    ("وارتفع منسوب المياه في نهري الأورال وتوبول.", "الأورال", "loc:XXX:ural-river"),
    ("وزار الوفد مدينة أكتوبي.", "أكتوبي", "loc:KAZ:aktobe"),
    ("وعبر الرحالة جبال الأورال.", "الأورال", "loc:RUS:ural-mountains"),
])
def test_trigger_decides_which_same_named_place(text: str, surface: str, kb_id: str) -> None:
    doc = Document(text)
    annotate(doc)
    start = text.index(surface)
    found = [e for e in doc.entities if any(m.start <= start < m.end for m in e.mentions)]
    assert found and found[0].kb_id == kb_id, [(e.name, e.kb_id) for e in found]


def test_ordinal_inside_a_recurring_event_name() -> None:
    text = "وشارك الرئيسان في المنتدى التاسع عشر للتعاون الأقاليمي في كوستاناي."
    doc = Document(text)
    annotate(doc)
    event = next(e for e in doc.entities if e.type == "EVENT")
    assert event.kb_id == "org:interregional-forum-russia-kazakhstan"
    assert event.mentions[0].text == "المنتدى التاسع عشر للتعاون الأقاليمي"


@pytest.mark.parametrize(("text", "dateline", "kb_id"), [
    ("وقعت اشتباكات بين الجيش ومسلحين في أم درمان.", "الخرطوم", "org:sudanese-armed-forces"),
    ("وقال الجيش اللبناني إنه انتشر في الجنوب.", None, "org:lebanese-army"),
    ("وقعت اشتباكات بين الجيش ومسلحين.", None, None),
])
def test_bare_army_is_the_army_of_the_dateline_or_adjective(text: str, dateline: str | None, kb_id: str | None) -> None:
    doc = Document(text, Meta(dateline=dateline))
    annotate(doc)
    armies = [e.kb_id for e in doc.entities if e.type == "ORG"]
    assert armies == ([kb_id] if kb_id else [])
    assert all(doc.text[m.start:m.end] == m.text for e in doc.entities for m in e.mentions)


def test_dateline_breaks_ties_between_same_named_places() -> None:
    text = "تظاهر المئات قرب السفارة في منطقة الرابية، كما تظاهر آخرون في بيروت."
    doc = Document(text, Meta(dateline="عمّان"))
    annotate(doc)
    assert "loc:JOR:al-rabia" in {e.kb_id for e in doc.entities}


def test_name_after_word_of_address() -> None:
    doc = Document("يقول الدكتور إبراهيم الخليفي إن الإبداع يولد مبكرا. وينتقل السيد ظريف ليؤكد أن الأمر مختلف.")
    annotate(doc)
    people = {e.name: [m.text for m in e.mentions] for e in doc.entities if e.type == "PER"}
    assert "إبراهيم الخليفي" in people
    assert ["ظريف"] in people.values()  # «ليؤكد» is «ل» + a verb, not part of the name


@pytest.mark.parametrize(("word", "type_", "expected"), [
    ("وروما", "GPE", (1, "روما")),  # «و» + a KB place
    ("بكريت", "LOC", (1, "كريت")),
    ("كريستيانو", "PER", (0, "كريستيانو")),  # «ريستيانو» is nothing known: no «ك» to strip
    ("والامريكيين", "PER", (0, "والامريكيين")),  # a nationality adjective is not a person's name
])
def test_tagger_span_loses_proclitic_only_before_a_known_name(word: str, type_: str, expected: tuple) -> None:
    from marsad.entities.candidates import Context, _tagged_proclitic

    assert _tagged_proclitic(Context(Document(word)), word, type_) == expected


@pytest.mark.parametrize(("text", "name", "en_start"), [
    ("وقالت الهيئة العامة للرياضة إن البطولة ستقام.", "الهيئة العامة للرياضة", "General Authority for"),
    ("ووقعت الشركة الوطنية لنقل الكهرباء عقدا.", "الشركة الوطنية لنقل الكهرباء", "National Company for"),
    ("وأكد المركز الوطني للأرصاد والإنذار المبكر أن الجو حار.", "المركز الوطني للأرصاد والإنذار المبكر", "National Center"),
    ("وقالت الجمعية الكويتية لحقوق الإنسان إن.", "الجمعية الكويتية لحقوق الإنسان", "Society for"),
    ("وقالت الهيئة العالمية للمساجد التابعة للرابطة إن.", "الهيئة العالمية للمساجد", "World Authority for"),
    ("وأكدت المنظمة العربية للسياحة والهيئة العامة للإحصاء أن.", "المنظمة العربية للسياحة", "Arab Organization"),
])
def test_descriptive_organization_names(text: str, name: str, en_start: str) -> None:
    doc = Document(text)
    annotate(doc)
    org = next(e for e in doc.entities if e.type == "ORG")
    assert org.name == name and org.name_en.startswith(en_start)


@pytest.mark.parametrize("text", [
    "وقدم الاتحاد الأوروبي لتقديم المساعدات.",  # a KB name, then a purpose
    "وقالت اللجنة العليا لمعرض.",  # «ل» + an indefinite noun with nothing after it
    "وأعلن البنك المركزي لدى اجتماعه.",
])
def test_descriptive_organization_needs_a_complete_purpose(text: str) -> None:
    doc = Document(text)
    annotate(doc)
    assert not any(e.type == "ORG" and e.kb_id is None and " ل" in e.name for e in doc.entities)


def test_conjunction_before_arabic_given_name_is_not_a_slavic_surname() -> None:
    doc = Document("وسجل كريستيانو رونالدو ونايف هزازي هدفين.")
    annotate(doc)
    assert sorted(e.name for e in doc.entities if e.type == "PER") == ["كريستيانو رونالدو", "نايف هزازي"]


@pytest.mark.parametrize(("name", "linked"), [
    ("سيرغي فيكتوروفيتش لافروف", True),  # the given name agrees with the KB entry's
    ("ميخائيل لافروف", False),  # another Lavrov
])
def test_overlap_hands_kb_link_only_when_given_name_agrees(name: str, linked: bool) -> None:
    from marsad.entities.candidates import Candidate
    from marsad.entities.resolve import absorb
    from marsad.normalize import normalize_word

    text = normalize_word(name)
    winner = Candidate(0, len(name), 0, len(text), "PER", "title")
    loser = Candidate(0, 0, text.rindex(" ") + 1, len(text), "PER", "kb", ("per:sergey-lavrov",))
    absorb(winner, loser, text)
    assert (winner.kb_ids == ("per:sergey-lavrov",)) is linked


def test_surname_alone_is_the_person_last_named_in_full() -> None:
    doc = Document("وقال رئيس النادي فلورنتينو بيريز إن الفريق قوي. وأضاف بيريز أن الموسم صعب. والتقى الرئيس "
                   "الإسرائيلي شمعون بيريز ضيوفه. وقال بيريز إن السلام ممكن. وقال الصحفي هادي الشيباني إن الخبر "
                   "صحيح. وأضاف الشيباني أن المصادر متعددة.")
    annotate(doc)
    people = {e.name: [m.text for m in e.mentions] for e in doc.entities if e.type == "PER"}
    assert people["شمعون بيريز"] == ["شمعون بيريز", "بيريز"]
    assert len(people["هادي الشيباني"]) == 2  # not the KB's Asaad al-Shaibani
    florentino = next(k for k in people if k.endswith("بيريز") and k != "شمعون بيريز")
    assert people[florentino] == ["فلورنتينو بيريز", "بيريز"]


def test_father_name_in_the_middle_links_by_first_and_last_name() -> None:
    doc = Document("واستقبل ولي العهد في جدة أمس الرئيس رمضان أحمد قاديروف رئيس جمهورية الشيشان.")
    annotate(doc)
    people = {e.kb_id for e in doc.entities if e.type == "PER"}
    assert people == {"per:ramzan-kadyrov"}  # not his father Akhmad («أحمد قاديروف»), not Russia's president


def test_head_of_a_region_is_not_its_countrys_office_holder() -> None:
    doc = Document("وقال رئيس جمهورية الشيشان إن الوضع مستقر.", Meta(published="2023-05-01"))
    annotate(doc)
    assert not any(e.type == "PER" for e in doc.entities)


def test_tagged_person_span_loses_leading_titles_but_not_given_names() -> None:
    from marsad.entities.candidates import Context, _without_leading_titles

    ctx = Context(Document("وقال الرئيس روزفلت وسلطان بن سلمان وصاحب السمو"))
    assert _without_leading_titles(ctx, [1, 2]) == [2]  # «الرئيس روزفلت» → «روزفلت»
    assert _without_leading_titles(ctx, [3, 4, 5]) == [3, 4, 5]  # «سلطان» is a given name here
    assert _without_leading_titles(ctx, [6, 7]) == []  # «صاحب السمو»: no name at all
