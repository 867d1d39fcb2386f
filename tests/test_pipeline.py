from marsad.document import Document, iter_spans
from marsad.pipeline import COMPONENTS, get_component, run
from marsad.reader import expand_paths, load_document

from .conftest import SAMPLES


def test_components_are_registered_callables():
    assert list(COMPONENTS)[0] == "lead"
    for name in COMPONENTS:
        assert callable(get_component(name))


def test_samples_exist_and_every_span_indexes_the_text():
    paths = list(expand_paths([SAMPLES]))
    assert len(paths) >= 12
    for path in paths:
        doc = run(load_document(path))
        assert doc.meta.published and doc.meta.title, path
        assert doc.meta.dateline, f"{path}: no dateline found in the lead"
        for layer, start, end, text in iter_spans(doc):
            assert doc.text[start:end] == text, (path, layer)


def test_extraction_is_a_pure_function_of_the_document():
    text = "موسكو – (تاس): أعلن الكرملين أمس أن الرئيس سيزور أستانا."
    a = run(Document(text)).to_dict()
    b = run(Document(text)).to_dict()
    assert a == b
