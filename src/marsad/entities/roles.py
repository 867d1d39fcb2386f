"""Roles stated in the text: title phrases before names, and descriptions standing for a person.

A title phrase is a chain of KB titles (``titles.tsv``) with their complements: a nationality
adjective or country gives the country («الرئيس الروسي»), an organization the employer
(«الأمين العام للأمم المتحدة», «رئيس وكالة روسكوزموس»). The name that follows is a person holding
those roles. «نظيره الكازاخي X» gives X the role of the person just named, in Kazakhstan. A title
phrase with a country or organization but no name is a *description* («الرئيس الروسي»), resolved
later to the person the document (or the KB, at the publication date) says holds that role.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from marsad.entities.candidates import Candidate, Context, honorific, is_name_word, name_run, quoted
from marsad.entities.lexicon import counterparts, honorifics, triggers
from marsad.entities.romanize import is_foreign_word, romanize
from marsad.kb.gazetteer import Hit


@dataclass(slots=True)
class RolePart:
    key: str
    nstart: int
    nend: int
    country: str | None = None
    org: str | None = None  # KB id
    org_cand: Candidate | None = None  # an organization named only here («روسكوزموس»)
    extra: dict[str, Any] = field(default_factory=dict)


def role_candidates(ctx: Context, nisbas: list[Hit]) -> list[Candidate]:
    """PER candidates with roles, organizations named inside titles, and descriptions."""
    out: list[Candidate] = []
    nisba_at = {ctx.tok(h.nstart): h for h in nisbas if h.prefix == ""}
    inside = _inside_names(ctx)
    starts = sorted((set(ctx.title_at) | set(ctx.index.indexes(_counterpart_forms()))) - inside)
    done = -1
    last_roles: list[RolePart] = []
    for ti in starts:
        if ti <= done:
            continue
        parts, i = parse_title(ctx, ti, nisba_at, last_roles)
        if not parts:
            continue
        done = i - 1
        out += [p.org_cand for p in parts if p.org_cand is not None]
        last = parts[-1]
        if last.extra.get("construct") and not (last.country or last.org or last.org_cand):
            continue  # «رئيس جمهورية يوغوسلافيا»: the complement was not understood, so neither is what follows
        plural = parts[0].extra.get("plural", False)
        if plural and not last.country:
            continue  # «مجلس وزراء الداخلية العرب»: holders are listed each after a country
        span = name_span(ctx, i)
        if span is None:
            if plural:
                continue  # «وزراء خارجية الدول الأعضاء»: several people, no one to resolve to
            desc = description(ctx, parts)
            if desc is not None:
                out.append(desc)
            continue
        a, b, skip = span
        if _bare(parts) and not _namey(ctx, a, b):
            continue  # «بشكل رئيس بارتفاع ...», «مؤتمر صحفي مشترك»: a title word, no name after it
        hon_keys = honorifics()[1]
        if len(parts) > 1 or (parts[0].country or parts[0].org):
            parts = [p for p in parts if not (p.key in hon_keys and not p.country and not p.org)] or parts
        elif parts[0].key in hon_keys:
            parts = []
        c = ctx.cand(a, b, "PER", "title", skip=skip)
        c.roles = [role_dict(ctx, p) for p in parts]
        c.country = next((p.country for p in parts if p.country), None)
        out.append(c)
        last_roles = parts
        done = b
        if plural:
            listed, done = _listed_holders(ctx, b + 1, parts[-1])
            out += listed
    return out


def _listed_holders(ctx: Context, i: int, part: RolePart) -> tuple[list[Candidate], int]:
    """After a plural title and its first holder, the others with their countries: «وزراء خارجية مصر سامح شكري،
    والأردن أيمن الصفدي، وفلسطين رياض المالكي». Returns the candidates and the last token read."""
    out: list[Candidate] = []
    last = i - 1
    n = len(ctx.tokens)
    while i < n:
        if ctx.tokens[i].norm in ("،", ","):
            i += 1
        hit = ctx.hit_at.get(i)
        if hit is None or hit.prefix not in ("", "و"):
            break
        country = next((e for how, e in hit.payloads if how == "name" and e in ctx.kb.entries
                        and ctx.kb.entries[e].kind == "country"), None)
        if country is None:
            break
        span = name_span(ctx, ctx.tok_end(hit.nend) + 1)
        if span is None:
            break
        a, b, skip = span
        c = ctx.cand(a, b, "PER", "title", skip=skip)
        holder = RolePart(part.key, hit.nstart, hit.nend, country=country, extra={"listed": True})
        c.roles = [role_dict(ctx, holder)]
        c.country = country
        out.append(c)
        last, i = b, b + 1
    return out, last


def _inside_names(ctx: Context) -> set[int]:
    """Tokens inside a KB name of a place, organization or facility after its first word: the «الملك» of
    «استاد الملك فهد الدولي» or «جامعة الملك سعود» is part of a name, not a title."""
    out: set[int] = set()
    for h in ctx.hits:
        ids = [e for how, e in h.payloads if how == "name" and e in ctx.kb.entries]
        if ids and all(ctx.kb.entries[e].type != "PER" for e in ids):
            out.update(range(ctx.tok(h.nstart) + 1, ctx.tok_end(h.nend) + 1))
    return out


def honorific_candidates(ctx: Context) -> list[Candidate]:
    """«يقول الدكتور إبراهيم الخليفي»: a name after a word of address (no role), when the name shows it is one
    (a known given name, a foreign form or a KB person); titles are :func:`role_candidates`' job."""
    out: list[Candidate] = []
    words = honorifics()[0]
    for i in ctx.index.indexes(words):
        if i in ctx.title_at or (i + 1) in ctx.title_at:
            continue
        span = name_span(ctx, i + 1)
        if span is not None and _namey(ctx, span[0], span[0]):
            out.append(ctx.cand(span[0], span[1], "PER", "title", skip=span[2]))
    return out


def parse_title(ctx: Context, ti: int, nisba_at: dict[int, Hit], last: list[RolePart]) -> tuple[list[RolePart], int]:
    """Role parts of the title chain starting at token ti, and the index of the token after it."""
    parts: list[RolePart] = []
    i = ti
    n = len(ctx.tokens)
    if _counterpart(ctx.tokens[ti].norm):
        if not last:
            return [], ti + 1
        tok = ctx.tokens[ti]
        parts = [RolePart(last[-1].key, tok.nstart, tok.nend, extra={"counterpart": True})]
        i = ti + 1
    steps = 0
    while i < n and steps < 10:
        steps += 1
        tok = ctx.tokens[i]
        title = ctx.title_at.get(i)
        if title is not None and (not parts or title.prefix in ("", "و")) and title.nstart >= tok.nstart:
            if parts and i > ti and honorific(ctx, i) and name_span(ctx, i + 1) is not None:
                i += 1  # «الأمير فيصل»: a prince, not a role
                continue
            if parts and parts[-1].key in DEPUTY_KEYS and not (parts[-1].country or parts[-1].org) \
                    and parts[-1].nend == title.nstart - 1:  # «نائب المندوبة»: deputy of the next title
                nstart = parts.pop().nstart
                parts.append(RolePart(title.payloads[0], nstart, title.nend, extra={"deputy": True}))
            else:
                form = {"plural": title.key in ctx.kb.plural_titles, "construct": title.key in ctx.kb.construct_titles}
                parts.append(RolePart(title.payloads[0], title.nstart, title.nend, extra=form))
            i = ctx.tok_end(title.nend) + 1
            continue
        if not parts:
            break
        if i in nisba_at:
            h = nisba_at[i]
            parts[-1].country = parts[-1].country or ctx.nisba(h)
            parts[-1].nend = h.nend
            i = ctx.tok_end(h.nend) + 1
            continue
        hit = ctx.hit_at.get(i)
        inner = _hit_across(ctx, parts[-1].nend)
        if inner is not None and _complement(ctx, inner, parts[-1]):  # «رئيس وكالة الفضاء الروسية»
            i = ctx.tok_end(inner.nend) + 1
            continue
        if inner is not None and inner.nstart == parts[0].nstart:  # KB alias with the title: «الرئيس الإيراني إبراهيم رئيسي»
            while i < n and ctx.tokens[i].nend < inner.nend and ctx.kb.country_of_nisba(ctx.tokens[i].norm):
                parts[-1].country = parts[-1].country or ctx.kb.country_of_nisba(ctx.tokens[i].norm)
                parts[-1].nend = ctx.tokens[i].nend
                i += 1
            break
        if hit is not None and hit.prefix in ("", "ل") and _complement(ctx, hit, parts[-1]):
            i = ctx.tok_end(hit.nend) + 1
            if i < n and ctx.tokens[i].norm == "»" and ctx.tokens[i - 2].norm == "«":
                i += 1
            continue
        if tok.norm == "«" and (i + 1) in ctx.hit_at:
            i += 1
            continue
        if honorific(ctx, i):
            i += 1
            continue
        org = _org_in_title(ctx, i, parts[-1])
        if org is not None:
            i = org
            continue
        if tok.norm.startswith("لل") and len(tok.norm) > 4 and ctx.word(i + 1):  # «للشؤون الدولية»
            i += 1
            while ctx.word(i) and ctx.tokens[i].norm.startswith("ال") and not is_name_word(ctx, i, True):
                i += 1
            if ctx.word(i) and ctx.tokens[i].norm.startswith("ال") and i not in ctx.hit_at:
                i += 1
            continue
        break
    return parts, i


#: title keys that, right before another title, mean "deputy of": «نائب المندوب» (نائب alone is an MP)
DEPUTY_KEYS = frozenset({"mp", "deputy-head"})


def _counterpart(norm: str) -> bool:
    """«نظيره», also with a proclitic: «بنظيره»."""
    return norm in counterparts() or (norm[:1] in "وبل" and norm[1:] in counterparts())


@cache
def _counterpart_forms() -> frozenset[str]:
    """Every word :func:`_counterpart` accepts."""
    return counterparts() | frozenset(p + w for p in "وبل" for w in counterparts())


def _bare(parts: list[RolePart]) -> bool:
    """A lone title with no country, organization or chain: weak evidence that a name follows."""
    return len(parts) == 1 and not (parts[0].country or parts[0].org or parts[0].org_cand) \
        and not parts[0].extra.get("counterpart")


def _namey(ctx: Context, a: int, b: int) -> bool:
    """Does the run a..b carry some evidence of being a name: a KB person, a known first name, a foreign form?"""
    from marsad.entities.lexicon import name_table

    table = name_table()
    for k in range(a, b + 1):
        hit = ctx.hit_at.get(k)
        norm = ctx.tokens[k].norm
        if norm in table or is_foreign_word(norm) or (hit is not None and any(
                how == "name" and ctx.kb.entries.get(e) and ctx.kb.entries[e].type == "PER" for how, e in hit.payloads)):
            return True
    return False


def _hit_across(ctx: Context, nend: int) -> Hit | None:
    """A KB hit that starts inside a title and runs past its end (the title's last word is part of a name)."""
    for h in ctx.hits:
        if h.nstart < nend < h.nend:
            return h
        if h.nstart >= nend:
            return None
    return None


def _complement(ctx: Context, hit: Hit, part: RolePart) -> bool:
    """Record a KB country/organization/place after a title as the role's country or org."""
    ids = [e for how, e in hit.payloads if how == "name" and e in ctx.kb.entries]
    entries = [ctx.kb.entries[e] for e in ids]
    if not entries or any(e.type == "PER" for e in entries) or part.org or part.country:
        return False
    e = entries[0]
    if e.kind == "country":
        part.country = e.id
    elif e.kind == "org":
        part.org, part.country = e.id, e.country
    else:
        part.country = e.country
        part.extra["place"] = e.id
    part.nend = hit.nend
    return True


def _org_in_title(ctx: Context, i: int, part: RolePart) -> int | None:
    """«رئيس وكالة روسكوزموس»: an unknown organization named right after a title ending in an org word."""
    if part.org or part.org_cand:
        return None
    last = ctx.nz.text[part.nstart:part.nend].split()[-1]
    trig = triggers().get(last) or triggers().get(last[2:] if last.startswith("ال") else last)
    if trig is None or trig.type != "ORG":
        return None
    q = quoted(ctx, i)
    if q is not None:
        a, b, after = q[0], q[1], q[1] + 2
    elif ctx.word(i) and is_foreign_word(ctx.tokens[i].norm) and is_name_word(ctx, i, True):
        a = b = i
        after = i + 1
    else:
        return None
    c = ctx.cand(a, b, "ORG", "title")
    c.name_en = romanize(" ".join(t.text for t in ctx.tokens[a:b + 1]))
    part.org_cand = c
    part.nend = ctx.tokens[b].nend
    return after


def name_span(ctx: Context, i: int) -> tuple[int, int, int] | None:
    """(first, last, proclitic skip) of the person named at token i, or None."""
    if i >= len(ctx.tokens):
        return None
    hit = ctx.hit_at.get(i)
    if hit is not None and any(how == "name" and ctx.kb.entries.get(e) and ctx.kb.entries[e].type == "PER"
                               for how, e in hit.payloads):
        run = name_run(ctx, i)
        b = max(ctx.tok_end(hit.nend), run[1] if run else i)
        return i, b, hit.nstart - ctx.tokens[i].nstart
    run = name_run(ctx, i)
    if run is None:
        return None
    return run[0], run[1], 0


def description(ctx: Context, parts: list[RolePart]) -> Candidate | None:
    """«الرئيس الروسي» without a name: a candidate mention of whoever holds that role."""
    p = parts[-1]
    if not (p.country or p.org) or p.extra.get("counterpart") or p.key in honorifics()[1] or p.extra.get("place"):
        return None  # («رئيس جمهورية الشيشان» is not Russia's president: a place's head is not its country's)
    nstart = parts[0].nstart
    start, end = ctx.nz.to_original(nstart, p.nend)
    c = Candidate(start, end, nstart, p.nend, "PER", "description", country=p.country, role_key=p.key)
    c.roles = [role_dict(ctx, q) for q in parts]
    return c


def role_dict(ctx: Context, p: RolePart) -> dict[str, Any]:
    """The role as the output contract writes it (``org`` filled in by resolution for unknown orgs)."""
    title = ctx.kb.titles.get(p.key)
    role_en = title.role_en if title else p.key
    key = p.key
    if p.extra.get("deputy"):
        key, role_en = f"deputy-{p.key}", f"Deputy {role_en}"
    start, end = ctx.nz.to_original(p.nstart, p.nend)
    d: dict[str, Any] = {"role": key, "role_en": role_en, "org": p.org, "country": p.country,
                         "text": ctx.doc.text[start:end], "start": start, "end": end}
    if p.org_cand is not None:
        d["_org_cand"] = p.org_cand
    d["role_en"] = compose_role_en(ctx, role_en, p.org, p.country, p.org_cand)
    return d


def compose_role_en(ctx: Context, role_en: str, org: str | None, country: str | None, org_cand: Candidate | None) -> str:
    """«Head of Agency» + Roscosmos → «Head of Roscosmos»; «President» + KAZ → «President of Kazakhstan»."""
    org_en = ctx.kb.entries[org].name_en if org and org in ctx.kb.entries else (org_cand.name_en if org_cand else None)
    if org_en:
        if role_en.startswith("Head of "):
            return f"Head of {org_en}"
        return f"{role_en} of {org_en}"
    if country and country in ctx.kb.entries:
        return f"{role_en} of {ctx.kb.entries[country].name_en}"
    return role_en
