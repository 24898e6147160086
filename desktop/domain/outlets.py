"""Which outlet published an article, read from its metadata."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

OUTLET_KEYS = ("outlet", "publisher", "source", "site_name", "sitename", "site")
MAX_OUTLET = 200


def outlet_of(meta: Mapping[str, object]) -> str | None:
    """The outlet an article's metadata names (``outlet``, ``publisher``, ``source``,
    ``site_name``...), else the host of its ``url`` without ``www.``; None when neither is
    there. One line of at most 200 characters."""
    for key in OUTLET_KEYS:
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())[:MAX_OUTLET]
    url = meta.get("url")
    if isinstance(url, str) and url.strip():
        try:
            host = urlsplit(url.strip()).hostname
        except ValueError:
            return None
        if host:
            return host.removeprefix("www.")[:MAX_OUTLET]
    return None
