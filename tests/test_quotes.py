"""Quotes: direct/indirect speech, cues, speakers, venues and quoted names that are not speech."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.document import Document, Entity, Mention, iter_spans
from marsad.quotes import LEXICONS, annotate, find_quotes, validate_lexicons

from .conftest import SAMPLES

# (name, type, roles "key@WHERE" or "") — every occurrence of the name in the text becomes a mention.
Ent = tuple[str, str, str]


def make_doc(text: str, ents: list[Ent]) -> Document:
    """A document whose entities are built by hand (as the entities component would give them)."""
    doc = Document(text)
    for i, (name, typ, roles) in enumerate(ents, 1):
        mentions = [Mention(m.start(), m.end(), name) for m in re.finditer(re.escape(name), text)]
        assert mentions, f"{name} not in text"
        role_list = [{"role": r.split("@")[0], "country": r.split("@")[1] if "@" in r else None}
                     for r in roles.split(";") if r]
        doc.entities.append(Entity(f"e{i}", typ, name, roles=role_list, mentions=mentions))
    return doc


def speaker_name(doc: Document, speaker: str | None) -> str | None:
    return next((e.name for e in doc.entities if e.id == speaker), None)


# (text, entities, expected [(cue, speaker name | None, direct, quote text or text prefix + "…")])
CASES: list[tuple[str, list[Ent], list[tuple[str, str | None, bool, str]]]] = [
    # indirect speech: قال إن / أكد أن / أشار إلى أن / شدد على أن / صرح بأن
    ("قال الرئيس فلاديمير بوتين إن روسيا مستعدة للحوار.", [("فلاديمير بوتين", "PER", "")],
     [("قال", "فلاديمير بوتين", False, "روسيا مستعدة للحوار")]),
    ("وقالت وزيرة الخارجية آنالينا بيربوك إن برلين تدعم المفاوضات.", [("آنالينا بيربوك", "PER", "")],
     [("قالت", "آنالينا بيربوك", False, "برلين تدعم المفاوضات")]),
    ("وأشار الوزير سامح شكري إلى أن القاهرة تواصل جهودها.", [("سامح شكري", "PER", "")],
     [("أشار", "سامح شكري", False, "القاهرة تواصل جهودها")]),
    ("وشدد ولي العهد الأمير محمد بن سلمان على أن المملكة ماضية في الإصلاحات.", [("محمد بن سلمان", "PER", "")],
     [("شدد", "محمد بن سلمان", False, "المملكة ماضية في الإصلاحات")]),
    ("وصرح وزير الخارجية فؤاد حسين بأن العراق يرفض التدخلات.", [("فؤاد حسين", "PER", "")],
     [("صرح", "فؤاد حسين", False, "العراق يرفض التدخلات")]),
    ("فيما أكد أنطونيو غوتيريش أن الوضع لا يحتمل.", [("أنطونيو غوتيريش", "PER", "")],
     [("أكد", "أنطونيو غوتيريش", False, "الوضع لا يحتمل")]),
    ("وقال بوتين بعد أن التقى توكاييف إن المحادثات مثمرة.", [("بوتين", "PER", ""), ("توكاييف", "PER", "")],
     [("قال", "بوتين", False, "المحادثات مثمرة")]),
    ("وقيل إن الاجتماع ألغي.", [], [("قيل", None, False, "الاجتماع ألغي")]),
    # direct speech: «…», “…”, "…", and after a colon to the end of the sentence
    ("وقال توكاييف: «نحن شركاء استراتيجيون».", [("توكاييف", "PER", "")],
     [("قال", "توكاييف", True, "نحن شركاء استراتيجيون")]),
    ("قال لافروف: “لن نقبل بأي شروط مسبقة”.", [("لافروف", "PER", "")],
     [("قال", "لافروف", True, "لن نقبل بأي شروط مسبقة")]),
    ('وأكد غوتيريش: "الوضع في غزة كارثي".', [("غوتيريش", "PER", "")],
     [("أكد", "غوتيريش", True, "الوضع في غزة كارثي")]),
    ("وقال المتحدث دميتري بيسكوف: الاجتماع سيعقد الأسبوع المقبل في موسكو.", [("دميتري بيسكوف", "PER", "")],
     [("قال", "دميتري بيسكوف", True, "الاجتماع سيعقد الأسبوع المقبل في موسكو")]),
    ("قال السيسي: «مصر لن تتخلى عن دورها. وسنواصل دعم الأشقاء».", [("السيسي", "PER", "")],
     [("قال", "السيسي", True, "مصر لن تتخلى عن دورها. وسنواصل دعم الأشقاء")]),
    ("وقال بوتين: «قال لي الرئيس إن التعاون مستمر».", [("بوتين", "PER", "")],
     [("قال", "بوتين", True, "قال لي الرئيس إن التعاون مستمر")]),
    # a quoted fragment inside indirect speech belongs to that one indirect quote (annotation guidelines)
    ('وقالت أورسولا فون دير لاين إن العقوبات "تضرب قلب الاقتصاد الروسي".', [("أورسولا فون دير لاين", "PER", "")],
     [("قالت", "أورسولا فون دير لاين", False, 'العقوبات "تضرب قلب الاقتصاد الروسي"')]),
    # continuations of the same speaker («مشيرا إلى أن», «مؤكدا أن») stay inside the indirect quote
    ("وقال وزير الطاقة عبدالعزيز بن سلمان إن السوق متوازنة، مؤكدا أن المجموعة ستبقى حذرة.",
     [("عبدالعزيز بن سلمان", "PER", "")],
     [("قال", "عبدالعزيز بن سلمان", False, "السوق متوازنة، مؤكدا أن المجموعة ستبقى حذرة")]),
    ("وأوضح المحلل رامي خليل أن الأسعار سترتفع، لافتا إلى أن الطلب يتزايد في آسيا.", [("رامي خليل", "PER", "")],
     [("أوضح", "رامي خليل", False, "الأسعار سترتفع، لافتا إلى أن الطلب يتزايد في آسيا")]),
    # the subject before «قد»: «وكان توكاييف قد أكد أن»
    ("وصل بوتين إلى أستانا. وكان توكاييف قد أكد أن الزيارة مهمة.", [("بوتين", "PER", ""), ("توكاييف", "PER", "")],
     [("أكد", "توكاييف", False, "الزيارة مهمة")]),
    # «البيان» speaks for the author of the statement named before
    ("وذكر بيان صادر عن الكرملين أن الرئيسين تحادثا. وأشار البيان إلى أن الجانبين سيلتقيان قريبا.",
     [("الكرملين", "GPE", "")],
     [("ذكر", "الكرملين", False, "الرئيسين تحادثا"), ("أشار", "الكرملين", False, "الجانبين سيلتقيان قريبا")]),
    # «أي مسألة يرى أنها»: a relative clause, not a report
    ("ويحق للأمين العام أنطونيو غوتيريش أن ينبه المجلس إلى أي مسألة يرى أنها تهدد السلم.",
     [("أنطونيو غوتيريش", "PER", "")], []),
    # a colon quote whose closing mark is on a later line
    ("وقال توكاييف: «نحن شركاء استراتيجيون.\nوسنواصل التعاون في كل المجالات». وغادر الوفد.",
     [("توكاييف", "PER", "")],
     [("قال", "توكاييف", True, "نحن شركاء استراتيجيون.\nوسنواصل التعاون في كل المجالات")]),
    # continuations across sentences and paragraphs
    ("وقال بوتين: «العلاقات ممتازة». وأضاف: «سنواصل التعاون».", [("بوتين", "PER", "")],
     [("قال", "بوتين", True, "العلاقات ممتازة"), ("أضاف", "بوتين", True, "سنواصل التعاون")]),
    ("قال أردوغان إن تركيا تريد السلام.\n\nوتابع: «لا حل عسكريا للأزمة».", [("أردوغان", "PER", "")],
     [("قال", "أردوغان", False, "تركيا تريد السلام"), ("تابع", "أردوغان", True, "لا حل عسكريا للأزمة")]),
    ("قال وزير الطاقة عبدالعزيز بن سلمان إن السوق متوازنة. وأكد أن أوبك+ ستبقى حذرة.",
     [("عبدالعزيز بن سلمان", "PER", "")],
     [("قال", "عبدالعزيز بن سلمان", False, "السوق متوازنة"), ("أكد", "عبدالعزيز بن سلمان", False, "أوبك+ ستبقى حذرة")]),
    ("قال بوتين إن الوضع مستقر. وقال توكاييف إن التعاون يتوسع. وأضاف أن البلدين سيوقعان اتفاقا.",
     [("بوتين", "PER", ""), ("توكاييف", "PER", "")],
     [("قال", "بوتين", False, "الوضع مستقر"), ("قال", "توكاييف", False, "التعاون يتوسع"),
      ("أضاف", "توكاييف", False, "البلدين سيوقعان اتفاقا")]),
    ("وصل الرئيس إيمانويل ماكرون إلى بيروت أمس. وأكد أن فرنسا تقف إلى جانب لبنان.",
     [("إيمانويل ماكرون", "PER", "")],
     [("أكد", "إيمانويل ماكرون", False, "فرنسا تقف إلى جانب لبنان")]),
    ("قال بوتين إن الحوار ضروري. وأكدوا أن الوفود ستلتقي مجددا.", [("بوتين", "PER", "")],
     [("قال", "بوتين", False, "الحوار ضروري"), ("أكدوا", None, False, "الوفود ستلتقي مجددا")]),
    # the speaker after the quote
    ("«سنرد على أي عدوان»، قال وزير الدفاع سيرغي شويغو.", [("سيرغي شويغو", "PER", "")],
     [("قال", "سيرغي شويغو", True, "سنرد على أي عدوان")]),
    ("“الاقتصاد ينمو بثبات”، قالت كريستالينا غورغييفا.", [("كريستالينا غورغييفا", "PER", "")],
     [("قالت", "كريستالينا غورغييفا", True, "الاقتصاد ينمو بثبات")]),
    ("«الاتفاق سيوقع قريبا» بحسب ما قاله الوزير سامح شكري.", [("سامح شكري", "PER", "")],
     [("بحسب ما", "سامح شكري", True, "الاتفاق سيوقع قريبا")]),
    ("«سنحمي حدودنا»، على لسان وزير الدفاع يشار غولر.", [("يشار غولر", "PER", "")],
     [("على لسان", "يشار غولر", True, "سنحمي حدودنا")]),
    # من جانبه / بدوره: the last person mentioned
    ("التقى الرئيس عبد الفتاح السيسي نظيره رجب طيب أردوغان في القاهرة. من جانبه، أكد أن البلدين يفتحان صفحة جديدة.",
     [("عبد الفتاح السيسي", "PER", ""), ("رجب طيب أردوغان", "PER", "")],
     [("أكد", "رجب طيب أردوغان", False, "البلدين يفتحان صفحة جديدة")]),
    ("واستقبل الملك عبدالله الثاني وزير الخارجية أنتوني بلينكن. وبدوره قال إن واشنطن تعمل على التهدئة.",
     [("عبدالله الثاني", "PER", ""), ("أنتوني بلينكن", "PER", "")],
     [("قال", "أنتوني بلينكن", False, "واشنطن تعمل على التهدئة")]),
    ("من جانبه، قال نائب رئيس الوزراء ألكسندر نوفاك إن القرار يعكس توافقا.", [("ألكسندر نوفاك", "PER", "")],
     [("قال", "ألكسندر نوفاك", False, "القرار يعكس توافقا")]),
    # titles standing for a person established earlier
    ("التقى وزير الخارجية الروسي سيرغي لافروف نظيره الصيني وانغ يي. وقال الوزير الروسي إن موسكو وبكين متفقتان.",
     [("سيرغي لافروف", "PER", "foreign-minister@RUS"), ("وانغ يي", "PER", "foreign-minister@CHN")],
     [("قال", "سيرغي لافروف", False, "موسكو وبكين متفقتان")]),
    ("أجرى فلاديمير بوتين محادثات مع قاسم جومارت توكاييف. وقال الرئيس الكازاخي إن العلاقات تتطور.",
     [("فلاديمير بوتين", "PER", "president@RUS"), ("قاسم جومارت توكاييف", "PER", "president@KAZ")],
     [("قال", "قاسم جومارت توكاييف", False, "العلاقات تتطور")]),
    ("التقى وزير الخارجية مراد نورتليو الصحفيين. ونفى الوزير الاتهامات، قائلا: «هذه ادعاءات لا أساس لها».",
     [("مراد نورتليو", "PER", "foreign-minister@KAZ")],
     [("قائلا", "مراد نورتليو", True, "هذه ادعاءات لا أساس لها")]),
    ("وصل أليكسي ميلر إلى أستانا. وقال ميلر إن الإمدادات ستزيد.", [("أليكسي ميلر", "PER", "")],
     [("قال", "أليكسي ميلر", False, "الإمدادات ستزيد")]),
    # venue, relay and statements: the outlet is not the speaker
    ("وقال نورتليو في مقابلة مع صحيفة «كوميرسانت» الروسية: «نحن لا نختار بين شركائنا».",
     [("نورتليو", "PER", ""), ("كوميرسانت", "ORG", "")],
     [("قال", "نورتليو", True, "نحن لا نختار بين شركائنا")]),
    ("وقال الوزير أيمن الصفدي لقناة الجزيرة إن الأردن يرفض التهجير.",
     [("أيمن الصفدي", "PER", ""), ("الجزيرة", "ORG", "")],
     [("قال", "أيمن الصفدي", False, "الأردن يرفض التهجير")]),
    ("ونقلت وكالة رويترز عن مسؤول أميركي قوله إن المحادثات متعثرة.", [("رويترز", "ORG", "")],
     [("نقلت", None, False, "المحادثات متعثرة")]),
    ("ونقلت وكالة تاس عن ديمتري بيسكوف قوله إن الكرملين يرحب بالمبادرة.",
     [("تاس", "ORG", ""), ("ديمتري بيسكوف", "PER", ""), ("الكرملين", "ORG", "")],
     [("نقلت", "ديمتري بيسكوف", False, "الكرملين يرحب بالمبادرة")]),
    ("وذكر بيان صادر عن الكرملين أن الرئيسين بحثا ملف الطاقة.", [("الكرملين", "ORG", "")],
     [("ذكر", "الكرملين", False, "الرئيسين بحثا ملف الطاقة")]),
    # participles and clause ends
    ("وانتقد المندوب الروسي فاسيلي نيبينزيا القرار، معتبرا أنه يتجاهل الواقع.", [("فاسيلي نيبينزيا", "PER", "")],
     [("معتبرا", "فاسيلي نيبينزيا", False, "يتجاهل الواقع")]),
    ("قال بوتين إن العلاقات قوية، فيما أكد توكاييف أن التعاون سيتوسع.", [("بوتين", "PER", ""), ("توكاييف", "PER", "")],
     [("قال", "بوتين", False, "العلاقات قوية"), ("أكد", "توكاييف", False, "التعاون سيتوسع")]),
    ("وأكد وزير الخارجية فيصل بن فرحان أن المملكة تدعم الحل السياسي، مشيرا إلى أن الحوار هو السبيل الوحيد.",
     [("فيصل بن فرحان", "PER", "")],
     [("أكد", "فيصل بن فرحان", False, "المملكة تدعم الحل السياسي، مشيرا إلى أن الحوار هو السبيل الوحيد")]),
    # subjects that are no entity, organizations, and a subject before the verb
    ("وقال دبلوماسيون إن التصويت قد يؤجل.", [], [("قال", None, False, "التصويت قد يؤجل")]),
    ("وقالت وزارة الخارجية الروسية إنها تدرس الرد.", [("وزارة الخارجية الروسية", "ORG", "")],
     [("قالت", "وزارة الخارجية الروسية", False, "تدرس الرد")]),
    ("لكن الحكومة الكازاخية تؤكد أنها ملتزمة بالعقوبات.", [("الحكومة الكازاخية", "ORG", "")],
     [("تؤكد", "الحكومة الكازاخية", False, "ملتزمة بالعقوبات")]),
    # source prepositions
    ("وارتفعت الصادرات بنسبة 10% في الربع الأول، بحسب وزارة التجارة.", [("وزارة التجارة", "ORG", "")],
     [("بحسب", "وزارة التجارة", False, "وارتفعت الصادرات بنسبة 10% في الربع الأول")]),
    ("ووفقا لوزير المالية محمد الجدعان، فإن العجز سيتراجع العام المقبل.", [("محمد الجدعان", "PER", "")],
     [("وفقا", "محمد الجدعان", False, "العجز سيتراجع العام المقبل")]),
    ("الرياض (رويترز) - ارتفعت أسعار النفط اليوم، بحسب متعاملين.", [],
     [("بحسب", None, False, "ارتفعت أسعار النفط اليوم")]),
    # quoted names and titles are not speech; cue words that introduce nothing give no quote
    ("وأشاد الرئيس بمبادرة «حزام واحد، طريق واحد» الصينية.", [], []),
    ("وانطلقت عملية «درع الفرات» في عام 2016.", [], []),
    ("ونشرت صحيفة «الشرق الأوسط» تقريرا مطولا عن الأزمة.", [], []),
    ("ورفع المتظاهرون شعار «لا للحرب» أمام السفارة.", [], []),
    ("وقدم الكاتب كتابه «ذاكرة المدن» في معرض الرياض.", [], []),
    ("وزار الوفد القصر الرئاسي «آق أوردا» في أستانا.", [], []),
    ("وقال شي جين بينغ إن مشروع «الممر الاقتصادي» يخدم الجميع.", [("شي جين بينغ", "PER", "")],
     [("قال", "شي جين بينغ", False, "مشروع «الممر الاقتصادي» يخدم الجميع")]),
    ("وتابع الجمهور المباراة باهتمام كبير.", [], []),
    ("وتعمل الهيئة وفقا للقانون الجديد، وفق أحدث المعايير.", [], []),
    ("ويسعى الحاكم إلى نقل خبرته عن قرب إلى الوزارة التي أنشئت.", [], []),
    # a colon before «إنه», and a complement that is one whole quotation, are direct speech
    ("وقالت الشرطة: إنه لم يصب أحد في الحادث.", [("الشرطة", "ORG", "")],
     [("قالت", "الشرطة", True, "لم يصب أحد في الحادث")]),
    ("وقال ظريف: إن «الاتفاق يحمي حقوق إيران».", [("ظريف", "PER", "")],
     [("قال", "ظريف", True, "الاتفاق يحمي حقوق إيران")]),
    ("وأكد ظريف أن «الاتفاق نهائي».", [("ظريف", "PER", "")], [("أكد", "ظريف", True, "الاتفاق نهائي")]),
    ("أعلن الاتحاد الأوروبي فرض عقوبات جديدة على موسكو.", [("الاتحاد الأوروبي", "ORG", "")], []),
    # «مما يؤكد أن»: a conclusion the writer draws, not a report
    ("وتعاقد منصور البلوي مع اللاعب بمبلغ كبير مما يؤكد بأن النادي لديه سيولة.", [("منصور البلوي", "PER", "")], []),
    # «قالت الشركة»: the organization of that kind named last; not one of another kind
    ("أعلنت شركة أرامكو نتائجها. وقالت الشركة إن الأرباح ارتفعت.", [("أرامكو", "ORG", "")],
     [("قالت", "أرامكو", False, "الأرباح ارتفعت")]),
    ("وذكرت وزارة الصحة أمس الحصيلة. ثم أعلن بنك الراجحي أرباحه. وأوضحت الوزارة أن الوضع مستقر.",
     [("وزارة الصحة", "ORG", ""), ("الراجحي", "ORG", "")], [("أوضحت", "وزارة الصحة", False, "الوضع مستقر")]),
    ("أعلن بنك الراجحي أرباحه. وأوضحت الوزارة أن الوضع مستقر.", [("الراجحي", "ORG", "")],
     [("أوضحت", None, False, "الوضع مستقر")]),
    # a surname after an honorific, then a title nobody in the text holds: the person named earlier
    ("وصرح الدكتور خالد مرغلاني بأن الوضع مستقر. وأضاف الدكتور مرغلاني المتحدث الرسمي للوزارة بأن المرافق جاهزة.",
     [("خالد مرغلاني", "PER", "")],
     [("صرح", "خالد مرغلاني", False, "الوضع مستقر"), ("أضاف", "خالد مرغلاني", False, "المرافق جاهزة")]),
    ("وأعلن الرئيس جو بايدن تأجيل القمة التي كان مقررا أن تعقد في مدريد.", [("جو بايدن", "PER", "")], []),
]


@pytest.mark.parametrize(("text", "ents", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_case(text: str, ents: list[Ent], expected: list[tuple[str, str | None, bool, str]]) -> None:
    doc = make_doc(text, ents)
    annotate(doc)
    got = [(q.cue.text if q.cue else None, speaker_name(doc, q.speaker), q.direct, q.text) for q in doc.quotes]
    assert [g[:3] for g in got] == [e[:3] for e in expected], got
    for (_, _, _, gtext), (_, _, _, etext) in zip(got, expected):
        assert gtext == etext
    for q in doc.quotes:
        assert doc.text[q.start:q.end] == q.text
        assert q.cue is not None and doc.text[q.cue.start:q.cue.end] == q.cue.text


def test_enough_cases() -> None:
    assert len(CASES) >= 40


def test_venue_is_recorded_not_speaker() -> None:
    doc = make_doc("وقال نورتليو في مقابلة مع صحيفة «كوميرسانت» الروسية: «نحن لا نختار بين شركائنا».",
                   [("نورتليو", "PER", ""), ("كوميرسانت", "ORG", "")])
    (found,) = find_quotes(doc)
    assert speaker_name(doc, found.quote.speaker) == "نورتليو"
    assert speaker_name(doc, found.venue) == "كوميرسانت"
    relay = make_doc("ونقلت وكالة تاس عن ديمتري بيسكوف قوله إن الكرملين يرحب بالمبادرة.",
                     [("تاس", "ORG", ""), ("ديمتري بيسكوف", "PER", "")])
    (found,) = find_quotes(relay)
    assert speaker_name(relay, found.venue) == "تاس"


def test_diacritics_and_clitics_keep_offsets() -> None:
    doc = make_doc("وَقَالَ بوتين: «سَنُواصِلُ».\nفقال توكاييف إنّ التعاونَ مستمرّ.", [("بوتين", "PER", ""), ("توكاييف", "PER", "")])
    annotate(doc)
    assert [(q.cue.text, speaker_name(doc, q.speaker), q.direct) for q in doc.quotes] == [
        ("قَالَ", "بوتين", True), ("قال", "توكاييف", False)]
    assert doc.quotes[1].text == "التعاونَ مستمرّ"


def test_roundtrip_through_dict() -> None:
    doc = make_doc("وقال توكاييف: «نحن شركاء».", [("توكاييف", "PER", "")])
    annotate(doc)
    back = Document.from_dict(doc.to_dict())
    assert back.quotes == doc.quotes


# -------------------------------------------------------------- lexicons


def test_lexicons_are_valid() -> None:
    assert validate_lexicons() == []


def test_validator_reports_bad_rows(tmp_path: Path) -> None:
    (tmp_path / "quote_cues.tsv").write_text(
        "form\tkind\tmode\tnotes\nقال\tverb\tboth\tsaid\nقال\tverb\tsometimes\t\nيقول\tadverb\tdirect\tx\n",
        encoding="utf-8")
    (tmp_path / "quote_words.tsv").write_text("class\tform\nnaming\tمبادرة\ncolour\tأحمر\n", encoding="utf-8")
    problems = "\n".join(validate_lexicons(tmp_path))
    for needle in ("duplicate form", "mode 'sometimes'", "notes missing", "kind 'adverb'", "class 'colour'"):
        assert needle in problems
    assert (LEXICONS / "quote_cues.tsv").is_file()


# -------------------------------------------------------------- bundled samples (with the entities component)


def _sample(name: str) -> Document:
    from marsad.pipeline import run

    doc = Document((SAMPLES / f"{name}.txt").read_text(encoding="utf-8"))
    return run(doc, ["lead", "entities", "times", "quotes"])


# 03: every quote a careful reader finds, with its speaker (all Nurtleu): (cue, direct, text prefix)
# quoted words and «مشددا/معتبرا/مشيرا» continuations stay inside the one indirect quote (annotation guidelines)
NURTLEU = [("أكد", False, "علاقات بلاده مع روسيا \"راسخة ولا تتأثر بتقلبات الظروف الدولية\"، مشددا على أن أستانا"),
           ("قال", True, "روسيا ليست مجرد جار لنا"), ("أضاف", True, "لكننا نبني"),
           ("تابع", True, "منذ الاستقلال"), ("أكد", False, "الحكومة الجديدة برئاسة"),
           ("أوضح", False, "بلاده تراهن"), ("قال", True, "نحن لا نختار"), ("قائلا", True, "لدينا نظام رقابة"),
           ("أقر", False, "التحقق من جميع الشحنات العابرة \"مهمة معقدة\""), ("أكد", False, "أستانا تخطط")]


def test_sample_nurtleu_interview() -> None:
    doc = _sample("03-nurtleu-interview")
    got = [(q.cue.text, q.direct, q.text) for q in doc.quotes]
    assert len(got) == len(NURTLEU), got
    for (cue, direct, text), (ecue, edirect, eprefix) in zip(got, NURTLEU):
        assert (cue, direct) == (ecue, edirect) and text.startswith(eprefix), (cue, direct, text)
    for q in doc.quotes:
        assert "نورتليو" in (speaker_name(doc, q.speaker) or ""), q
    names = {"الممر الأوسط", "حزام واحد، طريق واحد", "شمال – جنوب", "روسيسكايا غازيتا", "الأفق"}
    assert not names & {q.text for q in doc.quotes}
    found = find_quotes(_sample("03-nurtleu-interview"))
    interview = next(f for f in found if f.quote.text.startswith("روسيا ليست"))
    assert "غازيتا" in (speaker_name(doc, interview.venue) or "")
    assert interview.quote.text.endswith("في العالم")  # the marks are not part of the text


# (sample, cue, speaker name part, direct, text prefix)
SAMPLE_SPEAKERS = [
    ("01-putin-astana-visit", "قال", "توكاييف", False, "بلاده تنظر"),
    ("01-putin-astana-visit", "أشار", "بوتين", False, "كازاخستان تمثل"),
    ("01-putin-astana-visit", "أشار", "بوتين", False, "كازاخستان تمثل بالنسبة لروسيا أحد أقرب الحلفاء، لافتا إلى"),
    ("06-eu-sanctions", "قالت", "فون دير لاين", False, "الحزمة \"تزيد الضغط"),
    ("06-eu-sanctions", "أكد", "بوريل", False, "الاتحاد لن يتراجع"),
    ("06-eu-sanctions", "مؤكدا", "بيسكوف", False, "علاقة روسيا"),
    ("08-opec-plus-decision", "قال", "عبدالعزيز", False, "التحالف قد يوقف"),
    ("08-opec-plus-decision", "قال", "نوفاك", False, "القرار يعكس"),
    ("14-un-security-council-gaza", "قال", "غوتيريش", False, "سكان غزة \"ينظرون إلى الهاوية"),
    ("14-un-security-council-gaza", "برر", "وود", False, "المشروع"),
    ("14-un-security-council-gaza", "معتبرا", "بوليانسكي", False, "واشنطن أصدرت بتصويتها \"حكما بالإعدام"),
    ("14-un-security-council-gaza", "مؤكدا", "أبو شهاب", False, "المجلس أخفق"),
]


@pytest.mark.parametrize(("sample", "cue", "who", "direct", "prefix"), SAMPLE_SPEAKERS)
def test_sample_speakers(sample: str, cue: str, who: str, direct: bool, prefix: str) -> None:
    doc = _sample(sample)
    match = [q for q in doc.quotes if q.cue and q.cue.text == cue and q.direct == direct and q.text.startswith(prefix)]
    assert len(match) == 1, [(q.cue.text, q.text[:30]) for q in doc.quotes]
    assert who in (speaker_name(doc, match[0].speaker) or "")


def test_samples_offsets_exact() -> None:
    for path in sorted(SAMPLES.glob("*.txt")):
        doc = _sample(path.stem)
        for layer, start, end, text in iter_spans(doc):
            if layer.startswith("quotes"):
                assert doc.text[start:end] == text, (path.name, layer)
        ids = {e.id for e in doc.entities}
        assert all(q.speaker is None or q.speaker in ids for q in doc.quotes)


# -------------------------------------------------------------- robustness

_PIECES = ["قال", "وأضاف", "أكد", "أن", "إن", ":", "«", "»", "“", "”", '"', "،", ".", " ", "\n", "بحسب", "وفقا",
           "مبادرة", "من جانبه", "قائلا", "بوتين", "الوزير", "الرئيس الروسي", "نقلت", "عن", "ـ", "َ", "ﻻ", "x"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=4), max_size=40), st.integers(0, 3))
def test_arbitrary_text_never_raises(pieces: list[str], n_entities: int) -> None:
    text = " ".join(pieces)
    doc = Document(text)
    for i, m in enumerate(list(re.finditer("بوتين|الوزير", text))[:n_entities], 1):
        doc.entities.append(Entity(f"e{i}", "PER", m.group(), roles=[{"role": "minister", "start": m.start(),
                                                                        "end": m.end()}],
                                   mentions=[Mention(m.start(), m.end(), m.group())]))
    annotate(doc)
    for q in doc.quotes:
        assert doc.text[q.start:q.end] == q.text and q.text.strip()
        assert q.cue is None or doc.text[q.cue.start:q.cue.end] == q.cue.text
