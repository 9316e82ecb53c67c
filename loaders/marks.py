"""Reading the form's choices: checkbox groups (複数選択) and single choices (``[…] <選択肢>``).

`normalise` has turned every mark into one of four characters. A ticked (☑) or empty (☐) mark is
read as written. A bare radio (◉) or bare checkbox (▢) lost its state in the conversion; its state
is inferred from the marks beside it, the document's own habit and the text in its ``( … )``, and
the result carries a confidence below 1 so the graph says it was inferred.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from loaders.normalise import BARE_CHECKBOX, BARE_RADIO, EMPTY, MARKS, TICKED
from loaders.records import CERTAIN, Choice, Evidence, Tick

INFERRED_FROM_NEIGHBOURS = 0.8
INFERRED_FROM_DOCUMENT = 0.6
UNDECIDED = 0.5
DETAIL_EVIDENCE = 0.9

# Why a mark's state was inferred, by how (shown to the auditor with the value).
MARK_REASONS = {
    INFERRED_FROM_NEIGHBOURS: "変換で記号の状態が失われたチェックボックス: 同じ項目の他の記号から推定",
    INFERRED_FROM_DOCUMENT: "変換で記号の状態が失われたチェックボックス: この文書の記号の書き方から推定",
    UNDECIDED: "変換で記号の状態が失われたチェックボックス: 状態を決められない",
    DETAIL_EVIDENCE: "変換で記号の状態が失われたチェックボックス: ( ) 内の記載をチェックの根拠とした",
}
CHOICE_BETWEEN_MARKS = "括弧ではなく記号で区切られた選択: 選択された選択肢を推定"

_MARK_SPLIT = re.compile(f"([{MARKS}])")
_OPTION_LIST = re.compile(r"<選択肢>")
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")
_DETAIL = re.compile(r"^\s*\(([^()]*)\)")
_COUNT = re.compile(r"\(\s*(\d*)\s*\)\s*件")


def option_key(text: str) -> str:
    """Matching key: NFKC, no spaces, no decorative brackets."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s「」『』]", "", text)


@dataclass(frozen=True)
class DocumentHabit:
    """How this conversion writes bare checkboxes: beside ticked marks (so bare = empty) or
    beside empty marks (so bare = ticked). Learnt from the whole document."""

    bare_means_ticked: bool | None

    @classmethod
    def learn(cls, texts: list[str]) -> "DocumentHabit":
        votes = Counter()
        for text in texts:
            marks = set(_MARK_SPLIT.findall(text))
            if BARE_CHECKBOX not in marks:
                continue
            if TICKED in marks and EMPTY not in marks:
                votes["empty"] += 1
            elif EMPTY in marks and TICKED not in marks:
                votes["ticked"] += 1
        if votes["ticked"] == votes["empty"]:
            return cls(None)
        return cls(votes["ticked"] > votes["empty"])


def _segments(text: str) -> list[tuple[str, str]]:
    """(mark, following text) pairs of a group."""
    parts = _MARK_SPLIT.split(text)
    return [(parts[i], parts[i + 1] if i + 1 < len(parts) else "") for i in range(1, len(parts), 2)]


@lru_cache(maxsize=None)
def option_pattern(option: str) -> re.Pattern:
    """An option's text allowing spaces between its characters, as conversions insert them."""
    return re.compile(r"\s*".join(re.escape(char) for char in option_key(option)))


def _match_option(text: str, options: list[str]) -> tuple[str, str] | None:
    """The longest option the text starts with, and the rest of the text after it."""
    for option in sorted(options, key=lambda o: -len(option_key(o))):
        match = option_pattern(option).match(text)
        if match:
            return option, text[match.end():]
    return None


def _state(mark: str, group_marks: set[str], habit: DocumentHabit) -> tuple[bool, float]:
    if mark == TICKED:
        return True, CERTAIN
    if mark == EMPTY:
        return False, CERTAIN
    if mark == BARE_RADIO:
        return True, INFERRED_FROM_NEIGHBOURS
    explicit_ticked = TICKED in group_marks
    explicit_empty = EMPTY in group_marks
    if explicit_ticked and not explicit_empty:
        return False, INFERRED_FROM_NEIGHBOURS
    if explicit_empty and not explicit_ticked:
        return True, INFERRED_FROM_NEIGHBOURS
    if BARE_RADIO in group_marks and not explicit_ticked:
        return False, INFERRED_FROM_NEIGHBOURS
    if habit.bare_means_ticked is not None:
        return habit.bare_means_ticked, INFERRED_FROM_DOCUMENT
    return False, UNDECIDED


def read_ticks(text: str, options: list[str], evidence: Evidence, habit: DocumentHabit) -> list[Tick]:
    """Every recognised option of a checkbox group with its state; unknown option text is skipped."""
    segments = _segments(text)
    group_marks = {mark for mark, _ in segments}
    ticks: list[Tick] = []
    for mark, following in segments:
        matched = _match_option(following.strip(), options)
        if matched is None:
            continue
        option, rest = matched
        detail_match = _DETAIL.match(rest)
        detail = detail_match.group(1).strip() if detail_match else None
        ticked, confidence = _state(mark, group_marks, habit)
        if detail and confidence < CERTAIN and not ticked:
            ticked, confidence = True, DETAIL_EVIDENCE
        elif detail and confidence < CERTAIN:
            confidence = max(confidence, DETAIL_EVIDENCE)
        ticks.append(Tick(option, ticked, evidence, confidence, detail or None, MARK_REASONS.get(confidence)))
    return ticks


def read_choice(text: str, options: list[str], evidence: Evidence) -> Choice:
    """The selected option of a single choice.

    The form prints the selection in brackets before ``<選択肢>``; conversions keep the brackets
    (``[十分である]``), replace them with marks (``▢ 十分である ▢ <選択肢>``) or move them after the
    option list. A bracketed option is certain; one delimited only by marks is inferred.
    """
    for inside in _BRACKETED.findall(text):
        option = exact_option(inside, options)
        if option:
            return Choice(option, evidence)
    head = _OPTION_LIST.split(text, maxsplit=1)[0] if _OPTION_LIST.search(text) else text
    head = _COUNT.sub("", head)
    option = exact_option(head, options)
    if option:
        has_marks = any(m in head for m in MARKS)
        inferred = has_marks and EMPTY in head
        return Choice(option, evidence, INFERRED_FROM_NEIGHBOURS if inferred else CERTAIN,
                      CHOICE_BETWEEN_MARKS if inferred else None)
    return Choice(None, evidence)


def exact_option(text: str, options) -> str | None:
    """The option the text is, marks and brackets aside (``[ 十分である`` → 十分である), or None."""
    key = option_key(re.sub(f"[{MARKS}\\[\\]]", "", text))
    if not key:
        return None
    for option in options:
        if option_key(option) == key:
            return option
    return None


def read_count(text: str, label: str = "") -> int | None:
    """The ``(N) 件`` stated after a label (or the first one when no label is given)."""
    start = text.find(label) if label else 0
    if start < 0:
        return None
    match = _COUNT.search(text, start)
    if not match or not match.group(1):
        return None
    return int(match.group(1))
