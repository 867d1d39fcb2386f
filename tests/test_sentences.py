from hypothesis import given
from hypothesis import strategies as st

from marsad.sentences import split_sentences

from .test_normalize import ARABIC


def _texts(text):
    return [s.text for s in split_sentences(text)]


def test_splits_at_terminators_not_at_arabic_comma():
    assert _texts("وصل الرئيس، وعقد لقاء. ثم غادر! هل عاد؟ نعم") == [
        "وصل الرئيس، وعقد لقاء.", "ثم غادر!", "هل عاد؟", "نعم"]


def test_no_split_inside_decimal_or_quotes():
    text = "بلغ النمو 28.2 في المئة. وقال «لن نتراجع. أبدا» للصحفيين. وقال “نعم. لا” ثم مضى."
    assert _texts(text) == ["بلغ النمو 28.2 في المئة.", "وقال «لن نتراجع. أبدا» للصحفيين.", "وقال “نعم. لا” ثم مضى."]


def test_quote_closing_after_terminator_stays_with_sentence():
    assert _texts("قال: «انتهى الأمر.» وغادر.") == ["قال: «انتهى الأمر.» وغادر."]


def test_line_breaks_end_sentences_and_close_unbalanced_quotes():
    assert _texts("عنوان «بلا إغلاق\nفقرة ثانية. جملة") == ["عنوان «بلا إغلاق", "فقرة ثانية.", "جملة"]


def test_one_letter_abbreviation():
    assert _texts("قال د. أحمد إن الوضع مستقر.") == ["قال د. أحمد إن الوضع مستقر."]


@given(ARABIC | st.text())
def test_sentences_never_raise_and_offsets_hold(text):
    prev = 0
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text and s.text.strip()
        assert s.start >= prev
        prev = s.end
