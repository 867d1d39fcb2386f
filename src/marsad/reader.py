"""Reading article files: encoding detection, clear errors, and sidecar metadata.

UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern) and Windows-1256 are detected;
anything else is rejected with a one-line :class:`InputError` naming the file. Nothing is
silently replaced: every decode is strict.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from marsad.document import Document, Meta

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
_ARABIC_CHAR = re.compile(r"[\u0600-\u06ff\u200c-\u200f«»]")
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class InputError(Exception):
    """A problem with one input, reported as ``path: problem`` on one line."""

    def __init__(self, path: str | Path, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


def decode(data: bytes, name: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode article bytes; return (text, encoding) or raise InputError."""
    if not data.strip():
        raise InputError(name, "empty input")
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", name), "utf-16"
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16, name), utf16
    if b"\x00" in data:
        raise InputError(name, "binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = _cp1256(data, name), "windows-1256"
    if len(_BAD_CONTROL.findall(text)) > max(2, len(text) // 200):
        raise InputError(name, "binary file (control characters), not text")
    if not text.strip():
        raise InputError(name, "empty input")
    return text, encoding


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd > half * 0.2 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.2 and odd < half * 0.05:
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str, name: str | Path) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(name, f"undecodable as {encoding} at byte {exc.start}") from None
    return text.lstrip("\ufeff")


def _cp1256(data: bytes, name: str | Path) -> str:
    """Windows-1256 is accepted only when the result reads as Arabic text."""
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError as exc:
        raise InputError(name, f"undecodable: not UTF-8, UTF-16 or Windows-1256 (byte {exc.start})") from None
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    if non_ascii == 0 or len(_ARABIC_CHAR.findall(text)) < 0.9 * non_ascii:
        raise InputError(name, "undecodable: not valid UTF-8, and not Arabic Windows-1256 text")
    return text


def read_text(path: str | Path) -> str:
    """Read and decode one text file (``-`` reads standard input)."""
    if str(path) == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>")[0]
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(p, "no such file") from None
    except IsADirectoryError:
        raise InputError(p, "is a directory") from None
    except OSError as exc:
        raise InputError(p, exc.strerror or "cannot read") from None
    return decode(data, p)[0]


def sidecar_meta(path: Path) -> dict:
    """Metadata from ``NAME.meta.json`` beside ``NAME.txt``, if present."""
    side = path.with_name(path.name.removesuffix(path.suffix) + ".meta.json")
    if not side.is_file():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(side, f"invalid metadata JSON ({exc})") from None
    return data if isinstance(data, dict) else {}


def load_document(path: str | Path, **meta: str | None) -> Document:
    """A Document from a text file, with sidecar metadata and explicit overrides."""
    text = read_text(path)
    fields: dict = {}
    if str(path) != "-":
        fields.update({k: v for k, v in sidecar_meta(Path(path)).items() if k in Meta.__slots__})
        fields["path"] = str(path)
    fields.update({k: v for k, v in meta.items() if v is not None})
    return Document(text=text, meta=Meta(**fields))


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and text files found recursively in directories, in a stable order."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix in TEXT_SUFFIXES and not f.name.startswith(".") and f.name != "README.md":
                    yield f
        else:
            yield p
