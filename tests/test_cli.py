import json
import subprocess
import sys

import pytest

from marsad.cli import main

TEXT = "القاهرة (رويترز) - قال وزير الخارجية إن المحادثات بناءة.\n"


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_extract_one_file_prints_one_json_document(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    code, out, _ = _run(capsys, "extract", str(f), "--published", "2023-11-09", "--source", "X")
    doc = json.loads(out)
    assert code == 0 and doc["text"] == TEXT
    assert doc["meta"]["published"] == "2023-11-09" and doc["meta"]["source"] == "X"
    assert doc["meta"]["dateline"] == "القاهرة" and doc["meta"]["path"] == str(f)


def test_extract_directory_prints_jsonl_in_stable_order_and_skips_bad_files(tmp_path, capsys):
    for name in ("b.txt", "a.txt"):
        (tmp_path / name).write_text(TEXT + name, encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"")
    code, out, err = _run(capsys, "extract", str(tmp_path))
    lines = [json.loads(line) for line in out.splitlines()]
    assert [d["meta"]["path"].rsplit("/", 1)[-1] for d in lines] == ["a.txt", "b.txt"]
    assert code == 1 and "c.txt: empty input" in err


def test_bad_published_date_is_rejected(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["extract", "x.txt", "--published", "09/11/2023"])
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_stdin_and_version():
    out = subprocess.run([sys.executable, "-m", "marsad", "extract", "-"], input=TEXT.encode(), capture_output=True)
    assert out.returncode == 0 and json.loads(out.stdout)["meta"]["source"] == "رويترز"
    ver = subprocess.run([sys.executable, "-m", "marsad", "--version"], capture_output=True, text=True)
    assert ver.stdout.startswith("marsad ")


def test_every_command_has_help(capsys):
    from marsad.cli import build_parser

    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name in commands:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        assert "usage: marsad" in capsys.readouterr().out
