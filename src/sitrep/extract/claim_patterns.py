"""The word classes of lexicon/claims.yaml, compiled once into the patterns that tell
what a number counts, whether it is part of a total, and whether a sentence runs a tally."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sitrep.extract.wordlists import alternation, word_classes


@dataclass(frozen=True, slots=True)
class Patterns:
    attacks: re.Pattern
    population: re.Pattern
    population_cue: re.Pattern
    fighters: re.Pattern
    personnel: re.Pattern
    personnel_cue: re.Pattern
    displaced: re.Pattern
    detained: re.Pattern
    missing: re.Pattern
    breakdown_lead: re.Pattern
    of_them: re.Pattern
    target_prep: re.Pattern
    times: re.Pattern
    attack_verb: re.Pattern
    held_before: re.Pattern
    displaced_before: re.Pattern
    regional: re.Pattern
    speech_day: re.Pattern
    count_of: re.Pattern
    custody: re.Pattern
    held_people: re.Pattern
    uprooted: re.Pattern
    not_fighters: re.Pattern
    war_toll: re.Pattern
    targets_hit: re.Pattern


@cache
def patterns() -> Patterns:
    w = word_classes("claims.yaml")

    def words(name: str) -> str:
        return alternation(w[name])

    # Up to four modifier words between a number and its noun ("38 separate rocket and
    # drone attacks"), none of them a verb or a preposition that would start a new phrase.
    mods = r"(?:[\s,]+(?!(?:were|was|have|has|had|are|is|in|on|at|since|from|by|against|to|of)\b)[\w’'-]+){0,4}?"
    return Patterns(
        attacks=re.compile(
            rf"^(?:[\s,]+(?i:of(?: (?:the|those|these|them))?))?{mods}[\s,]+(?i:{words('attacks')})(?![\w-])"
        ),
        population=re.compile(rf"^(?:[\s,]+of)?{mods}[\s,]+(?i:{words('population')})(?![\w-])"),
        population_cue=re.compile(rf"(?i:{words('population_cue')})"),
        fighters=re.compile(rf"^(?:[\s,]+of)?{mods}[\s,]+(?i:{words('fighters')})(?![\w-])"),
        personnel=re.compile(rf"^(?:[\s,]+of)?{mods}[\s,]+(?i:{words('personnel')})(?![\w-])"),
        personnel_cue=re.compile(rf"(?<![\w-])(?i:{words('personnel_cue')})(?![\w-])"),
        displaced=re.compile(
            # "1.9 million of Gaza's 2.2 million people have been displaced": the part
            # displaced out of a whole population.
            rf"^(?:[\s,]+of\s+(?:the\s+)?[A-Z][\w-]*(?:'s|’s)(?:\s+[\w.,]+){{1,3}}?\s+(?:people|residents|inhabitants))?"
            rf"(?:[\s,]+(?:of\s+)?(?:people|civilians|residents|persons|of them|more|others)"
            # "sixty thousand residents of northern towns are still displaced"
            rf"(?:\s+of\s+(?:[a-z][\w-]*\s+){{0,2}}[\w-]+)?)?[\s,]+"
            rf"(?:(?:have|had|were|been|are|now|currently|still|internally|already|remain|remained|newly|since)\s+)*(?i:{words('displaced')})"
        ),
        detained=re.compile(
            rf"^(?:[\s,]+(?:people|suspects|militants|men))?[\s,]+(?:(?:have|had|were|been|are)\s+)*(?i:{words('detained')})"
        ),
        # "287 pupils were unaccounted for", "one crew member of the carrier has been
        # missing": a noun phrase that no verb interrupts, then the missing.
        missing=re.compile(
            r"^(?:[\s,]+(?!(?:were|was|are|is|have|has|had|remain|remained|still|been|and|but|or)\b)[\w’'-]+){0,8}?"
            rf"[\s,]+(?:(?:are|were|is|was|remain|remained|still|has|have|had|been)\s+)*(?i:{words('missing')})(?![\w-])"
        ),
        breakdown_lead=re.compile(
            r"^\W*(?i:of (?:them|those|these|which|whom)|of the \d[\d,]*|among them|including|the remaining|the other|the rest|"
            r"among the (?:dead|killed|injured|wounded)|"
            r"(?:the|those)\s+(?:dead|killed|injured|wounded)\s+(?:included|include|comprised|were))\b"
        ),
        of_them=re.compile(
            r"^\s+(?i:of (?:them|those|these|which|whom|the (?:attacks|strikes|incidents|injured|wounded)))\b"
        ),
        target_prep=re.compile(r"(?i:\b(?:on|against|targeting|at|toward|towards)\s+(?:the\s+)?)$"),
        times=re.compile(rf"^[\s,]+(?i:{words('times')})(?![\w-])"),
        attack_verb=re.compile(rf"(?<![\w-])(?i:{words('attack_verb')})(?![\w-])"),
        held_before=re.compile(rf"(?i:{words('held')})\s+$"),
        displaced_before=re.compile(rf"(?i:{words('displaced_before')})\s+$"),
        # "20 of them in Iraq", "24 separate times in Iraq", "18 were in Syria"
        # "and roughly 2,500 in neighbouring Iraq": one lowercase word may stand before the country.
        regional=re.compile(
            r"^\s+(?:[A-Za-z][\w-]*\s+){0,8}?in\s+(?:the\s+)?(?:[a-z][\w-]*\s+)?"
            r"(?!(?:January|February|March|April|May|June|July|August|September|October|November|December)\b)[A-Z]"
        ),
        speech_day=re.compile(
            r"\b(?:said|told reporters|announced|reported|released|gave|briefed)\s+(?:on\s+)?$"
        ),
        # "the number of US personnel injured stood at 59", "the count of injured ... stood at 21"
        count_of=re.compile(
            r"(?i:\b(?:number|count|total|tally|toll)\s+of\s+)(?:[\w.'’-]+\s+){0,5}?"
            r"(?P<noun>injured|wounded|hurt|injuries|killed|dead|deaths|attacks|strikes|TBI|traumatic brain injuries)\b"
            r"(?:[\s,]+[\w.'’-]+){0,16}?[\s,]+(?i:stood at|stands at|remained at|remains at|remained|rose to|has risen to|"
            r"gave as|given as|put at|put it at|listed as|"
            r"climbed to|reached|increased to|grew to|was|is|at|to|now)\s*$"
            r"|(?i:\b(?P<noun2>injured|wounded|casualty|death|attack|injury)\s+(?:figure|toll|count|tally|total|number)"
            r"(?:\s+[\w.'’-]+){0,4}?\s+(?:stood at|stands at|remained at|rose to|has risen to|climbed to|reached|"
            r"increased to|grew to|was|is|at|to|now)\s*$)"
        ),
        custody=re.compile(rf"(?<![\w-])(?i:{words('custody')})(?![\w-])"),
        held_people=re.compile(rf"^[\s,]+(?i:{words('held_people')})(?![\w-])"),
        uprooted=re.compile(rf"(?i:{words('uprooting')})\s+$"),
        # "The insurgency, now in its 15th year, has killed more than 40,000 people"
        war_toll=re.compile(
            rf"(?<![\w-])(?i:{words('war')})(?![\w-])[^.;:]{{0,90}}?\b(?:has|have|had)\s+(?:now\s+|already\s+|so far\s+)?"
            r"(?:killed|displaced|driven|forced|uprooted|left|claimed|cost)\b"
        ),
        # "at least 6 vessels attacked", "40 health facilities have been hit since May": each
        # target attacked is an attack (not "6 militants attacked the base": a verb's object follows)
        targets_hit=re.compile(
            rf"^(?:[\s,]+[\w-]+){{0,2}}?[\s,]+(?i:{words('attacked_targets')})\s+"
            r"(?:(?:were|have been|had been|has been|was)\s+)?(?i:attacked|targeted|hit|struck|damaged in attacks)"
            r"(?=\s*(?:[.,;:)(]|$)|\s+(?:since|in|so far|this|last|during|over)\b)"
        ),
        not_fighters=re.compile(
            r"(?i:\b(?:service|crew|family|staff|party|board|cabinet|council|parliament)[\s-]+members?\b)"
        ),
    )
