"""to_rdf: deterministic IRIs and faithful names for the bodies a report mentions."""

from loaders.to_rdf import department_iri, is_department_name, named_bodies, organisation_iri


def test_an_acquisition_detail_lists_departments_but_keeps_a_部_with_its_課():
    assert named_bodies("市民課、長寿福祉課、市民税課") == ["市民課", "長寿福祉課", "市民税課"]
    assert named_bodies("市民課 市民税課 保護課 国保年金課") == ["市民課", "市民税課", "保護課", "国保年金課"]
    assert named_bodies("市民生活部 市民課") == ["市民生活部 市民課"]
    assert named_bodies("日本年金機構等の年金保険者、デジタル庁") == ["日本年金機構等の年金保険者", "デジタル庁"]


def test_departments_of_one_municipality_share_iris_across_its_reports_and_not_across_municipalities():
    assert department_iri("みどり市長", "健康福祉部 介護保険課") == department_iri("みどり市長", "健康福祉部  介護保険課")
    assert department_iri("高岡市長", "市民税課") != department_iri("熊本市長", "市民税課")


def test_a_transfer_recipient_is_a_department_unless_it_names_another_body():
    assert is_department_name("福祉保健部 高齢介護課")
    assert not is_department_name("富山県後期高齢者医療広域連合")
    assert organisation_iri("厚生労働大臣") == organisation_iri(" 厚生労働大臣 ")


# -- the evidence of each value (docs/evidence.md) ---------------------------------------------------

def _value_evidence(graph, subject_type, predicate=None):
    """(predicate local name, value, its own line, its own confidence, its reason) of every value of
    the nodes of one type."""
    from ontology import sparql_prefixes

    query = sparql_prefixes() + f"""SELECT ?p ?o ?line ?c ?r WHERE {{
        ?node a {subject_type} . ?e rdf:subject ?node ; rdf:predicate ?p ; rdf:object ?o ; pia:valueLine ?line .
        OPTIONAL {{ ?e pia:valueConfidence ?c }} OPTIONAL {{ ?e pia:valueReason ?r }} }} ORDER BY ?line"""
    return [(str(r.p).rsplit("#", 1)[-1], r.o, int(r.line), None if r.c is None else float(r.c),
             None if r.r is None else str(r.r)) for r in graph.query(query)]


def test_one_uncertain_field_leaves_the_other_values_of_its_transfer_certain():
    """Seed 003, 移転先1 (障がい福祉課, L116–123): ④本人の数 is a mark the conversion left ambiguous
    (L120, inferred); its recipient, legal basis (L117) and frequency (L123, 業務の中で必要な都度) are
    read as printed and say so, each on its own line. The node keeps the lowest (pia:confidence)."""
    from rdflib import RDF

    from ontology import PIA
    from tests.conftest import load_seed

    loaded = load_seed("003")
    values = {p: (line, confidence, reason) for p, _, line, confidence, reason in
              _value_evidence(loaded.graph, "pia:Transfer")}
    assert values["recipient"] == (116, None, None)
    assert values["legalBasis"] == (117, None, None)
    assert values["frequency"] == (123, None, None)
    line, confidence, reason = values["subjectCountBand"]
    assert line == 120 and confidence < 1 and reason
    transfer = next(loaded.graph.subjects(RDF.type, PIA.Transfer))
    assert float(loaded.graph.value(transfer, PIA.confidence)) == confidence


def test_a_literal_cites_its_own_line_not_its_blocks():
    """Seed 000, 移転先3 富山県後期高齢者医療広域連合: its ⑦時期・頻度 is printed lines below the block's
    header; the frequency's evidence is that line, which holds the value as written."""
    from tests.conftest import load_seed, seed_path

    loaded = load_seed("000")
    text = seed_path("000").read_text(encoding="utf-8").split("\n")
    found = [(line, str(value)) for p, value, line, _, _ in _value_evidence(loaded.graph, "pia:Transfer")
             if p == "frequency"]
    assert found
    for line, value in found:
        assert value.split()[0] in text[line - 1]
    headers = {int(row[0]) for row in loaded.graph.query(
        "SELECT ?l WHERE { ?t a <https://w3id.org/piagraph/ns#Transfer> ; <https://w3id.org/piagraph/ns#sourceLine> ?l }")}
    assert not {line for line, _ in found} & headers


def test_layout_lost_values_carry_their_own_confidence_and_reason():
    """Seed 001 (layout lost): a value placed by its position says why, in Japanese, on its own
    evidence; a value read beside its label in one paragraph carries no confidence."""
    from tests.conftest import load_seed

    loaded = load_seed("001")
    values = _value_evidence(loaded.graph, "pia:Provision")
    assert values
    inferred = [v for v in values if v[3] is not None]
    assert all(v[3] < 1 and v[4].startswith("表の配置を失ったテキスト") for v in inferred)
