"""The quantity tagger: numbers in running text, with qualifier, range and unit.

"at least 38", "more than 100,000 square kilometers", "between 8 to 50 kg", "two dozen",
"tens of thousands", "$1.2 million": each becomes a :class:`Quantity` whose offsets point
into the text passed in. Dates, clock times, calibres, phone numbers and numbers that are
part of a name ("Tower 22", "F-16", "Task Force 51") are not quantities.

All words and factors (number words, scales, vague terms with their ranges, qualifier
phrases, range words, units and the context words that tell a date or a name from a
count) live in ``lexicon/numbers.yaml``; this module turns them into one regular
expression and a few context checks.

Why it is fast: the text is lower-cased (same length, so offsets hold) and searched with
one precompiled pattern whose first item is a class of separator characters, so the regex
engine skips in C from word start to word start and Python runs only for real matches.
"""

from __future__ import annotations

import os
import re
import string
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator, model_validator

from sitrep.lexicons import load_entries
from sitrep.model import QUALIFIERS, Range

__all__ = ["Quantity", "find_quantities", "parse_quantity"]

LEXICON = "numbers.yaml"
UNITS = ("kg", "km2", "km", "percent", "usd", "eur", "gbp", "day", "week", "month", "year", "hour")
# docs/gold.md: "at least 38" is {38, null}, "up to 38" and "nearly 38" are {null, 38}
_LOWER_BOUNDS = ("at_least", "more_than")
_UPPER_BOUNDS = ("up_to", "nearly", "fewer_than")
MAX_DIGITS = 24  # longer digit runs are identifiers, not counts
YEARS = (1800, 2099)  # a bare 4-digit number in this span may be a year


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity as written. ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    value: Range  # per docs/gold.md: "at least 38" is Range(38, None), "up to 38" Range(None, 38)
    qualifier: str  # one of model.QUALIFIERS
    unit: str | None  # one of UNITS; None for a plain count
    vague: bool  # "dozens", "several", "tens of thousands", ...
    number_start: int  # where the number starts, after any qualifier words


# --- the lexicon schema -------------------------------------------------------------------


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NumberWord(_Entry):
    """A number word: "seven" = 7. Tens take a unit word after them: "forty-two"."""

    kind: Literal["number"]
    word: str
    value: int = Field(ge=0, le=90)


class FractionWord(_Entry):
    """A fraction word: "half" in "half a million"."""

    kind: Literal["fraction"]
    word: str
    value: float = Field(gt=0, lt=1)


class ScaleWord(_Entry):
    """A scale word: "million" = 10**6. ``digits_only``: abbreviations ("5bn") after digits only."""

    kind: Literal["scale"]
    word: str
    factor: int = Field(gt=1)
    digits_only: bool = False


class VagueTerm(_Entry):
    """A vague quantity: "dozens" = {24, 99}. A ``scalable`` term multiplies a scale after
    it ("several hundred"); ``followed_by`` is a word that must follow ("scores of")."""

    kind: Literal["vague"]
    phrase: str
    min: int = Field(ge=0)
    max: int = Field(ge=0)
    scalable: bool = False
    followed_by: str | list[str] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> VagueTerm:
        if self.min > self.max:
            raise ValueError("min is greater than max")
        return self


class QualifierPhrase(_Entry):
    """A qualifier phrase: "at least" before the number, "or more" after it."""

    kind: Literal["qualifier"]
    phrase: str
    qualifier: str
    position: Literal["before", "after"] = "before"
    not_with_units: list[str] = []  # "over two days" is a duration, not a bound

    @field_validator("qualifier")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in QUALIFIERS:
            raise ValueError(f"qualifier must be one of {', '.join(QUALIFIERS)}")
        return v


class RangeWord(_Entry):
    """A range word: "between" and "from" open a range; "to", "and", "-" join its ends.
    ``only_after``: the join makes a range only after one of these ("between 8 and 50")."""

    kind: Literal["range"]
    phrase: str
    role: Literal["open", "join"]
    only_after: list[str] = []


class UnitForms(_Entry):
    """Written forms of one unit and the factor into the normalised unit ("lbs" -> kg)."""

    kind: Literal["unit"]
    unit: Literal[UNITS]  # type: ignore[valid-type]
    factor: float = Field(gt=0)
    forms: list[str] = Field(min_length=1)
    position: Literal["before", "after"] = "after"  # "$" and "€" come before the number


class WordList(_Entry):
    """A named list of context words (see numbers.yaml for what each is for)."""

    kind: Literal["words"]
    name: Literal[
        "months",
        "year_prepositions",
        "function_words",
        "one_pronoun_before",
        "one_pronoun_after",
        "time_suffixes",
        "calibre_units",
        "fraction_words",
        "number_signs",
        "counted_after",
    ]
    words: list[str]


class NumbersEntry(RootModel):
    """One entry of numbers.yaml, of whichever kind."""

    root: Annotated[
        NumberWord
        | FractionWord
        | ScaleWord
        | VagueTerm
        | QualifierPhrase
        | RangeWord
        | UnitForms
        | WordList,
        Field(discriminator="kind"),
    ]


# --- the compiled grammar -----------------------------------------------------------------

_W = r"(?![a-z])"  # the end of a word in the lower-cased text
_HYPHEN = "-\u2010\u2011"
_GAP = r"\s{0,3}"  # optional space; bounded, so that long blank runs cost no backtracking
# A quantity starts after one of these. Not after letters or digits ("F16", "1990s"),
# hyphens and en dashes ("F-16", "MQ-9", the "18" of "17-18"), or the marks of decimals,
# times, fractions, money and references (".5", "10:30", "9/11", "$", "#5", "+1 202").
# (The hyphens go first: after "&" they would make a range that takes in "(" and the digits.)
_SEPARATOR = r"[^" + _HYPHEN + r"\w.,/:$\u00a3\u20ac#@+&\u2013]"
# Where a quantity may end: not inside a word or number ("1990s", "1,2345", "10:30", "9/11"),
# and not before a hyphen and a letter unless it ends in a digit: "one-way" and "two-thirds"
# are no counts, "a 5,000-strong force" and "a 30-minute battle" are.
_END = r"(?![\w]|[.,:/][0-9])(?:(?<=[0-9])|(?![" + _HYPHEN + r"][a-z]))"
_DIGITS = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_WORD_TOKEN = re.compile(r"[a-z]+")
_ONE = Decimal(1)


def _key(phrase: str) -> str:
    """Lookup key of a matched phrase: lower case, single spaces."""
    return " ".join(phrase.lower().split())


def _phrase_re(phrase: str) -> str:
    """A phrase as a pattern: words escaped, any whitespace between them, whole words."""
    body = r"\s+".join(re.escape(w) for w in phrase.lower().split())
    return body + _W if phrase[-1].isalpha() else body


def _alt(phrases, suffix: dict[str, str] | None = None) -> str:
    """Alternation of phrases as a trie, so that the regex engine rules out a branch on its
    first character and the longest phrase wins ("no fewer than" over "fewer than").
    ``suffix`` adds a pattern after some phrases."""
    suffix = suffix or {}
    trie: dict = {}
    for p in set(phrases):
        node = trie
        for ch in " ".join(p.lower().split()):
            node = node.setdefault(ch, {})
        node[""] = p  # "" marks the end of a phrase

    def emit(node: dict) -> str:
        alts = [
            (r"\s+" if ch == " " else re.escape(ch)) + emit(node[ch])
            for ch in sorted(k for k in node if k)
        ]
        if "" in node:  # the phrase ending here is tried last: longer ones win
            p = node[""]
            alts.append((_W if p[-1].isalpha() else "") + suffix.get(p, ""))
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(trie) if trie else "(?!)"


@dataclass(frozen=True)
class _Grammar:
    regex: re.Pattern[str]
    slots: dict[int, tuple[int, ...]]  # group numbers of each side of a range
    small: dict[str, int]
    fractions: dict[str, Decimal]
    scales: dict[str, Decimal]
    vague: dict[str, VagueTerm]
    before: dict[str, QualifierPhrase]
    after: dict[str, QualifierPhrase]
    openers: frozenset[str]
    joins: dict[str, RangeWord]
    units: dict[str, UnitForms]
    currencies: dict[str, UnitForms]
    words: dict[str, frozenset[str]]
    months: frozenset[str]  # case-sensitive: "May 5" is a date, "may 5" is not
    month_after: re.Pattern[str]  # "25 October", "17-18 of October"
    time_after: re.Pattern[str]  # "3 p.m.", "1400 GMT"
    calibre_after: re.Pattern[str]  # "122 mm"
    one_after: re.Pattern[str]  # "one another", "one's"
    fraction_after: re.Pattern[str]  # "two thirds"
    counted_after: re.Pattern[str]  # "in Syria 78 times": a count, not a name's number


def _compile(entries: list[NumbersEntry]) -> _Grammar:
    items = [e.root for e in entries]

    def of(kind):
        return [e for e in items if isinstance(e, kind)]

    numbers = of(NumberWord)
    small = {e.word.lower(): e.value for e in numbers}
    tens = [w for w, v in small.items() if v >= 20]
    ones = [w for w, v in small.items() if 1 <= v <= 9]
    fractions = {e.word.lower(): Decimal(str(e.value)) for e in of(FractionWord)}
    scales = {e.word.lower(): Decimal(e.factor) for e in of(ScaleWord)}
    word_scales = [e.word.lower() for e in of(ScaleWord) if not e.digits_only]
    hundreds = [w for w in word_scales if scales[w] == 100]
    bigs = [w for w in word_scales if scales[w] != 100]
    vague = {_key(e.phrase): e for e in of(VagueTerm)}
    follow = {
        _key(e.phrase): "(?=\\s+(?:"
        + "|".join(
            _phrase_re(w)
            for w in ([e.followed_by] if isinstance(e.followed_by, str) else e.followed_by)
        )
        + "))"
        for e in of(VagueTerm)
        if e.followed_by
    }
    quals = of(QualifierPhrase)
    before = {_key(e.phrase): e for e in quals if e.position == "before"}
    after = {_key(e.phrase): e for e in quals if e.position == "after"}
    ranges = of(RangeWord)
    openers = frozenset(_key(e.phrase) for e in ranges if e.role == "open")
    joins = {_key(e.phrase): e for e in ranges if e.role == "join"}
    units = {_key(f): e for e in of(UnitForms) if e.position == "after" for f in e.forms}
    currencies = {_key(f): e for e in of(UnitForms) if e.position == "before" for f in e.forms}
    words: dict[str, set[str]] = {}
    for e in of(WordList):
        words.setdefault(e.name, set()).update(e.words)

    # Number words: "forty-two", "a hundred", "two hundred and fifty", "three million",
    # "a dozen", "half a million". "a" alone is never a number.
    ones_re = _alt(ones)
    small_re = _alt(small, {w: rf"(?:[{_HYPHEN} ](?:{ones_re}))?" for w in tens})
    big = rf"(?:{_alt(bigs)})"
    hundred = rf"(?:{_alt(hundreds)})"
    group = rf"(?:\s+{hundred}(?:\s+(?:and\s+)?(?:{small_re}))?)?"  # "... hundred and five"
    words_re = (
        rf"(?:{_alt(fractions)})\s+an?\s+(?:{big}|{hundred})"
        rf"|(?:(?:{small_re})|an?(?=\s+(?:{hundred}|{big}))){group}"
        rf"(?:\s+{big}(?:\s+(?:and\s+)?(?:{small_re}){group})?){{0,3}}"
    )
    digit_scales = rf"(?:\s?(?:{_alt(scales)})){{0,3}}"  # "1.5 million", "5bn", "2 dozen"
    vague_scales = rf"(?:\s+(?:of\s+)?(?:{_alt(word_scales)})){{0,3}}"  # "several hundred"
    scalable = [p for p, e in vague.items() if e.scalable]
    fixed = [p for p, e in vague.items() if not e.scalable]
    currency = _alt(currencies)

    def number(i: int) -> str:
        return (
            rf"(?:(?P<c{i}>{currency})\s?)?"
            rf"(?:(?P<d{i}>{_DIGITS})(?P<ds{i}>{digit_scales})"
            rf"|(?P<vs{i}>{_alt(scalable, follow)})(?P<vss{i}>{vague_scales})"
            rf"|(?P<v{i}>{_alt(fixed, follow)})"
            rf"|(?P<w{i}>{words_re}))"
        )

    alpha_after = [p for p in after if p[0].isalpha()]
    symbol_after = [p for p in after if not p[0].isalpha()]
    post = rf"(?:\s+|\s?[{_HYPHEN}]\s?)(?:{_alt(alpha_after)})|\s?(?:{_alt(symbol_after)})"
    alpha_joins = [p for p in joins if p[0].isalpha()]
    symbol_joins = [p for p in joins if not p[0].isalpha()]
    join = rf"\s+(?:{_alt(alpha_joins)})\s+|{_GAP}(?:{_alt(symbol_joins)}){_GAP}"
    unit_sep = rf"(?:\s+of\s+|{_GAP}[{_HYPHEN}]{_GAP}|{_GAP})"  # "10-day", "dozens of km"
    unit = _alt(units)
    body = (
        rf"(?:(?P<q>{_alt(list(before) + list(openers))})\s+)?"
        rf"{number(1)}(?P<post>{post})?(?:{unit_sep}(?P<u1>{unit}))?"
        rf"(?:(?P<sep>{join}){number(2)}(?:{unit_sep}(?P<u2>{unit}))?)?"
        rf"{_END}"
    )
    # The gate: one trie pass over the first word rules out ordinary words ("the", "said")
    # before the engine tries the branches of the body one by one.
    first_words = {p.split()[0] for p in [*before, *openers, *vague, *small, *fractions]}
    first_words |= {"a", "an"} | {p.split()[0] for p in currencies}
    gate = rf"(?=[0-9]|{_alt(first_words)})"
    regex = re.compile(_SEPARATOR + gate + "(?:" + body + ")")

    months = frozenset(m for name in words.get("months", ()) for m in (name, name.upper()))
    months_re = "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True)) or "(?!)"
    one_after = words.get("one_pronoun_after", set())
    index = regex.groupindex
    slots = {
        i: tuple(index[f"{n}{i}"] for n in ("c", "d", "ds", "w", "vs", "vss", "v")) for i in (1, 2)
    }
    return _Grammar(
        regex=regex,
        slots=slots,
        small=small,
        fractions=fractions,
        scales=scales,
        vague=vague,
        before=before,
        after=after,
        openers=openers,
        joins=joins,
        units=units,
        currencies=currencies,
        words={k: frozenset(w.lower() for w in v) for k, v in words.items()},
        months=months,
        # "25 October", "25 and 26 October", "17-18 of October"
        month_after=re.compile(
            rf"(?:(?:{join})[0-9]{{1,2}}(?:st|nd|rd|th)?)?{_GAP}(?:of\s+)?(?:{months_re})(?![A-Za-z])"
        ),
        time_after=re.compile(rf"{_GAP}(?:{_alt(words.get('time_suffixes', ()))})"),
        calibre_after=re.compile(
            rf"{_GAP}(?:[{_HYPHEN}]{_GAP})?(?:{_alt(words.get('calibre_units', ()))})"
        ),
        one_after=re.compile(
            rf"\s+(?:{_alt(w for w in one_after if w[0].isalpha())})"
            rf"|(?:{_alt(w for w in one_after if not w[0].isalpha())})(?![a-z])"
        ),
        fraction_after=re.compile(rf"\s+(?:{_alt(words.get('fraction_words', ()))})"),
        counted_after=re.compile(rf"\s+(?:{_alt(words.get('counted_after', ()))})(?![a-z])"),
    )


@cache
def _grammar_for(search_path: str) -> _Grammar:
    return _compile(load_entries(LEXICON, NumbersEntry))


def _grammar() -> _Grammar:
    # Keyed on the user lexicon path, as lexicons.load_entries is.
    return _grammar_for(os.environ.get("SITREP_LEXICON_PATH", ""))


# --- reading one match --------------------------------------------------------------------


@dataclass(slots=True)
class _Number:
    """One side of a (possible) range, before qualifier and unit are applied."""

    lo: Decimal
    hi: Decimal
    start: int  # offsets into the text (currency sign included)
    end: int
    scale: Decimal  # the scale written after it ("million"), 1 if none
    vague: bool
    plain: bool  # bare digits ("17", "2023"): could be a day, a year, a code
    digits: bool
    currency: UnitForms | None
    word: str | None  # the number word, when it is a single word ("one")


def _number(g: _Grammar, m: re.Match[str], i: int) -> _Number | None:
    c, d, ds, w, vs, vss, v = g.slots[i]  # group numbers: faster than names, once per match
    cur = m.group(c)
    currency = g.currencies[_key(cur)] if cur else None
    raw = m.group(d)
    word = None
    is_digits = raw is not None
    if is_digits:
        digits = raw.replace(",", "") if "," in raw else raw
        if len(digits) > MAX_DIGITS or (raw[0] == "0" and len(raw) > 1 and raw[1] != "."):
            return None  # identifiers; "0147", "0300" are codes and clock times
        chain = m.group(ds)
        scale = _product(g, chain) if chain else _ONE
        lo = hi = Decimal(digits) * scale
        plain = scale is _ONE and currency is None and "," not in raw and "." not in raw
        start, end, vague = m.start(d), m.end(ds), False
    elif (raw := m.group(w)) is not None:
        lo, scale = _words_value(g, raw)
        hi, plain, vague = lo, False, False
        word = raw if raw.isalpha() else None
        start, end = m.start(w), m.end(w)
    else:
        if (raw := m.group(vs)) is not None:
            chain = m.group(vss)
            start, end = m.start(vs), m.end(vss)
        else:
            raw, chain = m.group(v), ""
            start, end = m.start(v), m.end(v)
        term = g.vague[_key(raw)]
        scale = _product(g, chain) if chain else _ONE
        lo, hi = term.min * scale, term.max * scale
        vague, plain = True, False
    if cur:
        start = m.start(c)
    return _Number(lo, hi, start - 1, end - 1, scale, vague, plain, is_digits, currency, word)


def _product(g: _Grammar, chain: str) -> Decimal:
    out = _ONE
    for w in _WORD_TOKEN.findall(chain):
        if w in g.scales:
            out *= g.scales[w]
    return out


def _words_value(g: _Grammar, text: str) -> tuple[Decimal, Decimal]:
    """The value of number words, and the scale they end with ("two million": 10**6)."""
    tokens = [t for t in _WORD_TOKEN.findall(text) if t != "and"]
    last = g.scales.get(tokens[-1], _ONE)
    if tokens[0] in g.fractions:  # "half a million"
        return g.fractions[tokens[0]] * last, last
    total = current = Decimal(0)
    for t in tokens:
        if t in g.small:
            current += g.small[t]
        elif t in ("a", "an"):
            current = _ONE
        elif g.scales[t] == 100:  # "two hundred" multiplies within a group
            current = (current or 1) * 100
        else:  # "thousand", "million", "dozen" close a group
            total += (current or 1) * g.scales[t]
            current = Decimal(0)
    return total + current, last


def _unit(g: _Grammar, m: re.Match[str], name: str) -> UnitForms | None:
    u = m.group(name)
    return g.units[_key(u)] if u else None


def _factor(unit: UnitForms | None) -> Decimal:
    return Decimal(str(unit.factor)) if unit else _ONE  # str(): 0.45359237, not its binary


def _out(d: Decimal | None) -> int | float | None:
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


def _evaluate(g: _Grammar, m: re.Match[str], text: str, low: str) -> tuple[Quantity | None, int]:
    """The quantity of one match (or None), and the text offset to search on from."""
    n1 = _number(g, m, 1)
    match_end = m.end() - 1
    if n1 is None:
        return None, match_end
    q = m.group("q")
    qkey = _key(q) if q else None
    opener = qkey if qkey in g.openers else None
    before = g.before.get(qkey) if qkey and not opener else None
    start = m.start("q") - 1 if q else n1.start
    post = g.after.get(_key(m.group("post").lstrip().lstrip(_HYPHEN))) if m.group("post") else None
    unit1 = _unit(g, m, "u1") or n1.currency
    end = max(n1.end, m.end("post") - 1, m.end("u1") - 1)  # unmatched groups end at -1

    n2 = None
    if m.group("sep") is not None:
        n2 = _number(g, m, 2)
        join = g.joins[_key(m.group("sep"))]
        symbol = not join.phrase[0].isalpha()
        if n2 is None:
            if symbol:
                return None, match_end  # "555-0147"
        else:
            unit2 = _unit(g, m, "u2") or n2.currency
            lo1 = n1.lo
            # "between 1 and 2 million", "$5-10 million": the second scale covers a bare first
            if n1.scale == 1 and n2.scale != 1 and lo1 * n2.scale < n2.lo:
                lo1 *= n2.scale
            unit_a, unit_b = unit1 or unit2, unit2 or unit1  # "8 to 50 kg": kg for both
            fa, fb = _factor(unit_a), _factor(unit_b)
            ordered = lo1 * fa < n2.lo * fb
            same_unit = (unit_a and unit_a.unit) == (unit_b and unit_b.unit)
            spaced_dash = (
                not ordered
                and m.group("sep").strip() in ("—", "–", "-")
                and m.group("sep")[:1].isspace()
                and m.group("sep")[-1:].isspace()
            )
            if symbol and not (ordered and same_unit) and not spaced_dash:
                if not n2.digits and n2.start - n1.end > 1:
                    return None, n1.end  # "Oct. 17 - a dozen times in Iraq": the dozen still counts
                return None, match_end  # "2023-24", "3-0", "555-1234" is checked below
            if ordered and same_unit and (not join.only_after or opener in join.only_after):
                end = max(n2.end, m.end("u2") - 1)
                quantity = Quantity(
                    start=start,
                    end=end,
                    text=text[start:end],
                    value=Range(_out(lo1 * fa), _out(n2.hi * fb)),
                    qualifier="between",
                    unit=unit_a.unit if unit_a else None,
                    vague=n1.vague or n2.vague,
                    number_start=n1.start,
                )
                if _not_a_count(g, text, low, quantity, n1, n2):
                    # Not a range ("since Oct. 17 to 52"): the second number may still count.
                    return None, n1.end
                return quantity, end
            n2 = None  # "3 and 5" outside "between", "from 50 to 38": only the first counts

    # A single number; a qualifier before it wins over one after it.
    unit = unit1.unit if unit1 else None
    if before and unit in before.not_with_units:
        before = None  # "over two days" is a duration
    if before is None:
        start = n1.start  # nor is a lone "from" part of the quantity
    chosen = before or post
    qualifier = chosen.qualifier if chosen else "about" if n1.vague else "exact"
    f = _factor(unit1)
    lo, hi = n1.lo * f, n1.hi * f
    if qualifier in _LOWER_BOUNDS:
        hi = None
    elif qualifier in _UPPER_BOUNDS:
        lo = None
    quantity = Quantity(
        start=start,
        end=end,
        text=text[start:end],
        value=Range(_out(lo), _out(hi)),
        qualifier=qualifier,
        unit=unit,
        vague=n1.vague,
        number_start=n1.start,
    )
    if _not_a_count(g, text, low, quantity, n1, None):
        return None, end
    return quantity, end


# --- context: dates, times, names, codes ------------------------------------------------

_DAY = re.compile(r"[0-9]{1,2}(?:st|nd|rd|th)?,?")
# country code, area code, then groups of 2 to 5 digits
_PHONE = re.compile(
    r"(?:\+[0-9]{1,3}[ .\-]?)?(?:\([0-9]{2,5}\)[ .\-]?)?[0-9]{2,5}(?:[ .\-][0-9]{2,5}){1,4}"
)
_PHONE_GAP = re.compile(r"[0-9][ .\-)]+[0-9(]")
_PHONE_LOCAL = re.compile(r"[0-9]{3}[.\-][0-9]{4}")
_NOT_DIGIT = re.compile(r"[^0-9]")
_PHONE_HINT = re.compile(r"[0-9()+]")


def _prev_token(text: str, i: int) -> tuple[str, int] | None:
    """The token just before offset i and its start, when only spaces part them."""
    j, stop = i, max(0, i - 40)
    while j > stop and text[j - 1] in " \t\u00a0":
        j -= 1
    if j == i or j == stop:
        return None
    stop = max(0, j - 40)
    k = 1 + max(text.rfind(" ", stop, j), text.rfind("\n", stop, j), text.rfind("\t", stop, j))
    return text[max(k, stop) : j], max(k, stop)


def _after_month(g: _Grammar, text: str, prev: tuple[str, int] | None, year: bool) -> bool:
    """``prev`` (the token before a number) is a month ("October 17", "Oct. 2023"), or, for
    a ``year``, a month's day ("Oct. 25, 2023"; but "On Oct. 17, 12 rockets" is a count)."""
    if prev is None:
        return False
    if prev[0].rstrip(".") in g.months:  # not "In October, 7 drones"
        return True
    if year and _DAY.fullmatch(prev[0]):
        month = _prev_token(text, prev[1])
        return month is not None and month[0].rstrip(".") in g.months
    return False


def _continues_date(g: _Grammar, text: str, prev: tuple[str, int] | None) -> bool:
    """``prev`` ("and", "to") joins a number to a day or year before it."""
    if prev is None or prev[0].lower() not in g.joins:
        return False
    before = _prev_token(text, prev[1])
    number = before[0].rstrip(",") if before else ""
    if not number.isdigit():
        return False
    earlier = _prev_token(text, before[1])
    if len(number) <= 2:
        return _after_month(g, text, earlier, year=False)
    years = g.words.get("year_prepositions", ())
    return len(number) == 4 and earlier is not None and earlier[0].lower() in years


def _not_a_count(
    g: _Grammar, text: str, low: str, q: Quantity, n1: _Number, n2: _Number | None
) -> bool:
    ns, end = q.number_start, q.end
    prev_token = _prev_token(text, ns)
    prev = prev_token[0] if prev_token else ""
    prev_low = prev.lower()
    words = g.words
    if n1.plain:
        year = YEARS[0] <= n1.lo <= YEARS[1] and n1.end - n1.start == 4
        if _after_month(g, text, prev_token, year):
            return True  # "October 17", "Oct. 2023", the year of "Oct. 25, 2023"
        if 1 <= n1.lo <= 31 and g.month_after.match(text, end):
            return True  # "25 October", "17-18 October"
        if year and q.unit is None:
            if prev_low in words.get("year_prepositions", ()):
                return True  # "in 2023", "from 2014 to 2017"
            if n2 is not None and n2.plain and YEARS[0] <= n2.lo <= YEARS[1]:
                return True  # "2014-2017"
        if (n1.lo <= 31 or year) and _continues_date(g, text, prev_token):
            return True  # the "18" of "October 17 and 18", the "2024" of "in 2023 and 2024"
    if g.time_after.match(low, end):
        return True  # "3 p.m.", "0600 GMT"
    if n1.digits:
        if g.calibre_after.match(low, end):
            return True  # "122 mm", "155-mm"
        if prev_low in words.get("number_signs", ()) and (prev[0].isupper() or "." in prev):
            return True  # "No. 5"
        if _phone_like(text, ns, end):
            return True
    if q.start == ns and q.unit is None and not n1.vague and prev[:1].isupper():
        # "Tower 22", "Task Force 51", "World War Two"; "The 38 attacks" is fine
        if (
            prev.replace("-", "").isalpha()
            and prev_low not in words.get("function_words", ())
            and not g.counted_after.match(low, end)
        ):
            return True
    if n1.word == "one" and n2 is None:
        if prev_low in words.get("one_pronoun_before", ()) or g.one_after.match(low, end):
            return True  # "no one", "one another"
    if n2 is None and q.unit is None and g.fraction_after.match(low, end):
        return True  # "two thirds"
    return False


def _phone_like(text: str, start: int, end: int) -> bool:
    """A phone number: "+1 202 555 0147", "(202) 555-0147", "555-0147"."""
    near = text[max(0, start - 2) : start] + text[end : end + 2]
    if not _PHONE_HINT.search(near) and "-" not in text[start:end]:
        return False  # no digit, bracket or plus next to it: the common case
    for m in _PHONE.finditer(text, max(0, start - 24), min(len(text), end + 24)):
        if m.start() < end and m.end() > start:
            s = m.group()
            if len(_NOT_DIGIT.sub("", s)) >= 7 and (
                s[0] in "+(" or _PHONE_LOCAL.fullmatch(s) or len(_PHONE_GAP.findall(s)) >= 2
            ):
                return True
    return False


# --- the public functions -----------------------------------------------------------------

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _lower(text: str) -> str:
    low = text.lower()
    # A few characters lower-case to two ("İ"); offsets must not move.
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, in order, non-overlapping; the longest reading wins."""
    g = _grammar()
    low = _lower(text)
    scan = " " + low  # a separator before the first word; scan offset = text offset + 1
    search = g.regex.search
    out: list[Quantity] = []
    pos = 0
    while (m := search(scan, pos)) is not None:
        quantity, resume = _evaluate(g, m, text, low)
        if quantity is not None:
            out.append(quantity)
        pos = max(resume, m.start() + 1)
    return out


def parse_quantity(expr: str) -> Quantity | None:
    """``expr`` read as one whole quantity ("at least 38", "8-50 kg"), or None if it is not one."""
    found = find_quantities(expr)
    lead = len(expr) - len(expr.lstrip())
    if len(found) == 1 and found[0].start == lead and found[0].end == len(expr.rstrip()):
        return found[0]
    return None
