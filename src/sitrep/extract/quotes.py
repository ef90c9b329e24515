"""Quote assembler: direct speech with its speaker.

A quotation of five words or more is a quote; its speaker is the source named in the
same sentence, or in the sentence before ("The official then said, “...”") or after
("“...,” the official added.").
"""

from __future__ import annotations

import re

from sitrep.extract.tagged import Tagged
from sitrep.model import Evidence, Quote

_QUOTED = re.compile(r"“([^”]{20,}?)”|\"([^\"\n]{20,}?)\"")


def assemble_quotes(t: Tagged) -> list[Quote]:
    out: list[Quote] = []
    for m in _QUOTED.finditer(t.text):
        group = 1 if m.group(1) is not None else 2
        body = m.group(group).strip()
        if len(body.split()) < 5:
            continue
        i = t.sentence_of(m.start())
        source = None
        if i is not None:
            for j in (i, i - 1, i + 1):
                if 0 <= j < len(t.sentences):
                    found = [
                        a
                        for a in t.in_sentence("attributions", j)
                        if not (m.start() < a.start < m.end())
                    ]
                    if found:
                        source = found[0]
                        break
        start, end = m.span(group)
        quote = Quote(text=body, evidence=[Evidence("text", start, end, t.text[start:end])])
        if source is not None:
            quote.speaker = source.source
            quote.evidence.append(Evidence("speaker", source.start, source.end, source.text))
        out.append(quote)
    return out
