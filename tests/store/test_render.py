"""Query results as an auditor reads or exports them (`piagraph.store.render`).

The terminal table lines up Japanese text (全角 characters take two columns), cuts long cells, and
never lets a value drive the terminal; CSV, TSV and JSON keep every value exactly.
"""

from __future__ import annotations

import csv
import io
import json

from rdflib import Literal, URIRef

from ontology import ID
from piagraph.store.render import MAX_CELL_WIDTH, render
from piagraph.store.results import QueryResult, from_json

AFFAIR = "後期高齢者医療に関する事務"  # 13 全角 characters: 26 columns
LONG = "特定個人情報保護評価書" * 10  # 110 全角 characters: 220 columns


def result(*rows) -> QueryResult:
    return QueryResult("SELECT", variables=["事務", "根拠"], rows=list(rows))


def test_columns_line_up_in_terminal_columns_not_characters():
    lines = render(result((Literal(AFFAIR, lang="ja"), Literal("2025-02-14")), (Literal("介護保険"), None)), "table").splitlines()
    assert lines[0] == "事務" + " " * 22 + " | 根拠"
    assert lines[2].startswith(AFFAIR + " | 2025-02-14")
    assert lines[3] == "介護保険" + " " * 18 + " |"


def test_a_long_cell_is_cut_with_an_ellipsis_within_the_width():
    table = render(result((Literal(LONG), None)), "table")
    # 60 columns: 29 全角 characters (58 columns) and the one-column ellipsis
    assert MAX_CELL_WIDTH == 60
    assert table.splitlines()[2] == LONG[:29] + "… |"


def test_control_characters_are_shown_not_obeyed_and_line_breaks_are_spaces():
    hostile = Literal("株式会社\x1b[31m赤\u202e逆\n二行目")
    row = render(result((hostile, None)), "table").splitlines()[2]
    assert "\x1b" not in row and "\u202e" not in row
    assert row.startswith("株式会社\\x1b[31m赤\\u202e逆 二行目")


def test_iris_are_prefixed_in_the_table_and_full_in_csv():
    graph = ID["graph/253d8697c89b6442"]
    answer = result((graph, URIRef("https://example.org/x")))
    assert render(answer, "table").splitlines()[2].split(" | ") == ["piaid:graph/253d8697c89b6442", "<https://example.org/x>"]
    assert render(answer, "csv").splitlines()[1] == f"{graph},https://example.org/x"


def test_csv_and_tsv_keep_values_that_hold_commas_quotes_and_line_breaks():
    value = Literal('委託先, "架空システム株式会社"\nみどり支社\t(再委託なし)')
    answer = result((value, None))
    assert list(csv.reader(io.StringIO(render(answer, "csv")))) == [["事務", "根拠"], [str(value), ""]]
    tsv = render(answer, "tsv").splitlines()
    assert tsv == ["事務\t根拠", '委託先, "架空システム株式会社" みどり支社 (再委託なし)\t']


def test_json_is_sparql_results_that_read_back_to_the_same_terms():
    answer = result((Literal(AFFAIR, lang="ja"), Literal(3)), (URIRef(ID["org/x"]), None))
    document = json.loads(render(answer, "json"))
    assert document["head"]["vars"] == ["事務", "根拠"]
    assert from_json(document, "SELECT").rows == answer.rows


def test_ask_answers_are_true_or_false():
    assert render(QueryResult("ASK", boolean=True), "table") == "true\n"
    assert json.loads(render(QueryResult("ASK", boolean=False), "json"))["boolean"] is False


def construct_answer() -> QueryResult:
    return QueryResult("CONSTRUCT", triples=[(URIRef(ID["graph/253d8697c89b6442"]), URIRef("https://w3id.org/piagraph/ns#seriesKey"),
                                              Literal("みどり市長|1"))])


def test_a_graph_is_written_as_turtle_ntriples_or_json_ld_with_the_same_triples():
    import rdflib

    answer = construct_answer()
    turtle = render(answer, "turtle")
    assert "@prefix pia:" in turtle and "pia:seriesKey \"みどり市長|1\"" in turtle
    assert render(answer, "ntriples").strip() == (f"<{ID['graph/253d8697c89b6442']}> <https://w3id.org/piagraph/ns#seriesKey> "
                                                  '"みどり市長|1" .')
    for fmt, parser in (("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")):
        assert set(rdflib.Graph().parse(data=render(answer, fmt), format=parser)) == set(answer.triples), fmt


def test_each_answer_has_a_default_format_and_refuses_one_of_the_other_kind():
    import pytest

    from ontology.errors import QueryError
    from piagraph.store.render import output_format

    assert output_format("SELECT", None) == "table" and output_format("DESCRIBE", None) == "turtle"
    assert output_format("ASK", "json") == "json" and output_format("CONSTRUCT", "jsonld") == "jsonld"
    with pytest.raises(QueryError, match="--format csv does not fit a CONSTRUCT query, whose answer is a graph: use turtle"):
        output_format("CONSTRUCT", "csv")
    with pytest.raises(QueryError, match="--format turtle does not fit a SELECT query, whose answer is rows"):
        render(result(), "turtle")
