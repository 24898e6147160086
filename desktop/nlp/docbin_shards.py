"""The DocBin export as a folder of ``.spacy`` shards, so that memory stays flat.

One DocBin holds the whole set until it is written (581 MB at 10,000 articles); written as
shards of ``SHARD_DOCS`` documents, only one shard is held at a time. ``spacy train``
reads a folder as one corpus (``--paths.train train/``: every ``.spacy`` file under it),
and ``quotedesk import`` reads the folder's shards back in order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from functools import partial
from typing import IO

from desktop.domain import Article
from desktop.nlp.docbin import DOC_ATTRS, article_doc, fast_msgpack, register_extensions
from desktop.nlp.tokenize import make_doc

SHARD_DOCS = 500

OpenShard = Callable[[int], AbstractContextManager[IO[bytes]]]


def shard_name(n: int) -> str:
    """The file name of shard ``n``: names sort in the order the articles were written."""
    return f"{n:05d}.spacy"


def write_docbin_shards(
    articles: Iterator[Article], open_shard: OpenShard, per_shard: int | None = None
) -> int:
    """Write the articles as DocBins of ``per_shard`` (default ``SHARD_DOCS``) documents,
    each into the file that ``open_shard(n)`` opens; how many articles were written."""
    per_shard = per_shard or SHARD_DOCS
    import spacy
    from spacy.tokens import DocBin

    register_extensions()
    nlp = spacy.blank("en")
    tokenizer = partial(make_doc, nlp)
    count = shards = 0
    docbin = DocBin(attrs=DOC_ATTRS, store_user_data=True)
    with fast_msgpack():
        for article in articles:
            docbin.add(article_doc(article, nlp.vocab, tokenizer))
            count += 1
            if len(docbin) >= per_shard:
                with open_shard(shards) as fh:
                    fh.write(docbin.to_bytes())
                shards += 1
                docbin = DocBin(attrs=DOC_ATTRS, store_user_data=True)
        if len(docbin):
            with open_shard(shards) as fh:
                fh.write(docbin.to_bytes())
    return count
