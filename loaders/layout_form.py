"""The form as the layout-lost reader needs it: every row with its label, its circled number, the
kind of value it holds and, for closed choices, the option list.

The rows come from the form's description (`loaders.forms`), the same rows the tidy extractor
anchors on (`loaders.extract`), so both paths read the form the same way. The kind says how a value
that lost its place can be recognised:

- ``line`` / ``text``: free text (one line / any length); placed only beside its label.
- ``choice``: one option of `options` (``10人以上50人未満``), recognised wherever it stands.
- ``ticks``: a checkbox group; torn marks are read per option (`loaders.layout_marks`).
- ``org``: a body's name (株式会社…, …連合会, …基金), recognised by its shape.
- ``date``: a 和暦 or Western date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from loaders.fields import label_key
from loaders.forms import DEFAULT_FORM, Form, load_form

# Block kinds in the order the form prints them (a 提供先 block never follows a 移転先 block).
BLOCK_ORDER = {"system": 0, "entrustment": 1, "provision": 2, "transfer": 3}
BLOCK_WORDS = {"system": "システム", "entrustment": "委託事項", "provision": "提供先", "transfer": "移転先"}


@dataclass(frozen=True)
class Row:
    """One row of the form."""

    section: str  # the section key: "cover", "I", "II", "III" …
    part: int | None  # the numbered part (``4. 委託``); None on the cover
    number: int | None  # the circled number before the label (①→1); None when the form has none
    label: str  # the form's wording, as the tidy extractor anchors on it
    kind: str  # line, text, choice, ticks, org, date
    options: tuple[str, ...] = ()
    block: str | None = None  # system, entrustment, provision, transfer, or None
    names_block: bool = False  # the row names what its block is about (システムの名称, 委託先名)
    count: bool = False  # "(N) 件" follows the selected option (委託の有無, 提供・移転の有無)

    @cached_property
    def key(self) -> str:
        return label_key(self.label)


def _form(form: Form | None) -> Form:
    return form or load_form(DEFAULT_FORM)


@lru_cache(maxsize=None)
def _rows(form: Form) -> dict[str, list[Row]]:
    found: dict[str, list[Row]] = {}
    for section in form.sections:
        rows = [Row(section.key, None, f.number, f.label, f.kind, f.options, f.block, f.names_block, f.count)
                for f in section.fields if f.layout and not f.at_heading]
        for part in section.parts:
            rows += [Row(section.key, part.number, f.number, f.label, f.kind, f.options, f.block, f.names_block, f.count)
                     for f in part.fields if f.layout and not f.at_heading and part.role != "audit"]
        rows += [Row(section.key, item.part, item.number, item.label, "choice", item.options) for item in section.rated]
        for part in section.parts_with_role("audit"):
            rows += [Row(section.key, part.number, None, f.label, f.kind, f.options) for f in part.fields]
        if rows:
            found[section.key] = rows
    return found


def rows(form: Form | None = None) -> dict[str, list[Row]]:
    """Every row of the form, per section, in the form's order."""
    return _rows(_form(form))


def group_labels(form: Form | None = None) -> tuple[str, ...]:
    """Labels of the form that head a group of rows and hold no value themselves."""
    return _form(form).group_labels


_CIRCLED_NUMBER = re.compile(r"^\s*(\d{1,2})(?=\D)")


def circled_number(text: str) -> int | None:
    """The leading circled number of a label after NFKC (``①システムの名称`` → ``1システムの名称`` → 1)."""
    match = _CIRCLED_NUMBER.match(text)
    return int(match.group(1)) if match else None


def subsection_title(section: str, part: int, form: Form | None = None) -> str:
    described = _form(form).section(section)
    found = described.part(part) if described else None
    return found.title if found else ""
