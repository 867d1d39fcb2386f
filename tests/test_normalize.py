from hypothesis import given
from hypothesis import strategies as st

from marsad.normalize import normalize, normalize_word

ARABIC = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآىةؤئ ًٌٍَُِّْـ٠١٢٣٤٥٦٧٨٩٫٬،؛؟٪«»“”\".:\n \u200f\u200cﻻ")))


def test_folds_alef_ya_diacritics_digits_punctuation():
    nz = normalize("أَعلنَ إبراهيم آمال ٱلمدى على ٢٨٫٢٪، هل؟")
    assert nz.text == "اعلن ابراهيم امال المدي علي 28.2%, هل?"


def test_ta_marbuta_is_configurable():
    assert normalize("دولة").text == "دوله"
    assert normalize("دولة", ta_marbuta=False).text == "دولة"


def test_persian_digits_and_tatweel_and_bidi_marks():
    nz = normalize("\u200fعـــام ۱۴۰۲")
    assert nz.text == "عام 1402"


def test_offsets_map_back_through_dropped_marks():
    text = "وقّعَ الرئيسُ"
    nz = normalize(text)
    i = nz.text.index("الرئيس")
    start, end = nz.to_original(i, i + len("الرئيس"))
    assert text[start:end] == "الرئيسُ"


def test_ligature_expands_and_maps_back():
    text = "ﻻ بد"
    nz = normalize(text)
    assert nz.text.startswith("لا")
    assert nz.to_original(0, 2) == (0, 1)


def test_normalize_word_matches_document_rules():
    assert normalize_word("الإتّحاد") == normalize("الاتحاد").text


@given(ARABIC | st.text())
def test_any_input_maps_back(text):
    nz = normalize(text)
    for s in range(len(nz.text)):
        start, end = nz.to_original(s, s + 1)
        assert 0 <= start < end <= len(text)
