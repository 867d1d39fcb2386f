"""Readable English spellings for Arabic-script names the KB does not know.

Not a transliteration standard (Buckwalter, ALA-LC) but the spelling an English news reader expects:
long vowels are read from ا/و/ي, frequent name words come from a table («محمد» → Mohammed),
Slavic endings keep their conventional form («بوريسوف» → Borisov), «ال» becomes «al-». Transliterated
foreign names are read with foreign values (غ → g, و → o), native names with Arabic ones.
"""

from __future__ import annotations

from functools import lru_cache

from marsad.entities.lexicon import letters, name_table, suffixes
from marsad.normalize import normalize_word

VOWELS = frozenset("اويى")
PARTICLES = frozenset({"bin", "ibn", "bint", "von", "der", "de", "al-"})
_NO_SPLIT_SECOND = frozenset("رل")  # «بر», «كل»: clusters a foreign word may start with


def is_foreign_word(word: str) -> bool:
    """A transliterated foreign word: a Slavic-type ending, or many vowel letters for its length."""
    w = normalize_word(word, ta_marbuta=False)
    if w.startswith("ال"):
        return False
    if any(w.endswith(s) and len(w) - len(s) >= 2 for s, _ in suffixes()):
        return True
    if "تش" in w or w.endswith("سك") or (w.endswith("اي") and len(w) >= 5):
        return True
    interior = sum(ch in "وي" for ch in w[1:-1])
    return len(w) >= 6 and interior >= 2 and not w.endswith(("ات", "ه", "يه", "ين", "ون"))


@lru_cache(maxsize=20000)
def romanize(name: str, foreign: bool | None = None) -> str:
    """English spelling of an Arabic name (several words); ``foreign`` None = guess from the words."""
    words = [normalize_word(w, ta_marbuta=False) for w in name.split()]
    words = [w for w in words if w]
    if not words:
        return ""
    table = name_table()
    if foreign is None:  # a known Arabic given name («نايف») looks Slavic by its ending but says nothing
        foreign = any(is_foreign_word(w) and normalize_word(w) not in table for w in words)
    out: list[str] = []
    i = 0
    while i < len(words):
        pair = " ".join(words[i:i + 2])
        if i + 1 < len(words) and pair in table:
            out.append(table[pair])
            i += 2
            continue
        w = words[i]
        if w == "عبد" and i + 1 < len(words):  # «عبد الفتاح» → Abdul Fattah
            rest = words[i + 1][2:] if words[i + 1].startswith("ال") else words[i + 1]
            out.append("Abdul " + _cap(_word(rest, foreign)))
            i += 2
            continue
        out.append(_lookup(w, foreign, first=not out))
        i += 1
    return " ".join(out).replace("- ", "-").strip()


def _lookup(w: str, foreign: bool, first: bool) -> str:
    table = name_table()
    key = normalize_word(w)
    if key in table:
        return table[key]
    if w.startswith("عبد") and len(w) > 4:  # «عبدالرحيم» → Abdulrahim
        rest = w[5:] if w[3:5] == "ال" else w[3:]
        return "Abdul" + _word(rest, foreign).lower()
    if w.startswith("ال") and len(w) > 3:
        return ("Al-" if first else "al-") + _cap(_word(w[2:], foreign))
    return _cap(_word(w, foreign))


def _cap(s: str) -> str:
    return s if s in PARTICLES else s[:1].upper() + s[1:]


def _word(w: str, foreign: bool) -> str:
    """One word without table help: letters, vowel letters and a foreign ending."""
    tail = ""
    if foreign:
        for suffix, en in suffixes():
            if w.endswith(suffix) and len(w) - len(suffix) >= 2:
                w, tail = w[: -len(suffix)], en
                break
    table = letters()
    col = 1 if foreign else 0
    out: list[str] = []
    n = len(w)
    i = 0
    while i < n:
        ch = w[i]
        prev = w[i - 1] if i else ""
        nxt = w[i + 1] if i + 1 < n else ""
        if ch == "ا":
            if i == 0 and nxt == "و":
                out.append("o" if foreign else "ou")
                i += 2
                continue
            if i == 0 and nxt == "ي":
                out.append("i")
                i += 2
                continue
            out.append("a")
        elif ch == "و":
            if i == 0 or (prev in VOWELS and nxt and (nxt not in VOWELS or nxt in "اي")):
                out.append("v" if foreign else "w")
            elif nxt in ("ا", "ي") and prev not in VOWELS:
                out.append("v" if foreign else "w")
            else:
                out.append("o" if foreign else "ou")
        elif ch in "يى":
            if ch == "ى" and not nxt:
                out.append("a")
            elif i == 0 or prev in VOWELS:
                out.append("y")
            elif nxt == "ا":
                out.append("i" if foreign else "y")
            elif nxt == "و":
                out.append("i")
            else:
                out.append("i")
        elif ch == "ع" and not foreign:
            # the script writes no vowel next to «ع»: «عمرو» Amr, «سعد» Saad; before a vowel letter it carries it
            if nxt and nxt not in VOWELS and (i == 0 or prev not in VOWELS):
                out.append("a")
        elif ch == "ت" and nxt == "ش" and foreign:
            out.append("ch")
            i += 2
            continue
        elif ch == "ر" and not nxt and not tail and foreign and prev not in VOWELS and n > 2:
            out.append("er")
        elif ch == "ه" and not nxt and foreign:
            out.append("e")
        elif ch in table:
            out.append(table[ch][col])
        elif ch.isascii():
            out.append(ch)
        if i == 0 and ch not in VOWELS and nxt and nxt not in VOWELS and nxt in table and ch in table \
                and table[ch][col] and (not foreign or (nxt not in _NO_SPLIT_SECOND and ch != "س")):
            out.append("e" if foreign else "a")  # a short vowel the script leaves out: «فرحان» → Farhan
        i += 1
    word = "".join(out)
    if tail:
        if word.endswith(("a", "e", "i", "o", "u")) and tail.startswith(("e", "y")) and tail != "yan":
            tail = "y" + tail.lstrip("y")
        word += tail
    return word
