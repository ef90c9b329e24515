"""Records for store tests, built with the model classes (sentences are the project's own)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sitrep.model import (
    ActorRef,
    Casualties,
    Claim,
    DateSpan,
    Document,
    Evidence,
    Extraction,
    IncidentMention,
    Interaction,
    Period,
    Place,
    Quote,
    Range,
    content_id,
    normalise_text,
)

US = ActorRef("us_forces", "US forces", "state_military")
MILITIA = ActorRef("irm", "Islamic Resistance in Iraq", "non_state_armed_group")


def document(
    text: str, *, published: date | None = date(2023, 10, 25), title: str | None = None, **kw
) -> Document:
    text = normalise_text(text)
    return Document(id=content_id(text), text=text, published=published, title=title, **kw)


def ev(text: str, doc_text: str, field: str) -> Evidence:
    start = doc_text.index(text)
    return Evidence(field, start, start + len(text), text)


def mention(
    doc: Document,
    span: str,
    *,
    day: date | None,
    country: str | None = "IQ",
    place: str = "Al-Asad Airbase",
    modes: tuple[str, ...] = ("rocket",),
    attacker: ActorRef | None = MILITIA,
    target: ActorRef | None = US,
    injured: Range | None = None,
) -> IncidentMention:
    return IncidentMention(
        date=DateSpan(day, None, "day" if day else None),
        place=Place(place, country, None, 33.8, 42.44, "facility"),
        attack_modes=list(modes),
        weapons=["rockets"] if "rocket" in modes else [],
        payload_kg=Range(8, 50) if "uas_one_way" in modes else Range(),
        attacker=attacker,
        target=target,
        outcome=["impact"],
        casualties=Casualties(injured=injured or Range()),
        attribution="a defence official",
        evidence=[ev(span, doc.text, "attack_modes")],
        confidence=0.8,
    )


def sample(n: int = 0) -> Extraction:
    """One report with two incidents, two claims (one a breakdown of the other), an
    interaction and a quote. ``n`` varies the text, so each n is a new document."""
    text = (
        f"Report {n}. Militants fired rockets at Al-Asad Airbase in western Iraq on 23 October, "
        "lightly injuring two service members. A one-way attack drone carrying 8 to 50 kg of "
        "explosives struck near Al-Tanf Garrison in Syria on 24 October. Since 17 October there "
        "have been at least 38 attacks on US and coalition forces, 20 of them in Iraq. "
        'Officials held talks on the future of the coalition. "We will respond at a time of our '
        'choosing," the spokesman said.'
    )
    doc = document(
        text,
        title=f"Attacks on coalition bases continue ({n})",
        url=f"https://news.example.org/{n}",
        outlet="Example News",
        retrieved=datetime(2023, 10, 25, 9, 30, tzinfo=UTC),
    )
    t = doc.text
    parent = Claim(
        measure="attacks",
        value=Range(38, None),
        qualifier="at_least",
        subject="US and coalition forces",
        subject_id="us_coalition",
        region=["IQ", "SY"],
        period=Period(date(2023, 10, 17), None),
        as_of=date(2023, 10, 25),
        attribution="Pentagon press secretary",
        evidence=[ev("at least 38 attacks", t, "value")],
    )
    parent.id = content_id(doc.id, "claim", 0)
    child = Claim(
        measure="attacks",
        value=Range.exact(20),
        subject="US and coalition forces",
        subject_id="us_coalition",
        region=["IQ"],
        period=Period(date(2023, 10, 17), None),
        breakdown_of=parent.id,
        evidence=[ev("20 of them in Iraq", t, "value")],
    )
    return Extraction(
        document=doc,
        incidents=[
            mention(doc, "fired rockets", day=date(2023, 10, 23), injured=Range.exact(2)),
            mention(
                doc,
                "one-way attack drone",
                day=date(2023, 10, 24),
                country="SY",
                place="Al-Tanf Garrison",
                modes=("uas_one_way",),
            ),
        ],
        claims=[parent, child],
        interactions=[
            Interaction(
                "CONSULT",
                US,
                ActorRef("iq_gov", "Iraqi government", "government"),
                DateSpan(date(2023, 10, 25), None, "day"),
                False,
                [ev("held talks", t, "type")],
            )
        ],
        quotes=[
            Quote(
                "the spokesman",
                None,
                "We will respond at a time of our choosing,",
                [ev("We will respond at a time of our choosing,", t, "text")],
            )
        ],
    )
