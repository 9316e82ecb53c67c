"""Mutated reports for fuzzing the loader: hypothesis strategies over the seeds and the samples.

A case is a source report, a few line edits (delete, duplicate, shuffle, move, truncate, splice
in lines of another report, damage a line, join/split/swap/empty its cells), a newline style, an encoding (one for the whole file or
a second one from some line on) and a few byte edits (truncate, flip, insert). `build` turns a case
into the bytes of a file; `describe` names it in one line for a failure report; `check` loads the
file and says whether the loader behaved.

Used by the short property test (tests/test_fuzz_loader.py) and the long run (bench/fuzz_loader.py).
"""

from __future__ import annotations

import random
import re
import traceback
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from hypothesis import strategies as st

from loaders.pipeline import load_report
from ontology.errors import ReportError
from piagraph.sparql import nt_lines
from tests.conftest import SAMPLES, SEED_FILES, SEEDS

ENCODINGS = ("utf-8", "utf-8-sig", "cp932", "euc_jp", "euc_jis_2004", "shift_jis_2004", "utf-16")
NEWLINES = ("\n", "\r\n", "\r")
# Characters a damaged or hostile file may hold: controls, marks, brackets, form furniture, odd spaces.
ODD_TEXT = ["\t", "\x00", "\x0b", "\x0c", "\x1b", "\x7f", "\u2028", "\ufeff", "\u3000", "\u202e", "☑", "☐",
            "■", "□", "○", "[", "]", "(", ")", "<", ">", "&", "①", "⑳", "1.", "I ", "III リスク対策",
            "システム1", "委託事項1", "提供先3~5", "<選択肢>", "令和", "年", "<script>", "&lt;", "\\", '"',
            "評価書番号", "公表日", "\U0001f600", "\ud7ff", "𠮷", "|", "#", "---"]


@cache
def sources() -> dict[str, str]:
    """Name → text of every report the fuzzer mutates: the samples, and the seeds when present."""
    texts = {path.name: path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt"))}
    for name in SEED_FILES.values():
        if (SEEDS / name).exists():
            texts[name] = (SEEDS / name).read_text(encoding="utf-8")
    return texts


@dataclass(frozen=True)
class Case:
    source: str
    line_edits: tuple
    newline: str
    encoding: str
    second_encoding: tuple | None  # (encoding, from where: a fraction of the lines)
    byte_edits: tuple


fraction = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
span = st.integers(min_value=1, max_value=40)

line_edit = st.one_of(
    st.tuples(st.just("delete"), fraction, span),
    st.tuples(st.just("duplicate"), fraction, span, st.integers(min_value=1, max_value=5)),
    st.tuples(st.just("shuffle"), fraction, span, st.integers(min_value=0, max_value=2**32 - 1)),
    st.tuples(st.just("move"), fraction, span, fraction),
    st.tuples(st.just("truncate"), fraction),
    st.tuples(st.just("splice"), st.integers(min_value=0, max_value=100), fraction, span, fraction),
    st.tuples(st.just("damage"), fraction, fraction, st.sampled_from(ODD_TEXT)),
    st.tuples(st.just("cut"), fraction, fraction),  # cut a line short (or keep only its end)
    st.tuples(st.just("cells"), fraction, st.sampled_from(["join", "split", "swap", "empty"])),
)
byte_edit = st.one_of(
    st.tuples(st.just("truncate"), fraction),
    st.tuples(st.just("flip"), fraction, st.integers(min_value=1, max_value=255)),
    st.tuples(st.just("insert"), fraction, st.binary(min_size=1, max_size=8)),
)


def cases(max_line_edits: int = 4) -> st.SearchStrategy[Case]:
    return st.builds(
        Case,
        source=st.sampled_from(sorted(sources())),
        line_edits=st.lists(line_edit, max_size=max_line_edits).map(tuple),
        newline=st.sampled_from(NEWLINES),
        encoding=st.sampled_from(("utf-8",) * len(ENCODINGS) + ENCODINGS),  # UTF-8 half of the time
        second_encoding=st.none() | st.none() | st.tuples(st.sampled_from(ENCODINGS), fraction),
        byte_edits=st.lists(byte_edit, max_size=2).map(tuple),
    )


def _at(position: float, length: int) -> int:
    return min(int(position * length), max(length - 1, 0))


def edit_lines(lines: list[str], edit: tuple) -> list[str]:
    kind, *args = edit
    if not lines:
        return lines
    if kind == "delete":
        start, count = _at(args[0], len(lines)), args[1]
        return lines[:start] + lines[start + count:]
    if kind == "duplicate":
        start, count, times = _at(args[0], len(lines)), args[1], args[2]
        return lines[:start + count] + lines[start:start + count] * times + lines[start + count:]
    if kind == "shuffle":
        start, count, seed = _at(args[0], len(lines)), args[1], args[2]
        window = lines[start:start + count]
        random.Random(seed).shuffle(window)
        return lines[:start] + window + lines[start + count:]
    if kind == "move":
        start, count = _at(args[0], len(lines)), args[1]
        moved, rest = lines[start:start + count], lines[:start] + lines[start + count:]
        target = _at(args[2], len(rest) + 1) if rest else 0
        return rest[:target] + moved + rest[target:]
    if kind == "truncate":
        return lines[:_at(args[0], len(lines)) + 1]
    if kind == "splice":
        other = sorted(sources())[args[0] % len(sources())]
        donor = sources()[other].split("\n")
        start, count, target = _at(args[1], len(donor)), args[2], _at(args[3], len(lines) + 1)
        return lines[:target] + donor[start:start + count] + lines[target:]
    if kind == "damage":
        index = _at(args[0], len(lines))
        line = lines[index]
        at = _at(args[1], len(line) + 1)
        return lines[:index] + [line[:at] + args[2] + line[at:]] + lines[index + 1:]
    if kind == "cut":
        index = _at(args[0], len(lines))
        line = lines[index]
        at = _at(args[1], len(line) + 1)
        return lines[:index] + [line[:at] if args[1] < 0.5 else line[at:]] + lines[index + 1:]
    if kind == "cells":
        index = _at(args[0], len(lines))
        cells = lines[index].split("\t")
        if args[1] == "join":
            cells = [" ".join(cells)]
        elif args[1] == "split":
            cells = [part for cell in cells for part in cell.split(" ", 1)]
        elif args[1] == "swap":
            cells = cells[::-1]
        else:
            cells = cells[:1] + [""] * (len(cells) - 1)
        return lines[:index] + ["\t".join(cells)] + lines[index + 1:]
    raise ValueError(f"unknown line edit {kind!r}")


def edit_bytes(data: bytes, edit: tuple) -> bytes:
    kind, *args = edit
    if kind == "truncate":
        return data[:_at(args[0], len(data)) + 1]
    if kind == "flip":
        if not data:
            return data
        at = _at(args[0], len(data))
        return data[:at] + bytes([data[at] ^ args[1]]) + data[at + 1:]
    if kind == "insert":
        at = _at(args[0], len(data) + 1)
        return data[:at] + args[1] + data[at:]
    raise ValueError(f"unknown byte edit {kind!r}")


def build(case: Case) -> bytes:
    """The bytes of the mutated file."""
    lines = sources()[case.source].split("\n")
    for edit in case.line_edits:
        lines = edit_lines(lines, edit)
    if case.second_encoding is None:
        data = case.newline.join(lines).encode(case.encoding, "replace")
    else:
        second, where = case.second_encoding
        cut = _at(where, len(lines) + 1)
        data = (case.newline.join(lines[:cut]) + case.newline).encode(case.encoding, "replace")
        data += case.newline.join(lines[cut:]).encode(second, "replace")
    for edit in case.byte_edits:
        data = edit_bytes(data, edit)
    return data


def describe(case: Case) -> str:
    return (f"{case.source} lines{list(case.line_edits)} newline={case.newline!r} {case.encoding}"
            f"{f' then {case.second_encoding}' if case.second_encoding else ''} bytes{list(case.byte_edits)}")


def check(path: Path, data: bytes) -> tuple[str, str | None]:
    """(outcome, problem): ``loaded`` or the refusal's reason in short, and None if the loader
    behaved, else what went wrong, in one line."""
    path.write_bytes(data)
    try:
        loaded = load_report(path)
    except ReportError as error:
        message = str(error)
        if "\n" in message or "\r" in message or not message.startswith(str(path)):
            return "refused", f"ReportError message is not one line naming the file: {message[:200]!r}"
        cause = error.__cause__
        if cause is not None and not isinstance(cause, ReportError):  # an extractor crash, wrapped
            frame = traceback.extract_tb(cause.__traceback__)[-1]
            return "crashed", (f"wrapped {type(cause).__name__}: {str(cause)[:150]} "
                               f"at {Path(frame.filename).name}:{frame.lineno}")
        return "refused: " + _short(error.reason), None
    except Exception as error:  # the failure this run looks for
        frame = traceback.extract_tb(error.__traceback__)[-1]
        return "crashed", f"{type(error).__name__}: {str(error)[:150]} at {Path(frame.filename).name}:{frame.lineno}"
    try:
        list(ox.parse(nt_lines(loaded.graph).encode("utf-8"), ox.RdfFormat.N_TRIPLES))
    except Exception as error:
        return "loaded", f"graph cannot be stored: {type(error).__name__}: {str(error)[:150]}"
    return "loaded", None


def _short(reason: str) -> str:
    """A refusal's reason without its particulars (offsets, bytes, section lists), to count kinds."""
    head = re.split(r"[(:;]", reason, maxsplit=1)[0]
    return re.sub(r"(?<![\w-])\d+", "N", head).strip()
