"""Label-anchored fields: the rows of the form (``①委託内容	…``) read into label → value.

A row is found by its label (the form's fixed wording, matched after NFKC with the circled number and
``※`` ignored). Its value is the rest of the row plus the lines that follow until the next label:
conversions split long values across lines. A value line that follows a one-line field (a name)
cannot belong to it; if the field the form puts next is missing, it fills that field with a
lowered confidence, otherwise it is kept as unresolved text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.normalise import MARKS, Line
from loaders.records import Evidence, Text

INFERRED_PLACEMENT = 0.8
PLACEMENT_REASON = "一行の項目の後に続いた記載: 様式で次に来る空の項目の値とした"

_LEADING_NUMBER = re.compile(r"^(?:\(\d{1,2}\)|\d{1,2}(?=[^\d.,]))\s*")
_IGNORED = re.compile(r"[\s※*]")
_EMPTY_VALUES = {"", "—", "-", "―", "ー", "―", "──", "なし"}


@dataclass(frozen=True)
class FieldSpec:
    """A row of the form: the name used in the records, its label, whether its value is one line."""

    name: str
    label: str
    single_line: bool = False


@dataclass
class Field:
    """A field as found: its text (cells joined), first line, and the lines it was read from."""

    spec: FieldSpec
    line: Line
    parts: list[str] = field(default_factory=list)
    confidence: float = 1.0

    @property
    def text(self) -> str:
        return " ".join(part for part in self.parts if part).strip()


def label_key(cell: str) -> str:
    """A cell as a label: no circled number (NFKC made ① into 1), no ※, no spaces."""
    return _IGNORED.sub("", _LEADING_NUMBER.sub("", cell))


def _match_label(cell: str, specs: list[FieldSpec]) -> tuple[FieldSpec, str] | None:
    """The longest label the cell starts with, and what follows it in the cell."""
    key = label_key(cell)
    if not key:
        return None
    for spec in sorted(specs, key=lambda s: -len(s.label)):
        label = label_key(spec.label)
        if key.startswith(label):
            return spec, text_after_label(cell, label)
    return None


def text_after_label(cell: str, label: str) -> str:
    """The text of a cell after its label (``③委託先名 富士通Japan株式会社`` → the company)."""
    pattern = r"\s*".join(re.escape(char) for char in label)
    match = re.search(pattern, cell)
    rest = cell[match.end():] if match else ""
    return re.sub(r"^[\s※*]+", "", rest)


@dataclass
class FieldSet:
    """The fields found in a run of lines, and the lines no field could take."""

    fields: dict[str, Field]
    unresolved: list[Line]

    def text(self, name: str, section: str) -> Text | None:
        """A field as a `Text` record, or None when absent or empty (``—``)."""
        found = self.fields.get(name)
        if found is None or is_empty(found.text):
            return None
        reason = PLACEMENT_REASON if found.confidence < 1 else None
        return Text(found.text, Evidence(section, found.line.number), found.confidence, reason)

    def raw(self, name: str) -> str:
        found = self.fields.get(name)
        return found.text if found else ""

    def line(self, name: str) -> int | None:
        found = self.fields.get(name)
        return found.line.number if found else None


def is_empty(value: str) -> bool:
    return value.strip(" " + MARKS) in _EMPTY_VALUES


def read_fields(lines: list[Line], specs: list[FieldSpec], group_labels: set[str] = frozenset()) -> FieldSet:
    """Read the fields of `specs` from `lines` (one region: a sub-section or a block)."""
    found: dict[str, Field] = {}
    unresolved: list[Line] = []
    orphans: dict[str, list[Line]] = {}
    current: Field | None = None
    for line in lines:
        if line.is_blank:
            continue
        matched = _find_label(line, specs, group_labels)
        if matched:
            spec, rest = matched
            if spec.name in found:
                current = found[spec.name]
                current.parts.append(rest)
            else:
                current = Field(spec, line, [rest])
                found[spec.name] = current
        elif current is None:
            unresolved.append(line)
        elif current.spec.single_line and current.text:
            orphans.setdefault(current.spec.name, []).append(line)
        else:
            current.parts.append(line.text)
    unresolved.extend(_place_orphans(orphans, found, specs))
    return FieldSet(found, unresolved)


def _find_label(line: Line, specs: list[FieldSpec], group_labels: set[str]) -> tuple[FieldSpec, str] | None:
    cells = list(line.cells)
    while len(cells) > 1 and label_key(cells[0]) in group_labels:
        cells.pop(0)
    matched = _match_label(cells[0], specs)
    if not matched:
        return None
    spec, rest = matched
    return spec, " ".join([rest, *cells[1:]]).strip()


def _place_orphans(orphans: dict[str, list[Line]], found: dict[str, Field], specs: list[FieldSpec]) -> list[Line]:
    """Give value lines that followed a one-line field to the next field of the form, if missing."""
    left: list[Line] = []
    names = [spec.name for spec in specs]
    for owner, lines in orphans.items():
        index = names.index(owner)
        if index + 1 < len(specs) and specs[index + 1].name not in found:
            spec = specs[index + 1]
            found[spec.name] = Field(spec, lines[0], [line.text for line in lines], INFERRED_PLACEMENT)
        else:
            left.extend(lines)
    return left
