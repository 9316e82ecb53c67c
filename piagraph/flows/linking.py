"""Cross-report linking: join the flow graphs of different reports where they name the same thing.

The loader already gives one node to a department written the same way in two reports of one
municipality, and one node to a body or canonical system written the same way anywhere. This
module adds ``same-as`` edges (both directions, with the ``rule`` that matched) for the fuzzier
cases an auditor follows:

* **departments of one municipality** (部署): the same name once spacing, brackets and a trailing 等
  are dropped (``市民生活部国保年金課`` = ``市民生活部 国保年金課``), and the 部/課 hierarchy: a
  移転先 ``高齢介護課`` or ``福祉保健部 高齢介護課`` is the department ``(健康)福祉保健部 高齢介護課``
  when the shorter name is the tail of exactly one longer one. Departments of different
  municipalities are never compared (their IRIs carry the municipality).
* **bodies across reports** (団体・委託先): 後期高齢者医療広域連合, 国民健康保険団体連合会 (国保連合会),
  厚生労働大臣 … written alike once normalised, including a body that is a 委託先 in one report and
  an 入手元 in another. Generic names (市町村長, 他市町村) are kept apart per municipality by the
  flow model and never linked.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from loaders.names import normalise_org_name

_UNIT_END = r"(?:局|部|課|室|係|班|センター|事務所|出張所|支所|担当)"
_PARENTHESES = re.compile(r"\([^()]*\)")
_ABBREVIATIONS = (
    ("国保連合会", "国民健康保険団体連合会"),
    ("国保連", "国民健康保険団体連合会"),
)


@dataclass(frozen=True)
class Link:
    """Two nodes joined by a ``same-as`` edge, and why."""

    a: str
    b: str
    rule: str


def _compact(name: str) -> str:
    text = unicodedata.normalize("NFKC", normalise_org_name(name))
    text = _PARENTHESES.sub("", text)
    return re.sub(r"等$", "", text.strip())


def department_units(name: str) -> tuple[str, ...]:
    """The 部/課 hierarchy of a department name, top first.

    >>> department_units("財政局 税務部 市民税課")
    ('財政局', '税務部', '市民税課')
    >>> department_units("福祉保健部高齢介護課")
    ('福祉保健部', '高齢介護課')
    >>> department_units("課税課")
    ('課税課',)
    """
    units: list[str] = []
    for word in _compact(name).split():
        units.extend(_split_word(word))
    return tuple(units)


def _split_word(word: str) -> list[str]:
    # Split only where a unit name of two or more characters ends and another whole unit follows,
    # so 課税課 or 部長 stay whole.
    parts: list[str] = []
    rest = word
    while True:
        match = re.match(rf"^(.{{2,}}?{_UNIT_END})(.{{2,}}{_UNIT_END})$", rest)
        if not match:
            parts.append(rest)
            return parts
        parts.append(match.group(1))
        rest = match.group(2)


def body_key(name: str) -> str:
    """The key two names of one body share: NFKC, no spaces, abbreviations spelled out, no 等."""
    text = _compact(name).replace(" ", "")
    for short, long in _ABBREVIATIONS:
        if short in text and long not in text:
            text = text.replace(short, long)
    return text


def department_links(graph: nx.MultiDiGraph) -> list[Link]:
    """Same-municipality departments that name the same unit (see the module docstring)."""
    links: list[Link] = []
    by_municipality: dict[str, list[str]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        if data["kind"] == "department":
            by_municipality[data.get("municipality") or data.get("body", "")].append(node)
    for nodes in by_municipality.values():
        units = {node: department_units(graph.nodes[node]["label"]) for node in nodes}
        by_units: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for node, hierarchy in units.items():
            by_units[hierarchy].append(node)
        for same in by_units.values():
            links += [Link(same[0], other, "部署名の正規化") for other in same[1:]]
        links += _hierarchy_links(by_units)
    return links


def _hierarchy_links(by_units: dict[tuple[str, ...], list[str]]) -> list[Link]:
    """A shorter name joins the longer names it is the tail of, if those form one chain."""
    links: list[Link] = []
    for short, short_nodes in by_units.items():
        if not short:
            continue
        longer = [h for h in by_units if len(h) > len(short) and h[-len(short):] == short]
        if not longer:
            continue
        longer.sort(key=len)
        # 税務課 under both 市民生活部 and 財務部 is ambiguous: link nothing rather than guess.
        if any(longer[i] != longer[i + 1][-len(longer[i]):] for i in range(len(longer) - 1)):
            continue
        nearest = longer[0]
        links.append(Link(short_nodes[0], by_units[nearest][0], "部/課の階層"))
    return links


def body_links(graph: nx.MultiDiGraph) -> list[Link]:
    """Bodies and contractors of any report whose names normalise equal."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        if data["kind"] in ("organization", "contractor") and not data.get("scoped") and not data.get("unknown"):
            by_key[body_key(data["label"])].append(node)
    links: list[Link] = []
    for nodes in by_key.values():
        nodes.sort()
        links += [Link(nodes[0], other, "団体名の正規化") for other in nodes[1:]]
    return links


def link_graph(graph: nx.MultiDiGraph) -> list[Link]:
    """Add ``same-as`` edges for every link found; return the links."""
    links = department_links(graph) + body_links(graph)
    for link in links:
        for a, b in ((link.a, link.b), (link.b, link.a)):
            graph.add_edge(a, b, key=f"same-as#{a}#{b}", kind="same-as", kind_label="同一", rule=link.rule)
    return links
