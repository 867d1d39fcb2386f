import pytest

from marsad.reader import InputError, decode, expand_paths, load_document, read_text

TEXT = "أستانا – (رياليست عربي): وقع الرئيسان اتفاقية في ٢٠٢٣.\n"


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""),
    ("utf-8", b"\xef\xbb\xbf"),
    ("utf-16", b""),  # Python writes a BOM
    ("utf-16-le", b""),
    ("utf-16-be", b""),
    ("cp1256", b""),
])
def test_each_encoding_is_detected(tmp_path, encoding, prefix):
    text = TEXT.replace("–", "-").replace("٢٠٢٣", "2023") if encoding == "cp1256" else TEXT
    path = tmp_path / "a.txt"
    path.write_bytes(prefix + text.encode(encoding))
    assert read_text(path) == text


@pytest.mark.parametrize("data,problem", [
    (b"", "empty"),
    (b"  \n ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    (bytes(range(128, 256)) * 3, "undecodable"),
    (b"\xef\xbb\xbf\xff\xfe bad", "undecodable"),
])
def test_bad_input_is_one_line_error_naming_the_file(tmp_path, data, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as exc:
        read_text(path)
    message = str(exc.value)
    assert message.startswith(str(path)) and problem in message and "\n" not in message


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "nope.txt")


def test_latin1_bytes_are_not_taken_for_arabic():
    with pytest.raises(InputError):
        decode("Ça coûte très cher, élève".encode("latin-1"), "x.txt")


def test_sidecar_meta_and_overrides(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text('{"title": "عنوان", "published": "2023-11-09", "junk": 1}', encoding="utf-8")
    doc = load_document(tmp_path / "a.txt", source="رويترز")
    assert doc.meta.title == "عنوان" and doc.meta.published == "2023-11-09"
    assert doc.meta.source == "رويترز" and doc.meta.path == str(tmp_path / "a.txt")


def test_expand_paths_is_recursive_and_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "1.txt", "b/1.txt", "x.meta.json"):
        (tmp_path / name).write_text(TEXT, encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])] == ["1.txt", "b/1.txt", "b/2.txt"]
