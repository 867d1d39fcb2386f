"""Every input kind the ingester reads becomes Documents with metadata; bad inputs become failed Items."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from marsad.store.inputs import Options, expand, iso_date, iter_items, parse_mapping, strip_html

ARTICLE = ("قال وزير الخارجية الروسي سيرغي لافروف اليوم إن موسكو مستعدة لتوسيع التعاون مع كازاخستان "
           "في مجالات الطاقة والنقل، مشيرا إلى أن حجم التبادل التجاري بين البلدين بلغ 28 مليار دولار العام الماضي.")
SECOND = ("أعلنت وزارة الصحة السودانية أن فرقها الطبية وصلت إلى ولاية الجزيرة لتقديم المساعدة للمتضررين "
          "من الفيضانات التي اجتاحت عددا من القرى خلال الأسبوع الماضي.")


def docs(paths, **options):
    items = list(iter_items([str(p) for p in paths], Options(**options)))
    assert all(i.error is None for i in items), [(i.origin, i.error) for i in items if i.error]
    return [i.doc for i in items]


def test_text_cp1256_with_sidecar(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_bytes(ARTICLE.encode("cp1256"))
    (tmp_path / "a.meta.json").write_text(json.dumps({"title": "لافروف", "published": "2023-11-09", "source": "تاس"}),
                                          encoding="utf-8")
    [doc] = docs([tmp_path])  # the sidecar itself is not read as an input
    assert doc.text == ARTICLE
    assert (doc.meta.title, doc.meta.published, doc.meta.source, doc.meta.path) == (
        "لافروف", "2023-11-09", "تاس", str(path))


def test_explicit_published_and_source_override(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({"published": "2023-11-09", "source": "تاس"}), encoding="utf-8")
    [doc] = docs([path], published="2024-01-02", source="رويترز")
    assert (doc.meta.published, doc.meta.source) == ("2024-01-02", "رويترز")


def test_html_page(tmp_path: Path):
    page = (f"<html><head><title>صفحة</title><meta name='author' content='سارة أحمد'>"
            f"<meta property='article:published_time' content='2023-11-09T08:00:00Z'></head><body>"
            f"<nav>الرئيسية | أخبار | رياضة</nav><article><h1>لافروف وكازاخستان</h1><p>{ARTICLE}</p>"
            f"<p>{SECOND}</p></article><footer>جميع الحقوق محفوظة</footer></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    [item] = list(iter_items([path]))
    assert item.error is None
    assert ARTICLE in item.doc.text and SECOND in item.doc.text
    assert "الرئيسية" not in item.doc.text and "الحقوق" not in item.doc.text
    assert item.doc.meta.published == "2023-11-09"
    assert item.author == "سارة أحمد"


def test_rss_feed_entries(tmp_path: Path):
    rss = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>وكالة الأنباء</title>
<item><title>لافروف</title><link>https://example.org/1</link><pubDate>Thu, 09 Nov 2023 10:00:00 GMT</pubDate>
<description>&lt;p&gt;{ARTICLE}&lt;/p&gt;</description></item>
<item><title>السودان</title><link>https://example.org/2</link><description>{SECOND}</description></item>
<item><title>بلا نص</title><link>https://example.org/3</link></item>
</channel></rss>"""
    path = tmp_path / "feed.xml"
    path.write_text(rss, encoding="utf-8")
    items = list(iter_items([path]))
    assert [i.doc.text if i.doc else None for i in items] == [ARTICLE, SECOND, None]
    first = items[0].doc.meta
    assert (first.title, first.url, first.published, first.source) == (
        "لافروف", "https://example.org/1", "2023-11-09", "وكالة الأنباء")
    assert items[2].origin == f"{path}#entry 3" and "no content" in items[2].error


def test_atom_feed_html_content(tmp_path: Path):
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>موقع</title>
<entry><title>السودان</title><link href="https://example.org/s"/><updated>2024-03-05T09:00:00Z</updated>
<author><name>مراسلنا</name></author>
<content type="html">&lt;p&gt;{SECOND}&lt;/p&gt;&lt;script&gt;var x=1;&lt;/script&gt;</content></entry></feed>"""
    path = tmp_path / "feed.atom"
    path.write_text(atom, encoding="utf-8")
    [item] = list(iter_items([path]))
    assert item.doc.text == SECOND
    assert (item.doc.meta.url, item.doc.meta.published, item.author) == ("https://example.org/s", "2024-03-05", "مراسلنا")


def test_jsonl_and_bad_line(tmp_path: Path):
    path = tmp_path / "a.jsonl"
    lines = [json.dumps({"text": ARTICLE, "title": "أ", "date": "2023-11-09T10:00:00"}, ensure_ascii=False),
             "{not json", "", json.dumps({"content": SECOND}, ensure_ascii=False)]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(iter_items([path]))
    assert [i.doc.text if i.doc else None for i in items] == [ARTICLE, None, SECOND]
    assert items[0].doc.meta.published == "2023-11-09"
    assert items[1].origin == f"{path}:2" and "invalid JSON" in items[1].error


def test_saudinewsnet_style_json_array_out_of_the_box(tmp_path: Path):
    records = [{"source": "aawsat", "url": "https://example.org/a", "date_extracted": "2015-07-21 02:51:32",
                "title": "&quot;عنوان&quot;", "author": "لندن: مراسل", "content": ARTICLE},
               {"source": "okaz", "url": "https://example.org/b", "date_extracted": "2015-07-22 10:00:00",
                "title": "بلا نص", "author": "", "content": ""}]
    path = tmp_path / "day.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    items = list(iter_items([path]))
    meta = items[0].doc.meta
    assert (meta.source, meta.url, meta.published, meta.title) == ("aawsat", "https://example.org/a", "2015-07-21", '"عنوان"')
    assert items[0].author == "لندن: مراسل"
    assert items[1].doc is None and items[1].origin == f"{path}#1"


def test_csv_with_map(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text("headline,matn,link,day\r\nأ,\"" + ARTICLE + "\",https://example.org/x,2023-11-09\r\n",
                    encoding="utf-8")
    [doc] = docs([path], mapping=parse_mapping("text=matn,title=headline,url=link,published=day"))
    assert (doc.text, doc.meta.title, doc.meta.url, doc.meta.published) == (
        ARTICLE, "أ", "https://example.org/x", "2023-11-09")
    [item] = list(iter_items([path]))  # without the mapping there is no text column
    assert "no text field" in item.error


def test_zip_of_json_and_text(tmp_path: Path):
    path = tmp_path / "batch.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("day.json", json.dumps([{"content": ARTICLE, "title": "أ"}], ensure_ascii=False))
        zf.writestr("notes/b.txt", SECOND.encode("cp1256"))
        zf.writestr("notes/b.meta.json", json.dumps({"title": "ب", "published": "2024-03-05"}))
        zf.writestr("image.png", b"\x89PNG")
    items = list(iter_items([path]))
    assert [i.origin for i in items] == [f"{path}!day.json#0", f"{path}!notes/b.txt"]
    assert [i.doc.text for i in items] == [ARTICLE, SECOND]
    assert (items[1].doc.meta.title, items[1].doc.meta.published) == ("ب", "2024-03-05")


def test_globs_dirs_and_missing(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    for name in ("sub/a.txt", "sub/b.txt", "c.txt"):
        (tmp_path / name).write_text(ARTICLE + name, encoding="utf-8")
    (tmp_path / "sub" / "image.png").write_bytes(b"\x89PNG")
    assert [p.name for p in expand([str(tmp_path / "sub" / "*.txt")])] == ["a.txt", "b.txt"]
    assert [p.name for p in expand([tmp_path])] == ["c.txt", "a.txt", "b.txt"]
    [missing] = list(iter_items([tmp_path / "nope.txt"]))
    assert missing.origin == str(tmp_path / "nope.txt") and missing.error == "no such file"
    [nomatch] = list(iter_items([str(tmp_path / "*.csv")]))
    assert nomatch.error == "no files match"


@pytest.mark.parametrize("name,data,problem", [
    ("bin.txt", bytes(range(256)) * 4, "binary"),
    ("bad.json", b"[{\"content\": ", "invalid JSON"),
    ("bad.zip", b"PK\x03\x04garbage", "zip"),
    ("notafeed.xml", b"<<<>>>", "feed"),
])
def test_corrupt_files_become_one_failed_item(tmp_path: Path, name: str, data: bytes, problem: str):
    path = tmp_path / name
    path.write_bytes(data)
    [item] = list(iter_items([path]))
    assert item.doc is None and item.origin == str(path) and problem in item.error
    assert "\n" not in item.error


def test_helpers():
    assert iso_date("Thu, 09 Nov 2023 10:00:00 GMT") == "2023-11-09"
    assert iso_date("2015-07-21 02:51:32") == "2015-07-21"
    assert iso_date("yesterday") is None
    assert strip_html("<p>أ <b>ب</b></p><p>ج&amp;د</p>") == "أ ب\nج&د"
    with pytest.raises(ValueError):
        parse_mapping("body=text")
    with pytest.raises(ValueError):
        parse_mapping("text")


def test_saudinewsnet_zip_reads_without_a_mapping(shared_data: Path):
    day = sorted((shared_data / "corpus" / "saudinewsnet").glob("*.zip"))[0]
    items = list(iter_items([day]))
    read = [i for i in items if i.doc is not None]
    assert len(read) > 0.9 * len(items)
    assert all(i.doc.meta.source and i.doc.meta.url for i in read)
    assert sum(bool(i.doc.meta.title) for i in read) > 0.9 * len(read)  # a few records have no title
    assert all(len(i.doc.meta.published or "") == 10 and i.doc.meta.published.startswith("20") for i in read)
    assert all(i.origin.startswith(f"{day}!") for i in items)
    assert all(i.error in ("empty text",) or i.error.startswith("no text field") for i in items if i.doc is None)
