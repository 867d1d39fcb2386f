"""The ingest loop and the ingest/stats commands: idempotence, near-duplicates, failures, kill-and-resume."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from marsad.cli import main
from marsad.store import open_store
from marsad.store.cli import STATS_KEYS
from marsad.store.ingest import ingest
from marsad.store.inputs import iter_items

ROOT = Path(__file__).resolve().parents[1]

ORIGINAL = ("أجرى الرئيس الروسي فلاديمير بوتين اليوم الخميس محادثات في أستانا مع نظيره الكازاخستاني قاسم جومرت "
            "توكاييف تناولت التعاون في مجالات الطاقة والنقل والزراعة، ووقع الجانبان سبع وثائق بينها اتفاق لبناء "
            "محطة كهرباء تعمل بالفحم في شمال كازاخستان بقيمة ملياري دولار. وقال بوتين في مؤتمر صحفي مشترك إن "
            "حجم التبادل التجاري بين البلدين تجاوز ثمانية وعشرين مليار دولار في العام الماضي، معربا عن أمله في "
            "زيادته خلال السنوات المقبلة. من جهته أكد توكاييف أن روسيا شريك استراتيجي لبلاده وأن العلاقات بين "
            "موسكو وأستانا تشهد تطورا ملحوظا في جميع المجالات.")
# the same article republished with one word changed: a near-duplicate, not identical content
REPUBLISHED = ORIGINAL.replace("ملحوظا", "كبيرا")
OTHER = ("أعلنت وزارة الصحة السودانية أن فرقها الطبية وصلت إلى ولاية الجزيرة لتقديم المساعدة للمتضررين من "
         "الفيضانات التي اجتاحت عددا من القرى خلال الأسبوع الماضي، وأن عدد الضحايا ارتفع إلى اثني عشر شخصا.")
WORDS = ("وزير مدينة اتفاق حكومة رئيس برلمان سفير شركة ميناء نفط غاز قمح مصرف سوق قرار مجلس لجنة وفد مؤتمر "
         "زيارة محادثات عاصمة حدود جيش مطار قطار طريق مستشفى جامعة مدرسة مصنع مزرعة بحر نهر جبل صحراء").split()


def write_docs(folder: Path, n: int, seed: int = 7) -> None:
    """n distinct short articles of random words (no two near-duplicates)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        words = " ".join(rng.choice(WORDS) for _ in range(14))
        (folder / f"{i:05d}.txt").write_text(f"الخبر رقم {i}: {words}.", encoding="utf-8")


def counts(db: Path) -> dict:
    store = open_store(db)
    try:
        return store.stats()
    finally:
        store.close()


def test_ingest_is_idempotent(tmp_path: Path, capsys):
    write_docs(tmp_path / "in", 5)
    db = tmp_path / "a.db"
    assert main(["ingest", str(tmp_path / "in"), "--db", str(db), "--quiet", "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert (first["ingested"], first["skipped"], first["failed"]) == (5, 0, 0)
    assert main(["ingest", str(tmp_path / "in"), "--db", str(db), "--quiet", "--format", "json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert (second["ingested"], second["skipped"]) == (0, 5)
    assert counts(db)["documents"] == 5


def test_identical_content_within_one_run_is_stored_once(tmp_path: Path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(OTHER, encoding="utf-8")
    store = open_store(tmp_path / "x.db")
    summary = ingest(store, iter_items([tmp_path]))
    assert (summary.ingested, summary.skipped) == (1, 1)


def test_near_duplicate_is_linked_without_layers_across_runs(tmp_path: Path):
    (tmp_path / "1").mkdir()
    (tmp_path / "2").mkdir()
    (tmp_path / "1" / "orig.txt").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "2" / "copy.txt").write_text(REPUBLISHED, encoding="utf-8")
    (tmp_path / "2" / "other.txt").write_text(OTHER, encoding="utf-8")
    db = tmp_path / "n.db"
    store = open_store(db)
    assert ingest(store, iter_items([tmp_path / "1"])).ingested == 1
    store.close()

    store = open_store(db)  # a new process would rebuild the index the same way: from stored signatures
    summary = ingest(store, iter_items([tmp_path / "2"]))
    assert (summary.ingested, summary.near_duplicates) == (1, 1)
    rows = {r["path"]: r for r in store.conn.execute("SELECT * FROM documents")}
    orig, copy = rows[str(tmp_path / "1" / "orig.txt")], rows[str(tmp_path / "2" / "copy.txt")]
    assert copy["duplicate_of"] == orig["id"] and 0.8 <= copy["similarity"] < 1.0
    assert rows[str(tmp_path / "2" / "other.txt")]["duplicate_of"] is None
    for table in ("mentions", "times", "amounts", "quotes", "events"):
        assert store.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE doc = ?", (copy["id"],)).fetchone()[0] == 0
    assert store.stats()["documents"] == 2 and store.stats()["duplicates"] == 1


def test_every_input_kind_in_one_batch(tmp_path: Path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(ORIGINAL.encode("cp1256"))
    (src / "b.html").write_text(f"<html><body><article><p>{OTHER}</p><p>{ORIGINAL[:200]}</p></article></body></html>",
                                encoding="utf-8")
    (src / "c.rss").write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title>ق</title><item><title>ع"
                               f"</title><description>خبر أول من الخلاصة: {OTHER[:90]}</description></item></channel>"
                               "</rss>", encoding="utf-8")
    (src / "d.jsonl").write_text(json.dumps({"text": "خبر من سطر جيسون: " + OTHER[40:]}, ensure_ascii=False),
                                 encoding="utf-8")
    (src / "e.csv").write_text(f"matn,unwan\n\"خبر من جدول: {ORIGINAL[100:300]}\",عنوان\n", encoding="utf-8")
    with zipfile.ZipFile(src / "f.zip", "w") as zf:
        zf.writestr("day.json", json.dumps([{"content": "خبر من أرشيف: " + ORIGINAL[300:]}], ensure_ascii=False))
    db = tmp_path / "all.db"
    code = main(["ingest", str(src), "--db", str(db), "--quiet", "--format", "json", "--map", "text=matn,title=unwan"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0, out["failures"]
    assert out["ingested"] + out["near_duplicates"] == 6
    store = open_store(db)
    assert store.conn.execute("SELECT title FROM documents WHERE path = ?", (str(src / "e.csv"),)).fetchone()[0] == "عنوان"


def test_corrupt_files_are_recorded_and_skipped(tmp_path: Path, capsys):
    write_docs(tmp_path / "in", 3)
    (tmp_path / "in" / "broken.json").write_text("[{\"content\": ", encoding="utf-8")
    (tmp_path / "in" / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    db = tmp_path / "c.db"
    assert main(["ingest", str(tmp_path / "in"), "--db", str(db), "--quiet"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith(f"marsad: {tmp_path / 'in' / 'broken.json'}: invalid JSON") for line in err)
    store = open_store(db)
    failures = dict(store.conn.execute("SELECT origin, problem FROM failures").fetchall())
    assert set(failures) == {str(tmp_path / "in" / n) for n in ("broken.json", "binary.txt", "empty.txt")}
    assert store.stats()["documents"] == 3
    store.close()
    main(["ingest", str(tmp_path / "in"), "--db", str(db), "--quiet"])  # re-run: failures not recorded twice
    assert counts(db)["failed"] == 3


def test_extraction_crash_is_a_failure_not_fatal(tmp_path: Path, monkeypatch):
    from marsad import pipeline

    def explode(doc):
        if "رقم 1:" in doc.text:
            raise RuntimeError("component bug\nwith a traceback")

    monkeypatch.setitem(pipeline.COMPONENTS, "explode", "tests.test_ingest:_explode")
    monkeypatch.setattr(sys.modules[__name__], "_explode", explode, raising=False)
    write_docs(tmp_path / "in", 3)
    store = open_store(tmp_path / "e.db")
    summary = ingest(store, iter_items([tmp_path / "in"]))
    assert summary.ingested == 2
    assert summary.failures == [(str(tmp_path / "in" / "00001.txt"), "RuntimeError: component bug")]


def _explode(doc):  # replaced per test
    return None


def test_db_option_and_environment(tmp_path: Path, monkeypatch, capsys):
    write_docs(tmp_path / "in", 2)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MARSAD_DB", raising=False)
    assert main(["ingest", "in", "--quiet"]) == 0
    assert counts(tmp_path / "marsad.db")["documents"] == 2
    monkeypatch.setenv("MARSAD_DB", str(tmp_path / "env.db"))
    assert main(["ingest", "in/00000.txt", "--quiet"]) == 0
    assert counts(tmp_path / "env.db")["documents"] == 1
    assert main(["ingest", "in", "--quiet", "--db", str(tmp_path / "opt.db")]) == 0
    assert counts(tmp_path / "opt.db")["documents"] == 2
    capsys.readouterr()
    assert main(["stats", "--format", "json"]) == 0  # MARSAD_DB again
    assert json.loads(capsys.readouterr().out)["documents"] == 1


def test_stats_json_keys_and_text(tmp_path: Path, capsys):
    write_docs(tmp_path / "in", 2)
    db = str(tmp_path / "s.db")
    main(["ingest", str(tmp_path / "in"), "--db", db, "--quiet"])
    capsys.readouterr()
    assert main(["stats", "--db", db, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert tuple(data) == STATS_KEYS
    assert set(STATS_KEYS) >= {"documents", "duplicates", "failed", "entities", "mentions", "times", "amounts",
                               "quotes", "events"}
    assert data["documents"] == 2
    assert main(["stats", "--db", db]) == 0
    assert "documents" in capsys.readouterr().out
    assert main(["stats", "--db", str(tmp_path / "missing.db")]) == 1


def test_workers_give_the_same_store(tmp_path: Path):
    write_docs(tmp_path / "in", 12)
    (tmp_path / "in" / "orig.txt").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "in" / "z-copy.txt").write_text(REPUBLISHED, encoding="utf-8")
    results = {}
    for workers in (1, 2):
        store = open_store(tmp_path / f"w{workers}.db")
        summary = ingest(store, iter_items([tmp_path / "in"]), workers=workers)
        rows = store.conn.execute("SELECT doc_id, duplicate_of IS NOT NULL FROM documents ORDER BY doc_id").fetchall()
        results[workers] = (summary.ingested, summary.near_duplicates, [tuple(r) for r in rows], store.stats())
        store.close()
    assert results[1] == results[2]
    assert results[1][:2] == (13, 1)


def test_gc_freezing_changes_nothing_stored(tmp_path: Path, monkeypatch):
    import gc

    import marsad.store.ingest as ingest_module

    write_docs(tmp_path / "in", 9)
    (tmp_path / "in" / "orig.txt").write_text(ORIGINAL, encoding="utf-8")
    gc.unfreeze()  # (other tests run CLI commands in this process, which freeze what they load)
    results = []
    for every in (10**9, 2):  # never, and every second document
        monkeypatch.setattr(ingest_module, "GC_FREEZE_EVERY", every)
        store = open_store(tmp_path / f"gc{every}.db")
        summary = ingest(store, iter_items([tmp_path / "in"]))
        results.append((summary.ingested, store.stats()))
        store.close()
        assert gc.get_freeze_count() == 0  # the caller's process is left as it was
    assert results[0] == results[1] and results[0][0] == 10


def test_kill_and_resume(tmp_path: Path):
    total = 1200
    write_docs(tmp_path / "in", total)
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "marsad", "ingest", str(tmp_path / "in"), "--db", str(db), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(db, timeout=5) as conn:
                stored = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        except sqlite3.OperationalError:  # not created yet
            continue
        if stored >= 50:
            break
    if proc.poll() is not None:
        pytest.skip("ingest finished before it could be killed")
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    n = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    assert 50 <= n < total
    # no partial documents: each one has its search row and its signature
    assert conn.execute("SELECT COUNT(*) FROM documents d LEFT JOIN documents_fts f ON f.rowid = d.id"
                        " WHERE f.rowid IS NULL").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM documents d LEFT JOIN signatures s ON s.doc = d.id"
                        " WHERE s.doc IS NULL").fetchone()[0] == 0
    conn.close()

    done = subprocess.run(cmd + ["--format", "json"], env=env, capture_output=True, text=True, check=True)
    summary = json.loads(done.stdout)
    assert summary["skipped"] >= n and summary["ingested"] + summary["skipped"] == total
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT doc_id) FROM documents").fetchone() == (total, total)
    assert conn.execute("SELECT COUNT(*) FROM documents_fts").fetchone()[0] == total


def test_demo_ingests_the_samples_into_a_fresh_database(tmp_path: Path, capsys):
    db = tmp_path / "demo.db"
    db.write_bytes(b"stale, not a database")  # recreated each run
    assert main(["demo", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    samples = len(list((ROOT / "src" / "marsad" / "samples" / "articles").glob("*.txt")))
    assert counts(db)["documents"] == samples
    assert "documents" in out
    assert main(["demo", "--db", str(db)]) == 0  # a second run starts again from scratch
    assert counts(db)["documents"] == samples
