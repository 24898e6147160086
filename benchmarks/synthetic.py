"""Synthetic analyzed articles for benchmarks: generated text, never corpus text."""

from __future__ import annotations

import random

from desktop.domain import Article, Entity, Quote, QuoteKind, Source, Span

WORDS = (
    "the government said on Monday that talks with its neighbours would continue despite "
    "growing pressure from opposition lawmakers who warned of rising costs and delays in "
    "the northern region where officials reported new flooding after heavy rain"
).split()
NAMES = ["Ana Ruiz", "Tom Berg", "Lena Okafor", "Ravi Shah", "Mia Chen", "Omar Haddad"]


def article(
    words: int = 10_000,
    entities: int = 1_000,
    quotes: int = 100,
    seed: int = 1,
    external_id: str = "synthetic",
) -> Article:
    """An article of ``words`` words with that many entities and quotes (and 6 sources)."""
    rng = random.Random(seed)
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    every = max(1, words // max(entities, 1))
    for i in range(words):
        if i % every == 0 and len(spans) < entities:
            word = rng.choice(NAMES)
            spans.append((pos, pos + len(word), "PERSON"))
        else:
            word = rng.choice(WORDS)
        parts.append(word)
        pos += len(word) + 1
        if i % 20 == 19:
            parts[-1] += "."
            pos += 1
        if i % 60 == 59:  # a paragraph every three sentences, as in news
            parts[-1] += "\n"
            pos += 1
    text = " ".join(parts)
    ents = [Entity(s, e, label, text[s:e]) for s, e, label in spans]
    sources = [Source(f"s{n + 1}", name, "PERSON") for n, name in enumerate(NAMES)]
    quote_list = []
    step = max(1, len(ents) // max(quotes, 1))
    for n in range(quotes):
        speaker = ents[(n * step) % len(ents)]
        start = speaker.end + 1
        end = min(len(text), start + 120)
        source = next(s for s in sources if s.name == speaker.text)
        source.mentions.append(Span(speaker.start, speaker.end, speaker.text))
        quote_list.append(
            Quote(
                start,
                end,
                text[start:end],
                QuoteKind.INDIRECT,
                None,
                Span(speaker.start, speaker.end, speaker.text),
                source.key,
            )
        )
    return Article(
        external_id=external_id,
        text=text,
        title=f"Synthetic {external_id}",
        entities=ents,
        sources=sources,
        quotes=quote_list,
    )
