"""Lead metadata: the dateline city and the source named at the start of a news article.

Handles «أستانا – (رياليست عربي):», «القاهرة (رويترز) -», «الرياض - واس:» and «موسكو، 9 نوفمبر (تاس) -».
"""

from __future__ import annotations

import re

from marsad.document import Document

_DASH = r"[-–—]"
_CITY = r"(?P<city>[^\W\d_][^\s\-–—(:،,]*(?:\s[^\W\d_][^\s\-–—(:،,]*){0,2})"
_DATE = r"(?:\s*[،,]\s*[^()\n:]{1,30}?)?"
_LEAD_PATTERNS = [
    # City [, date] [–] (Source) [: or –]
    re.compile(rf"^\s*{_CITY}{_DATE}\s*(?:{_DASH}\s*)?\((?P<source>[^()\n]{{2,40}})\)\s*(?:[:\-–—]|$)"),
    # City – Source:
    re.compile(rf"^\s*{_CITY}\s*{_DASH}\s*(?P<source>[^\n:()]{{2,30}}?)\s*:"),
]


def parse_lead(text: str) -> tuple[str | None, str | None, int]:
    """(dateline, source, end offset of the lead) or (None, None, 0)."""
    head = text[:200]
    for pattern in _LEAD_PATTERNS:
        m = pattern.match(head)
        if m:
            return m.group("city").strip(), m.group("source").strip(), m.end()
    return None, None, 0


def annotate(doc: Document) -> None:
    """Fill ``meta.dateline`` and ``meta.source`` from the lead where they are not set already."""
    dateline, source, _ = parse_lead(doc.text)
    if dateline and not doc.meta.dateline:
        doc.meta.dateline = dateline
    if source and not doc.meta.source:
        doc.meta.source = source
