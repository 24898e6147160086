"""Entity label sets: spaCy's OntoNotes labels by default, configurable per collection."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LabelDef:
    """A label the analyst can assign: its name, its colour (``#rrggbb`` or empty for the
    built-in one) and its key (``"1"``..``"9"`` or empty)."""

    name: str
    color: str = ""
    key: str = ""


DEFAULT_LABELS = [
    LabelDef(name, "", key)
    for name, key in (
        ("PERSON", "1"),
        ("ORG", "2"),
        ("GPE", "3"),
        ("NORP", "4"),
        ("LOC", "5"),
        ("FAC", "6"),
        ("EVENT", "7"),
        ("DATE", "8"),
        ("PRODUCT", "9"),
        ("WORK_OF_ART", ""),
        ("LAW", ""),
        ("LANGUAGE", ""),
        ("TIME", ""),
        ("PERCENT", ""),
        ("MONEY", ""),
        ("QUANTITY", ""),
        ("ORDINAL", ""),
        ("CARDINAL", ""),
    )
]


def labels_from_json(value: object) -> list[LabelDef]:
    """Read a stored label list, falling back to the defaults for anything malformed."""
    if not isinstance(value, list) or not value:
        return list(DEFAULT_LABELS)
    out = []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"]:
            out.append(
                LabelDef(item["name"], str(item.get("color") or ""), str(item.get("key") or ""))
            )
    return out or list(DEFAULT_LABELS)


def labels_to_json(labels: list[LabelDef]) -> list[dict[str, str]]:
    return [{"name": lab.name, "color": lab.color, "key": lab.key} for lab in labels]
