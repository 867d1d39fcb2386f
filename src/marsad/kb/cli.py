"""``marsad kb lookup|stats|validate``: inspect and check the knowledge base from the shell."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    kb = sub.add_parser("kb", help="knowledge base of world actors: lookup, stats, validate",
                        description="Inspect the bundled knowledge base (countries, places, organizations, people).")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND", required=True)

    p = kb_sub.add_parser("lookup", help="entries for an Arabic name (clitics/variants ok), an English name or an id")
    p.add_argument("name", nargs="+", help="e.g. «وبموسكو», «الروسي», Moscow, loc:RUS:moscow")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_lookup)

    s = kb_sub.add_parser("stats", help="counts per entry kind, type, sector and file")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=cmd_stats)

    v = kb_sub.add_parser("validate", help="check ids, codes, references, years and shared aliases (file:line each)")
    v.set_defaults(func=cmd_validate)


def describe(name: str) -> dict[str, Any]:
    """Everything the KB knows about ``name``: entries, nationality adjective, metonym, title, ambiguity."""
    from marsad.kb import load_kb
    from marsad.normalize import normalize_word

    kb = load_kb()
    payloads = kb.payloads(name)
    entries = kb.lookup(name)
    out: dict[str, Any] = {"query": name, "normalized": normalize_word(name.strip()), "entries": [
        {"id": e.id, "kind": e.kind, "type": e.type, "name_en": e.name_en, "name_ar": e.name_ar,
         "country": e.country, "country_en": _country_en(kb, e.country), "sector": e.sector, "subtype": e.subtype,
         "aliases": list(e.aliases), "qid": e.qid,
         "roles": [{"key": r.key, "where": r.where, "start": r.start, "end": r.end} for r in e.roles],
         **({"capital": e.extra["capital"]} if e.kind == "country" else {})}
        for e in entries]}
    nisba = [ident for how, ident in payloads if how == "nisba"]
    if nisba:
        out["nationality_of"] = nisba
    metonyms = [kb.metonyms[int(i)] for how, i in payloads if how == "metonym"]
    if metonyms:
        out["metonym_for"] = [{"name_en": m.name_en, "country": m.country, "sector": m.sector} for m in metonyms]
    titles = kb.title_gazetteer.get(name)
    if titles:
        out["titles"] = [{"key": k, "role_en": kb.titles[k].role_en, "sector": kb.titles[k].sector} for k in titles]
    amb = kb.ambiguous.get(out["normalized"])
    if amb:
        out["ambiguous"] = {"ids": list(amb[0]), "reason": amb[1]}
    return out


def _country_en(kb: Any, iso3: str | None) -> str | None:
    entry = kb.entries.get(iso3) if iso3 else None
    return entry.name_en if entry else None


def _text(info: dict[str, Any]) -> str:
    lines = [f"{info['query']}  (normalized: {info['normalized']})"]
    for e in info["entries"]:
        country = f"{e['country']} {e['country_en'] or ''}".strip() if e["country"] else "-"
        detail = " ".join(x for x in (e["sector"] or "", e["subtype"] or "") if x)
        lines.append(f"  {e['id']}  [{e['kind']} {e['type']}{' ' + detail if detail else ''}]  {e['name_en']} / "
                     f"{e['name_ar']}  country: {country}")
        if e.get("capital"):
            lines.append(f"      capital: {e['capital']}")
        if e["aliases"]:
            lines.append(f"      aliases: {'، '.join(e['aliases'])}")
        for r in e["roles"]:
            lines.append(f"      role: {r['key']} @ {r['where']} {r['start'] or '?'}-{r['end'] or ''}")
    for iso in info.get("nationality_of", []):
        lines.append(f"  nationality adjective of {iso}")
    for m in info.get("metonym_for", []):
        lines.append(f"  metonym: {m['name_en']} stands for {m['country']} {m['sector']}")
    for t in info.get("titles", []):
        lines.append(f"  title: {t['key']} ({t['role_en']}, {t['sector']})")
    if "ambiguous" in info:
        lines.append(f"  ambiguous between {', '.join(info['ambiguous']['ids'])}: {info['ambiguous']['reason']}")
    if len(lines) == 1:
        lines.append("  not in the knowledge base")
    return "\n".join(lines)


def cmd_lookup(args: argparse.Namespace) -> int:
    info = describe(" ".join(args.name))
    found = info["entries"] or any(k in info for k in ("nationality_of", "metonym_for", "titles"))
    if args.format == "json":
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        print(_text(info))
    return 0 if found else 1


def stats() -> dict[str, Any]:
    """Entry counts by kind, entity type, place type/org kind, sector, plus titles, metonyms and names."""
    from marsad.kb import load_kb

    kb = load_kb()
    entries = list(kb.entries.values())
    return {
        "entries": len(entries),
        "by_kind": dict(Counter(e.kind for e in entries).most_common()),
        "by_type": dict(Counter(e.type for e in entries).most_common()),
        "places_by_type": dict(Counter(e.subtype for e in entries if e.kind == "place").most_common()),
        "orgs_by_kind": dict(Counter(e.subtype for e in entries if e.kind == "org").most_common()),
        "orgs_by_sector": dict(Counter(e.sector for e in entries if e.kind == "org").most_common()),
        "people_with_roles": sum(1 for e in entries if e.kind == "person" and e.roles),
        "titles": len(kb.titles),
        "metonyms": len(kb.metonyms),
        "nationality_forms": len(kb.nisba),
        "ambiguous_aliases": len(kb.ambiguous),
        "gazetteer_keys": len(kb.names),
    }


def cmd_stats(args: argparse.Namespace) -> int:
    data = stats()
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for key, value in data.items():
        if isinstance(value, dict):
            print(f"{key}:")
            for k, v in value.items():
                print(f"  {k:<12} {v:>6}")
        else:
            print(f"{key}: {value}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from marsad.kb.validate import main

    return main([])
