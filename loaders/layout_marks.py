"""Checkbox marks torn apart by a lost layout: ``[ ○ ] 宛名システム等 [``, ``] 庁内連携システム``, ``○``.

A PDF draws ``[``, ``○`` and ``]`` as separate pieces of text, and an extractor that lost the
table puts them wherever it likes. An option's state can only be read when its mark stands right
before it on the same line: ``☑ 宛名システム等`` (normalise turned ``[ ○ ]`` into ☑) is ticked,
``☐ 税務システム`` is not, ``○ ] 紙`` (the opening bracket went elsewhere) is ticked. An option
preceded only by ``]`` lost its mark: its state is unknown, and it is reported as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.marks import option_pattern
from loaders.normalise import EMPTY, TICKED

CIRCLE_BEFORE_BRACKET = 0.9  # ``○ ] 紙``: the circle is there, its opening bracket went elsewhere

_TORN_TICK = re.compile(r"[○〇]\s*\]\s*$")
_DETAIL = re.compile(r"^\s*\(([^()]*)\)?")


@dataclass(frozen=True)
class TornMark:
    """One option as the torn text shows it; `ticked` None when its mark was lost."""

    option: str
    ticked: bool | None
    confidence: float
    detail: str | None = None


def find_options(text: str, options: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, option) occurrences, longest option first."""
    taken: list[tuple[int, int, str]] = []
    for option in sorted(options, key=len, reverse=True):
        for match in option_pattern(option).finditer(text):
            start, end = match.span()
            if all(end <= s or start >= e for s, e, _ in taken):
                taken.append((start, end, option))
    return sorted(taken)


def read_torn(text: str, options: tuple[str, ...]) -> list[TornMark]:
    """Every option named in a fragment, with its state when the fragment shows it."""
    found = find_options(text, options)
    marks: list[TornMark] = []
    previous_end = 0
    for index, (start, end, option) in enumerate(found):
        before = text[previous_end:start].rstrip()
        following_start = found[index + 1][0] if index + 1 < len(found) else len(text)
        detail_match = _DETAIL.match(text[end:following_start])
        detail = detail_match.group(1).strip() if detail_match else None
        if before.endswith(TICKED):
            marks.append(TornMark(option, True, 1.0, detail or None))
        elif before.endswith(EMPTY):
            marks.append(TornMark(option, False, 1.0, detail or None))
        elif _TORN_TICK.search(before):
            marks.append(TornMark(option, True, CIRCLE_BEFORE_BRACKET, detail or None))
        else:
            marks.append(TornMark(option, None, 0.0, detail or None))
        previous_end = end
    return marks


def merge(marks: list[TornMark]) -> dict[str, TornMark]:
    """One reading per option: a known state beats an unknown one; two known states that disagree
    make the option unknown again (two groups' fragments mixed on one page)."""
    merged: dict[str, TornMark] = {}
    for mark in marks:
        seen = merged.get(mark.option)
        if seen is None or (seen.ticked is None and mark.ticked is not None):
            merged[mark.option] = TornMark(mark.option, mark.ticked, mark.confidence, mark.detail or (seen and seen.detail))
        elif mark.ticked is not None and seen.ticked is not None and mark.ticked != seen.ticked:
            merged[mark.option] = TornMark(mark.option, None, 0.0, seen.detail or mark.detail)
        elif mark.detail and not seen.detail:
            merged[mark.option] = TornMark(seen.option, seen.ticked, seen.confidence, mark.detail)
    return merged
