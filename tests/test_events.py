"""Event coding: sentence cases written by the team, the bundled samples, summaries, contract."""

import json

import pytest

from marsad.document import Document, Entity, Mention, Meta, TimeExpr
from marsad.events import annotate
from marsad.events.summary import pair_summary
from tests.conftest import SAMPLES

ANY = "*"

# (text, code or code prefix, source actor, target actor, modality); ANY = not checked, None = no actor
CASES = [
    # VSO / SVO, visits and hosting
    ("زار الرئيس الروسي فلاديمير بوتين كازاخستان.", "042", "RUSGOV", "KAZ", "asserted"),
    ("بوتين يزور كازاخستان في زيارة رسمية.", "042", "RUSGOV", "KAZ", "asserted"),
    ("استقبل الرئيس الكازاخي قاسم جومارت توكاييف الرئيس الروسي فلاديمير بوتين.", "043", "KAZGOV", "RUSGOV", "asserted"),
    ("وصل وزير الخارجية الروسي سيرغي لافروف إلى الرياض.", "042", "RUSGOV", "SAU", "asserted"),
    ("اختتم الرئيس التركي رجب طيب أردوغان زيارة إلى مصر.", "042", "TURGOV", "EGY", "asserted"),
    ("وتأتي زيارة بوتين إلى أستانا بعد عام.", "042", "RUSGOV", "KAZ", "asserted"),
    ("استضافت السعودية القمة الخليجية.", "043", "SAU", ANY, "asserted"),
    # meetings, talks, coordination, reciprocity
    ("التقى بوتين وتوكاييف في أستانا.", "040", "RUSGOV", "KAZGOV", "asserted"),
    ("التقى بوتين وتوكاييف في أستانا.", "040", "KAZGOV", "RUSGOV", "asserted"),
    ("بحث وزير الخارجية المصري سامح شكري مع نظيره التركي هاكان فيدان العلاقات الثنائية.", "040", "EGYGOV", "TURGOV",
     "asserted"),
    ("اجتمع وزير الخارجية الصيني وانغ يي مع وزير الخارجية السعودي الأمير فيصل بن فرحان.", "040", "CHNGOV", "SAUGOV",
     "asserted"),
    ("عقد الرئيس المصري عبد الفتاح السيسي محادثات مع الرئيس التركي رجب طيب أردوغان.", "040", "EGYGOV", "TURGOV",
     "asserted"),
    ("أجرت روسيا وكازاخستان مشاورات حول الطاقة.", "040", "RUS", "KAZ", "asserted"),
    ("وبدأت المحادثات بلقاء مغلق بين توكاييف وبوتين.", "040", "KAZGOV", "RUSGOV", "asserted"),
    ("تفاوضت مصر مع إثيوبيا حول سد النهضة.", "046", "EGY", "ETH", "asserted"),
    ("توسطت قطر بين إسرائيل وحماس.", "045", "QAT", ANY, "asserted"),
    # phone calls
    ("أجرى الرئيس الروسي فلاديمير بوتين اتصالا هاتفيا بنظيره الكازاخي قاسم جومارت توكاييف.", "041", "RUSGOV", "KAZGOV",
     "asserted"),
    ("تلقى ولي العهد السعودي الأمير محمد بن سلمان اتصالا هاتفيا من الرئيس الفرنسي إيمانويل ماكرون.", "041", "SAUGOV",
     "FRAGOV", "asserted"),
    ("وجرى اتصال هاتفي بين الرئيس المصري عبد الفتاح السيسي والرئيس التركي رجب طيب أردوغان.", "041", "EGYGOV", "TURGOV",
     "asserted"),
    # signing, joint statements, passive, verbal noun, الطرفان
    ("وقعت روسيا وكازاخستان اتفاقية للتعاون في مجال الطاقة.", "057", "RUS", "KAZ", "asserted"),
    ("وقع الرئيس الروسي فلاديمير بوتين ونظيره الكازاخي قاسم جومارت توكاييف مذكرة تفاهم.", "057", "RUSGOV", "KAZGOV",
     "asserted"),
    ("بوتين وتوكاييف يوقعان بيانا مشتركا.", "057", "KAZGOV", "RUSGOV", "asserted"),
    ("وتم توقيع اتفاقية بين روسيا وكازاخستان لبناء محطات كهرباء.", "057", "RUS", "KAZ", "asserted"),
    ("وقعت اتفاقية بين مصر وتركيا لتعزيز التجارة.", "057", "EGY", "TUR", "asserted"),
    ("وشهد الرئيسان الروسي والكازاخي توقيع اتفاقية تعاون.", "057", ANY, ANY, "asserted"),
    ("أبرمت شركة غازبروم اتفاقا مع كازاخستان لتوريد الغاز.", "057", "RUSBUS", "KAZ", "asserted"),
    # agreement, intent, appeals, praise
    ("اتفقت روسيا وكازاخستان على تعزيز التعاون الاقتصادي.", "0311", "RUS", "KAZ", "asserted"),
    ("أعربت الصين عن استعدادها للتعاون مع السعودية.", "030", "CHN", ANY, "asserted"),
    ("دعت مصر إلى وقف إطلاق النار في غزة.", "0256", "EGY", None, "asserted"),
    ("أشاد الرئيس الكازاخي قاسم جومارت توكاييف بروسيا.", "051", "KAZGOV", "RUS", "asserted"),
    ("رحبت السعودية بالاتفاق بين إيران والصين.", "051", "SAU", ANY, "asserted"),
    ("اعترفت إسبانيا بدولة فلسطين.", "054", "ESP", "PSE", "asserted"),
    # aid, cooperation, yield
    ("قدمت الإمارات مساعدات إنسانية إلى السودان.", "073", "ARE", "SDN", "asserted"),
    ("أرسلت روسيا مساعدات إلى كازاخستان بعد الفيضانات.", "070", "RUS", "KAZ", "asserted"),
    ("منحت السعودية قرضا لمصر.", "071", "SAU", "EGY", "asserted"),
    ("أفرجت إيران عن مواطنين فرنسيين.", "0841", "IRN", ANY, "asserted"),
    ("رفعت الولايات المتحدة العقوبات عن فنزويلا.", "085", "USA", "VEN", "asserted"),
    # investigate, demand, disapprove, reject
    ("فتحت تركيا تحقيقا في الهجوم.", "090", "TUR", ANY, "asserted"),
    ("طالبت الأردن إسرائيل بوقف إطلاق النار.", "1056", "JOR", "ISR", "asserted"),
    ("انتقدت روسيا الولايات المتحدة.", "111", "RUS", "USA", "asserted"),
    ("أدانت السعودية الهجوم على السفارة.", "111", "SAU", ANY, "asserted"),
    ("اتهمت روسيا أوكرانيا بالتجسس.", "1125", "RUS", "UKR", "asserted"),
    ("استدعت الخارجية المصرية السفير الإسرائيلي.", "114", "EGYGOV", "ISRGOV", "asserted"),
    ("رفضت كازاخستان الانضمام إلى بريكس.", "12", "KAZ", ANY, "asserted"),
    ("استخدمت الولايات المتحدة حق النقض ضد مشروع القرار.", "129", "USA", ANY, "asserted"),
    # threats
    ("هدد الاتحاد الأوروبي بفرض عقوبات على روسيا.", "1312", "EUR", "RUS", "asserted"),
    ("لوحت الولايات المتحدة بفرض عقوبات على إيران.", "1312", "USA", "IRN", "asserted"),
    ("حذرت روسيا الولايات المتحدة من التصعيد.", "130", "RUS", "USA", "asserted"),
    # protest, posture, reduce relations, coerce
    ("تظاهر آلاف الأردنيين أمام السفارة الإسرائيلية في عمان.", "141", ANY, "ISRGOV", "asserted"),
    ("خرج متظاهرون أردنيون إلى الشوارع.", "141", "JORCVL", None, "asserted"),
    ("حشدت روسيا قوات على الحدود الأوكرانية.", "154", "RUS", ANY, "asserted"),
    ("قطعت السعودية العلاقات مع إيران.", "161", "SAU", "IRN", "asserted"),
    ("فرض الاتحاد الأوروبي عقوبات على روسيا.", "163", "EUR", "RUS", "asserted"),
    ("فرضت الولايات المتحدة عقوبات جديدة على شركات روسية.", "163", "USA", "RUSBUS", "asserted"),
    ("اعتقلت الشرطة التركية صحفيين.", "173", "TURCOP", ANY, "asserted"),
    ("أطلقت الشرطة الأردنية الغاز المسيل للدموع على المتظاهرين.", "175", "JORCOP", ANY, "asserted"),
    ("طردت روسيا دبلوماسيين أمريكيين.", "161", "RUS", "USAGOV", "asserted"),
    # violence
    ("اغتالت إسرائيل قياديا في حماس.", "186", "ISR", ANY, "asserted"),
    ("اندلعت اشتباكات بين الجيش السوداني وقوات الدعم السريع.", "190", "SDNMIL", ANY, "asserted"),
    ("قصف الجيش السوداني مواقع في أم درمان.", "194", "SDNMIL", None, "asserted"),
    ("شنت إسرائيل غارات جوية على غزة.", "195", "ISR", ANY, "asserted"),
    # modality
    ("لم يوقع البلدان روسيا وكازاخستان اتفاقا نهائيا.", "057", ANY, ANY, "negated"),
    ("لن تزور الرئيسة الإيطالية جورجيا ميلوني الجزائر.", "042", ANY, "DZA", "negated"),
    ("نفت كازاخستان أنها فرضت عقوبات على روسيا.", "163", "KAZ", "RUS", "negated"),
    ("من المحتمل أن يزور بوتين كازاخستان.", "042", "RUSGOV", "KAZ", "hypothetical"),
    ("قد تفرض الولايات المتحدة عقوبات على إيران.", "163", "USA", "IRN", "hypothetical"),
    ("سيزور الرئيس الروسي فلاديمير بوتين كازاخستان.", "042", "RUSGOV", "KAZ", "future"),
    ("تعتزم مصر توقيع اتفاقية مع تركيا.", "057", "EGY", "TUR", "future"),
    ("من المقرر أن يلتقي بوتين توكاييف الأسبوع المقبل.", "040", "RUSGOV", "KAZGOV", "future"),
    ("وذكرت مصادر أن روسيا وقعت اتفاقية مع كازاخستان.", "057", "RUS", "KAZ", "reported"),
    ("وكان الوزيران الروسي والكازاخي قد أجريا اتصالا هاتفيا.", "041", ANY, ANY, "asserted"),
    # precision fixes (issue 7): who acts is read from the syntax around the trigger
    ("على هامش الزيارة التي قام بها الرئيس التركي رجب طيب أردوغان إلى مصر.", "042", "TURGOV", "EGY", "asserted"),
    ("التقى الرئيس الروسي فلاديمير بوتين رجال الأعمال. وتأتي زيارته إلى كازاخستان بعد عام.", "042", "RUSGOV", "KAZ",
     "asserted"),  # an attached pronoun stands for the previous sentence's subject
    ("وجرى اعتقال الصحفي على يد الشرطة التركية.", "173", "TURCOP", None, "asserted"),
    ("التقى الرئيس الكازاخي قاسم جومارت توكاييف الرئيس الروسي فلاديمير بوتين خلال زيارة الأخير إلى أستانا.", "042",
     "RUSGOV", "KAZ", "asserted"),
    ("تلقى الرئيس المصري عبد الفتاح السيسي برقية تهنئة من نظيره الجزائري عبد العزيز بوتفليقة.", "051", "DZAGOV",
     "EGYGOV", "asserted"),  # the sender acts, the receiver is the target
    ("هاجم وزير الخارجية السعودي عادل الجبير السياسات الإيرانية.", "111", "SAUGOV", "IRN", "asserted"),
    ("وقال بوتين، الذي زار كازاخستان الشهر الماضي، إن العلاقات متينة.", "042", "RUSGOV", "KAZ", "asserted"),
    ("وشن الجيش الإسرائيلي غارات على غزة.", "195", "ISRMIL", "PSE", "asserted"),
    ("قضت محكمة مصرية بسجن رئيس الوزراء الأسبق أحمد نظيف.", "116", "EGYJUD", ANY, "asserted"),
    ("وصل الرئيس الروسي فلاديمير بوتين إلى أستانا. وكان في استقباله الرئيس الكازاخي قاسم جومارت توكاييف.", "043",
     "KAZGOV", "RUSGOV", "asserted"),
    ("طالبت الولايات المتحدة إسرائيل بوقف هدم البيوت.", "10", "USA", "ISR", "asserted"),
    ("ودعت واشنطن السلطات الإيرانية إلى الإفراج عن الصحافي.", "0253", "USAGOV", "IRNGOV", "asserted"),
    ("وكانت غارة جوية أميركية استهدفت القيادي في سبتمبر.", "195", "USA", ANY, "asserted"),
    ("بعث خادم الحرمين الشريفين برقية تهنئة لجلالة السلطان قابوس بن سعيد.", "051", "SAUGOV", "OMNGOV", "asserted"),
    ("استقبل خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز في قصر السلام أمس وزير الدفاع الأمريكي اشتون كارتر.",
     "043", "SAUGOV", "USAGOV", "asserted"),
    ("اتفق تحالف أوبك+ أمس الأحد على تمديد تخفيضات الإنتاج.", "030", "OPC", None, "asserted"),
    ("نفت كازاخستان أنها فرضت عقوبات على روسيا.", "163", "KAZ", "RUS", "negated"),
    ("اندلعت اشتباكات عنيفة بين الجيش وقوات الدعم السريع، بحسب مصادر طبية.", "190", "SDNMIL", "SDNREB", "asserted"),
]

#: (text, code prefix that must not be coded, source it must not have or ANY): noise the coder used to produce
NOT_EVENTS = [
    ("وسيخوض الفريق أربع مواجهات ودية أمام بني ياس الإماراتي، أما اللقاء الثالث فسيكون أمام نيس الهولندي.", "", ANY),
    ("ويبلغ ثمن المسدس البلجيكي نحو 3 آلاف دولار.", "05", ANY),  # «ثمن» the price
    ("لتحتل المنطقة الشرقية المرتبة الثانية بين مناطق السعودية في عدد المصانع.", "19", ANY),  # ranks
    ("ويعمل باحثون في منظمة هولندية في مجال البحث العلمي التطبيقي.", "04", ANY),  # research
    ("ولم يقم أي رئيس أمريكي بزيارة كينيا.", "042", "KEN"),  # the visited country is no visitor
    ("وقالت المجلة الفرنسية إن اللاعب الأرجنتيني ليونيل ميسي يتوجه إلى الجابون.", "", ANY),  # not a political actor
    ("وطرح الهاتف الجديد في الأسواق الأمريكية.", "041", ANY),  # a phone, not a phone call
    ("وألحق الرئيس الجزائري وزارته بوزارة الصيد البحري.", "042", ANY),  # «وزارته» is not «و + زارته»
    ("وقال مسؤول تركي رفض الكشف عن هويته إن التحقيق مستمر.", "12", ANY),  # an anonymous source
    ("طالبت الولايات المتحدة إسرائيل بوقف هدم البيوت.", "17", ANY),  # the demolition is what is demanded
    ("اجتمعت الحكومة التركية لتعزيز الأمن على الحدود مع سوريا.", "", "SYR"),  # «الحدود مع» is no meeting partner
    ("ناقش مجلس الشيوخ الأمريكي مشروع قانون الدفاع.", "04", ANY),  # consulting takes two
    ("ودعا الرئيس المصري الله أن يحفظ البلاد.", "02", ANY),  # a prayer, not an appeal
    ("أشادت الممثلة المصرية بالمخرج في الفيلم الجديد.", "", ANY),  # culture
    ("دعا الكونغرس الأمريكي إلى رفض الاتفاق.", "12", ANY),  # «رفض» after «إلى» is a verbal noun
    ("ويلعب المنتخب السعودي مباراة ودية، وشن الفريق هجوما قويا على مرمى المنافس.", "", ANY),  # sports
    ("وزار الوفد السعودي قاعدة عسكرية.", "042", ANY),  # a visit needs a destination actor
    ("أقر الرئيس الكيني بوجود تهديد إرهابي.", "13", ANY),  # a threat that exists, not one made
    ("وعملا بقواعد الاشتباك التي يعتمدها الجيش التركي منذ 2012.", "19", ANY),  # rules of engagement
    ("وأشار إلى أن العجز يصل إلى 40 مليار دولار في الكويت.", "042", ANY),  # a figure reaching a level
]


def _code(text: str, published: str = "2023-11-10") -> Document:
    doc = Document(text, Meta(published=published))
    annotate(doc)
    return doc


def _matches(ev, code, source, target, modality) -> bool:
    return (ev.code.startswith(code) and (source is ANY or ev.source.actor == source)
            and (target is ANY or ev.target.actor == target) and ev.modality == modality)


@pytest.mark.parametrize("text,code,source,target,modality", CASES, ids=[f"{i:02d}" for i in range(len(CASES))])
def test_sentence_case(text, code, source, target, modality):
    doc = _code(text)
    got = [(e.code, e.source.actor, e.target.actor, e.modality) for e in doc.events]
    assert any(_matches(e, code, source, target, modality) for e in doc.events), got


def test_case_count():
    assert len(CASES) >= 60


@pytest.mark.parametrize("text,code,source", NOT_EVENTS, ids=[f"no{i:02d}" for i in range(len(NOT_EVENTS))])
def test_not_an_event(text, code, source):
    doc = _code(text)
    got = [(e.code, e.source.actor, e.target.actor) for e in doc.events]
    assert not any(e.code.startswith(code) and (source is ANY or source in (e.source.actor, e.target.actor))
                   for e in doc.events), got


def test_event_fields_and_offsets():
    doc = _code("أستانا – (رياليست عربي): وقع الرئيس الروسي فلاديمير بوتين ونظيره الكازاخي قاسم جومارت توكاييف "
                "اتفاقية في أستانا.")
    assert doc.events
    for ev in doc.events:
        assert doc.text[ev.trigger.start:ev.trigger.end] == ev.trigger.text
        assert ev.sentence["start"] <= ev.trigger.start < ev.sentence["end"]
        assert ev.label == "Sign formal agreement" and ev.plover == "AGREE" and ev.quad == 1 and ev.goldstein == 8.0
        assert ev.date == "2023-11-10" and ev.date_source == "published"
        assert ev.location == "loc:KAZ:astana"
    pairs = {(e.source.actor, e.target.actor) for e in doc.events}
    assert pairs == {("RUSGOV", "KAZGOV"), ("KAZGOV", "RUSGOV")}  # one event per directed pair
    assert json.loads(json.dumps(doc.to_dict()))["events"][0]["code"] == "057"
    assert Document.from_dict(doc.to_dict()).events == doc.events


def test_time_expression_in_sentence_dates_the_event():
    text = "زار بوتين كازاخستان يوم 27 نوفمبر 2024."
    doc = Document(text, Meta(published="2024-11-20"))
    start = text.index("27")
    doc.times.append(TimeExpr(start, start + len("27 نوفمبر 2024"), "27 نوفمبر 2024", "2024-11-27", "day"))
    annotate(doc)
    ev = doc.events[0]
    assert (ev.date, ev.date_source, ev.modality) == ("2024-11-27", "text", "future")


def test_entities_layer_gives_entity_ids_and_codes():
    text = "التقى ميلر مع نظيره الكازاخي."
    doc = Document(text, Meta(published="2024-06-07"))
    s = text.index("ميلر")
    doc.entities.append(Entity("e1", "PER", "ميلر", kb_id=None, country="RUS", roles=[{"role": "ceo"}],
                               mentions=[Mention(s, s + 4, "ميلر")]))
    annotate(doc)
    ev = next(e for e in doc.events if e.source.entity == "e1")
    assert ev.source.actor == "RUSBUS" and ev.target.actor == "KAZGOV"


def test_no_event_without_actor_and_quotes_are_skipped():
    assert _code("وتم توقيع الاتفاقية أمس.").events == []
    doc = _code("وقال المحلل: «ستفرض الولايات المتحدة عقوبات على روسيا قريبا جدا».")
    assert [e for e in doc.events if e.code == "163"] == []


def test_one_event_per_trigger_most_specific_pattern():
    doc = _code("هددت الولايات المتحدة بفرض عقوبات على إيران.")
    assert [e.code for e in doc.events] == ["1312"]


def test_pair_summary():
    doc = _code("التقى بوتين وتوكاييف في أستانا. وفرضت روسيا عقوبات على كازاخستان. ولم توقع روسيا اتفاقية مع كازاخستان.")
    rows = pair_summary(doc)
    row = next(r for r in rows if set(r["pair"]) == {"RUSGOV", "KAZGOV"})
    assert row["by_quad"][1] == 2 and row["net_goldstein"] == pytest.approx(2.0)
    row = next(r for r in rows if set(r["pair"]) == {"RUS", "KAZ"})
    assert row["by_quad"][4] == 1 and row["net_goldstein"] == pytest.approx(-8.0)  # the negated 057 does not count
    assert any(ev["modality"] == "negated" for ev in row["events"])
    assert all(doc.text[ev["start"]:ev["end"]] == ev["trigger"] for r in rows for ev in r["events"])


# --- the bundled samples: main events read from each article by the team --------------------------------------------
# (file, code root, source, target, modality)
SAMPLE_EVENTS = [
    ("01", "04", "RUSGOV", "KAZ", "asserted"),  # Putin's official visit to Kazakhstan
    ("01", "04", "RUSGOV", "KAZGOV", "asserted"),  # talks with Tokayev
    ("01", "05", "RUSGOV", "KAZGOV", "asserted"),  # seven documents signed
    ("01", "05", "KAZGOV", "RUSGOV", "asserted"),
    ("02", "04", "RUSGOV", "KAZ", "future"),  # Putin's expected visit to Astana
    ("03", "04", "RUSGOV", "KAZ", "asserted"),  # Putin's November visit, recalled by Nurtleu
    ("04", "14", "JORCVL", "ISRGOV", "asserted"),  # protest towards the Israeli embassy
    ("04", "17", "JORCOP", "JORCVL", "asserted"),  # tear gas and arrests
    ("05", "19", "SDNMIL", "SDNREB", "asserted"),  # army vs RSF clashes
    ("06", "16", "EUR", "RUS", "asserted"),  # 12th sanctions package
    ("06", "13", "EUR", "RUS", ANY),  # a 13th package hinted
    ("06", "16", "USAGOV", ANY, "asserted"),  # US Treasury sanctions («وزارة الخزانة الأميركية»)
    ("08", "03", "OPC", ANY, "asserted"),  # OPEC+ agrees to extend cuts
    ("09", "04", "CHNGOV", "SAUGOV", "asserted"),  # Wang Yi receives / meets Faisal bin Farhan
    ("09", "04", "CHNGOV", "SAUGOV", "asserted"),
    ("10", "05", "RUSBUS", "KAZBUS", "asserted"),  # Gazprom–QazaqGaz supply deal
    ("11", "04", "RUSGOV", "KAZGOV", "asserted"),  # phone call
    ("12", "04", "RUSGOV", "KAZ", "future"),  # announced state visit
    ("12", "05", "RUSGOV", "KAZGOV", "negated"),  # no final agreement signed
    ("13", "04", "EGYGOV", "TURGOV", "asserted"),  # Shoukry–Fidan talks
    ("13", "04", "TURGOV", "EGY", "asserted"),  # Erdogan's visit to Cairo
    ("13", "05", "EGYGOV", "TURGOV", "asserted"),  # joint declaration
    ("13", "04", "EGYGOV", "TUR", "future"),  # planned Sisi visit to Turkey
    ("14", "12", "USA", ANY, "asserted"),  # US veto
    ("14", "11", "RUSGOV", "USA", "asserted"),  # Russian envoy criticises
    ("15", "04", "DZAGOV", "GECF", "asserted"),  # Algeria hosts the GECF summit («احتضنتها الجزائر العاصمة»)
    ("16", "05", "GCC", ANY, "asserted"),  # joint statement of the GCC–Central Asia summit
    ("16", "04", "KAZGOV", "SAUGOV", "asserted"),  # Tokayev meets the Saudi crown prince
]
#: (file, code root, source, target): known misses, with the reason (strict xfail: a fixed miss must leave this list)
SAMPLE_MISSES = {
    ("04", "17", "JORCOP", "JORCVL"): "police actions described without a coded trigger/actor",
    ("06", "13", "EUR", "RUS"): "the hinted 13th package is phrased without a threat verb",
    ("16", "05", "GCC", ANY): "«صدر في ختام القمة بيان مشترك»: agent not in the sentence",
}


def _sample_doc(num: str) -> Document:
    path = next(SAMPLES.glob(f"{num}-*.txt"))
    meta = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8"))
    doc = Document(path.read_text(encoding="utf-8"), Meta(**{k: meta.get(k) for k in ("title", "source", "published",
                                                                                      "dateline")}))
    annotate(doc)
    return doc


def _sample_params() -> list:
    out = []
    for i, s in enumerate(SAMPLE_EVENTS):
        reason = SAMPLE_MISSES.get(s[:4])
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        out.append(pytest.param(*s, marks=marks, id=f"{s[0]}-{s[1]}-{s[2]}-{s[3]}-{i}"))
    return out


@pytest.mark.parametrize("num,root,source,target,modality", _sample_params())
def test_sample_main_events(num, root, source, target, modality):
    doc = _sample_doc(num)
    got = [(e.code, e.source.actor, e.target.actor, e.modality) for e in doc.events]
    assert any(e.code[:2] == root and e.source.actor == source and (target is ANY or e.target.actor == target)
               and (modality is ANY or e.modality == modality) for e in doc.events), got


def test_samples_keep_offsets_and_actors():
    for path in sorted(SAMPLES.glob("*.txt")):
        doc = _sample_doc(path.name[:2])
        for ev in doc.events:
            assert doc.text[ev.trigger.start:ev.trigger.end] == ev.trigger.text
            assert ev.source.actor or ev.target.actor
