"""The ontology (`ontology/piagraph.ttl`) and controlled vocabularies (`ontology/vocabularies.ttl`).

VOCABULARY.md is a public contract: every class and property it names must be defined, with a
Japanese and an English rdfs:label and an rdfs:comment, and with the domain and range its table
gives. The SKOS schemes carry the form's option texts the loader matches against, so their local
names and Japanese labels are checked one by one.
"""

from __future__ import annotations

import importlib.resources
import unicodedata
from collections import defaultdict

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from tests.conftest import REPO

PIA = Namespace("https://w3id.org/piagraph/ns#")
PIAV = Namespace("https://w3id.org/piagraph/vocab/")
DPV = Namespace("https://w3id.org/dpv#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain namespace: rdflib's XSD warns under pytest
ONTOLOGY_IRI = URIRef("https://w3id.org/piagraph/ns")


def _ontology_file(name: str):
    """Locate a file of the `ontology` data package (installed or in the source tree)."""
    try:
        resource = importlib.resources.files("ontology") / name
        if resource.is_file():
            return resource
    except (ModuleNotFoundError, TypeError):
        pass
    return REPO / "ontology" / name


def _parse(name: str) -> Graph:
    graph = Graph()
    graph.parse(data=_ontology_file(name).read_text(encoding="utf-8"), format="turtle")
    return graph


@pytest.fixture(scope="module")
def onto() -> Graph:
    return _parse("piagraph.ttl")


@pytest.fixture(scope="module")
def vocab() -> Graph:
    return _parse("vocabularies.ttl")


def _iri(term: str) -> URIRef:
    prefix, local = term.split(":", 1)
    return {"pia": PIA, "dpv": DPV, "skos": SKOS}[prefix][local] if prefix != "xsd" else XSD[local]


def _literals(graph: Graph, subject, predicate, lang: str) -> list[str]:
    return [
        str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal) and o.language == lang
    ]


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


# ---------------------------------------------------------------------------------------------
# The contract: VOCABULARY.md, listed explicitly
# ---------------------------------------------------------------------------------------------

CORE_CLASSES = {
    # class: its superclass in VOCABULARY.md (None when the table gives none)
    "pia:Assessment": None,
    "pia:Organization": None,
    "pia:Department": "pia:Organization",
    "pia:Contractor": "pia:Organization",
    "pia:Affair": None,
    "pia:System": None,
    "pia:CanonicalSystem": None,
    "pia:PersonalInfoFile": None,
    "pia:DataFlow": None,
    "pia:Acquisition": "pia:DataFlow",
    "pia:Entrustment": "pia:DataFlow",
    "pia:Provision": "pia:DataFlow",
    "pia:Transfer": "pia:DataFlow",
    "pia:LegalBasis": None,
    "pia:RiskMeasure": None,
    "pia:Change": None,
}

# property: (kind, domain, range). A tuple domain/range means an owl:unionOf of those classes;
# None means "any node" (no rdfs:domain asserted).
CORE_PROPERTIES = {
    "pia:assessmentNumber": ("data", "pia:Assessment", "xsd:string"),
    "pia:formType": ("data", "pia:Assessment", "xsd:string"),
    "pia:publishedOn": ("data", "pia:Assessment", "xsd:date"),
    "pia:assessor": ("object", "pia:Assessment", "pia:Organization"),
    "pia:covers": ("object", "pia:Assessment", "pia:Affair"),
    "pia:sourceFile": ("data", "pia:Assessment", "xsd:string"),
    "pia:hasChange": ("object", "pia:Assessment", "pia:Change"),
    "pia:usesSystem": ("object", "pia:Affair", "pia:System"),
    "pia:hasFile": ("object", "pia:Affair", "pia:PersonalInfoFile"),
    "pia:responsibleDepartment": ("object", "pia:Affair", "pia:Department"),
    "pia:numberUseBasis": ("object", "pia:Affair", "pia:LegalBasis"),
    "pia:networkLinkage": ("data", "pia:Affair", "xsd:string"),
    "pia:linkageBasis": ("object", "pia:Affair", "pia:LegalBasis"),
    "pia:connectsTo": ("object", "pia:System", ("pia:System", "pia:CanonicalSystem")),
    "pia:canonicalSystem": ("object", "pia:System", "pia:CanonicalSystem"),
    "pia:ofFile": ("object", "pia:DataFlow", "pia:PersonalInfoFile"),
    "pia:source": ("object", "pia:Acquisition", "pia:Organization"),
    "pia:recipient": ("object", ("pia:Provision", "pia:Transfer"), "pia:Organization"),
    "pia:contractor": ("object", "pia:Entrustment", "pia:Contractor"),
    "pia:method": ("object", "pia:DataFlow", "skos:Concept"),
    "pia:legalBasis": ("object", "pia:DataFlow", "pia:LegalBasis"),
    "pia:purpose": ("data", "pia:DataFlow", "xsd:string"),
    "pia:frequency": ("data", "pia:DataFlow", "xsd:string"),
    "pia:subcontracting": ("data", "pia:Entrustment", "xsd:boolean"),
    "pia:adequacy": ("data", "pia:RiskMeasure", "xsd:string"),
    "pia:sourceSection": ("data", None, "xsd:string"),
    "pia:sourceLine": ("data", None, "xsd:integer"),
    "pia:confidence": ("data", None, "xsd:decimal"),
}

EXTENSION_CLASSES = ["pia:Citation", "pia:CheckboxReading", "pia:Gap", "pia:ValueEvidence"]

EXTENSION_PROPERTIES = {
    # the evidence of one value (docs/evidence.md)
    "pia:valueLine": ("pia:ValueEvidence", "xsd:integer"),
    "pia:valueSection": ("pia:ValueEvidence", "xsd:string"),
    "pia:valueConfidence": ("pia:ValueEvidence", "xsd:decimal"),
    "pia:valueReason": ("pia:ValueEvidence", "xsd:string"),
    # Assessment
    "pia:title": ("pia:Assessment", "xsd:string"),
    "pia:formVersion": ("pia:Assessment", "xsd:string"),
    "pia:sourceEncoding": ("pia:Assessment", "xsd:string"),
    "pia:hasGap": ("pia:Assessment", "pia:Gap"),
    "pia:recordItem": ("pia:Assessment", "xsd:string"),
    "pia:unresolvedText": ("pia:Assessment", "xsd:string"),
    "pia:isCurrent": ("pia:Assessment", "xsd:boolean"),
    "pia:inquiry": ("pia:Assessment", "xsd:string"),
    "pia:procedure": ("pia:Assessment", "xsd:string"),
    # Gap
    "pia:gapItem": ("pia:Gap", "xsd:string"),
    "pia:gapReason": ("pia:Gap", "xsd:string"),
    # Affair
    "pia:description": ("pia:Affair", "xsd:string"),
    "pia:populationBand": ("pia:Affair", "skos:Concept"),
    "pia:departmentHeadTitle": ("pia:Affair", "xsd:string"),
    "pia:otherAssessors": ("pia:Affair", "xsd:string"),
    # System
    "pia:systemNumber": ("pia:System", "xsd:integer"),
    "pia:function": ("pia:System", "xsd:string"),
    "pia:connectionDetail": ("pia:System", "xsd:string"),
    # PersonalInfoFile
    "pia:fileKind": ("pia:PersonalInfoFile", "xsd:string"),
    "pia:subjectCountBand": (("pia:PersonalInfoFile", "pia:DataFlow"), "skos:Concept"),
    "pia:subjectScope": (("pia:PersonalInfoFile", "pia:DataFlow"), "xsd:string"),
    "pia:recordCountBand": ("pia:PersonalInfoFile", "skos:Concept"),
    "pia:mainRecordItem": ("pia:PersonalInfoFile", "xsd:string"),
    "pia:retentionStart": ("pia:PersonalInfoFile", "xsd:string"),
    "pia:usePurpose": ("pia:PersonalInfoFile", "xsd:string"),
    "pia:usingDepartments": ("pia:PersonalInfoFile", "xsd:string"),
    "pia:userCountBand": ("pia:PersonalInfoFile", "skos:Concept"),
    "pia:usage": ("pia:PersonalInfoFile", "xsd:string"),
    "pia:useStart": ("pia:PersonalInfoFile", "xsd:string"),
    "pia:entrustmentChoice": ("pia:PersonalInfoFile", "xsd:string"),
    "pia:statedEntrustmentCount": ("pia:PersonalInfoFile", "xsd:integer"),
    "pia:statedProvisionCount": ("pia:PersonalInfoFile", "xsd:integer"),
    "pia:statedTransferCount": ("pia:PersonalInfoFile", "xsd:integer"),
    "pia:storage": ("pia:PersonalInfoFile", "xsd:string"),
    "pia:riskMeasure": ("pia:PersonalInfoFile", "pia:RiskMeasure"),
    "pia:auditKind": ("pia:PersonalInfoFile", "xsd:string"),
    "pia:seriousIncident": ("pia:PersonalInfoFile", "xsd:string"),
    "pia:incidentDetail": ("pia:PersonalInfoFile", "xsd:string"),
    "pia:recurrencePrevention": ("pia:PersonalInfoFile", "xsd:string"),
    "pia:hasOverviewBlock": ("pia:PersonalInfoFile", "xsd:boolean"),
    "pia:hasRiskBlock": ("pia:PersonalInfoFile", "xsd:boolean"),
    # DataFlow
    "pia:flowNumber": ("pia:DataFlow", "xsd:integer"),
    "pia:information": ("pia:DataFlow", "xsd:string"),
    "pia:handlerCountBand": ("pia:Entrustment", "skos:Concept"),
    "pia:subcontractPermission": ("pia:Entrustment", "xsd:string"),
    "pia:subcontractItems": ("pia:Entrustment", "xsd:string"),
    "pia:entrustmentTitle": ("pia:Entrustment", "xsd:string"),
    "pia:contractorBranch": ("pia:Entrustment", "xsd:string"),
    "pia:contractorNameAsWritten": ("pia:Entrustment", "xsd:string"),
    "pia:sourceDetail": ("pia:Acquisition", "xsd:string"),
    # LegalBasis / Citation
    "pia:citation": ("pia:LegalBasis", "pia:Citation"),
    "pia:law": ("pia:Citation", "xsd:string"),
    "pia:article": ("pia:Citation", "xsd:integer"),
    "pia:paragraph": ("pia:Citation", "xsd:integer"),
    "pia:item": ("pia:Citation", "xsd:integer"),
    "pia:tableRow": ("pia:Citation", "xsd:integer"),
    "pia:annexedTable": ("pia:Citation", "xsd:string"),
    "pia:citationText": ("pia:Citation", "xsd:string"),
    # RiskMeasure
    "pia:riskArea": ("pia:RiskMeasure", "xsd:string"),
    # Change
    "pia:changeDate": ("pia:Change", "xsd:date"),
    "pia:changeDateText": ("pia:Change", "xsd:string"),
    "pia:changedItem": ("pia:Change", "xsd:string"),
    "pia:valueBefore": ("pia:Change", "xsd:string"),
    "pia:valueAfter": ("pia:Change", "xsd:string"),
    "pia:submissionTiming": ("pia:Change", "xsd:string"),
    "pia:explanation": ("pia:Change", "xsd:string"),
    # Organization / Department
    "pia:partOf": ("pia:Department", "pia:Organization"),
    # General
    "pia:checkboxReading": (None, "pia:CheckboxReading"),
    "pia:option": ("pia:CheckboxReading", None),
    "pia:ticked": ("pia:CheckboxReading", "xsd:boolean"),
    "pia:detail": (None, "xsd:string"),
    "pia:riskyChannel": ("skos:Concept", "xsd:boolean"),
}

# (scheme, local name, prefLabel@ja exactly as the form writes the option, notation or None)
CONCEPTS = [
    ("method", "network", "情報提供ネットワークシステム", None),
    ("method", "dedicated-line", "専用線", None),
    ("method", "email", "電子メール", None),
    ("method", "electronic-media", "電子記録媒体(フラッシュメモリを除く。)", None),
    ("method", "flash-memory", "フラッシュメモリ", None),
    ("method", "paper", "紙", None),
    ("method", "intra-agency-linkage", "庁内連携システム", None),
    ("method", "other", "その他", None),
    ("source", "principal", "本人又は本人の代理人", None),
    ("source", "other-department", "評価実施機関内の他部署", None),
    ("source", "national-agency", "行政機関・独立行政法人等", None),
    ("source", "local-government", "地方公共団体・地方独立行政法人", None),
    ("source", "private-business", "民間事業者", None),
    ("source", "other", "その他", None),
    ("population", "lt1k", "1,000人未満", "1"),
    ("population", "1k-10k", "1,000人以上1万人未満", "2"),
    ("population", "10k-100k", "1万人以上10万人未満", "3"),
    ("population", "100k-300k", "10万人以上30万人未満", "4"),
    ("population", "ge300k", "30万人以上", "5"),
    ("subjects", "lt10k", "1万人未満", "1"),
    ("subjects", "10k-100k", "1万人以上10万人未満", "2"),
    ("subjects", "100k-1m", "10万人以上100万人未満", "3"),
    ("subjects", "1m-10m", "100万人以上1,000万人未満", "4"),
    ("subjects", "ge10m", "1,000万人以上", "5"),
    ("handlers", "lt10", "10人未満", "1"),
    ("handlers", "10-50", "10人以上50人未満", "2"),
    ("handlers", "50-100", "50人以上100人未満", "3"),
    ("handlers", "100-500", "100人以上500人未満", "4"),
    ("handlers", "500-1000", "500人以上1,000人未満", "5"),
    ("handlers", "ge1000", "1,000人以上", "6"),
    ("record-count", "lt10", "10項目未満", "1"),
    ("record-count", "10-50", "10項目以上50項目未満", "2"),
    ("record-count", "50-100", "50項目以上100項目未満", "3"),
    ("record-count", "ge100", "100項目以上", "4"),
    ("rating", "special-effort", "特に力を入れている", "1"),
    ("rating", "sufficient", "十分である", "2"),
    ("rating", "issues-remain", "課題が残されている", "3"),
    ("effort", "special", "特に力を入れて行っている", "1"),
    ("effort", "sufficient", "十分に行っている", "2"),
    ("effort", "insufficient", "十分に行っていない", "3"),
    ("linkage", "yes", "実施する", "1"),
    ("linkage", "no", "実施しない", "2"),
    ("linkage", "undecided", "未定", "3"),
    ("system", "intermediate-server", "中間サーバー", None),
    ("system", "info-network", "情報提供ネットワークシステム", None),
    ("system", "juki-net", "住民基本台帳ネットワークシステム", None),
    ("system", "existing-juki", "既存住民基本台帳システム", None),
    ("system", "integrated-address", "団体内統合宛名システム", None),
    ("system", "intra-agency-linkage", "庁内連携システム", None),
    ("system", "kokuho-sogo", "国保総合システム", None),
    ("system", "kouki-standard", "後期高齢者医療広域連合電算処理システム", None),
    ("system", "insurer-intermediate", "医療保険者等向け中間サーバー等", None),
    ("system", "gov-cloud", "ガバメントクラウド", None),
    ("system", "address-system", "宛名システム等", None),
    ("system", "tax-system", "税務システム", None),
    ("connection", "other", "その他", None),
]

SCHEMES = sorted({scheme for scheme, *_ in CONCEPTS})

# The seven options of I-2 ③他のシステムとの接続, in the form's order.
CONNECTION_OPTIONS = {
    "情報提供ネットワークシステム": PIAV["system/info-network"],
    "庁内連携システム": PIAV["system/intra-agency-linkage"],
    "住民基本台帳ネットワークシステム": PIAV["system/juki-net"],
    "既存住民基本台帳システム": PIAV["system/existing-juki"],
    "宛名システム等": PIAV["system/address-system"],
    "税務システム": PIAV["system/tax-system"],
    "その他": PIAV["connection/other"],
}


def _concept_index(vocab: Graph, scheme: URIRef) -> dict[str, URIRef]:
    """NFKC label -> concept, for the concepts of one scheme (what the loader matches against)."""
    index: dict[str, URIRef] = {}
    for concept in vocab.subjects(SKOS.inScheme, scheme):
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            for label in _literals(vocab, concept, predicate, "ja"):
                index[_nfkc(label)] = concept
    return index


def _class_expression_members(graph: Graph, node) -> set:
    """The named classes of a class expression: itself, or the members of an owl:unionOf."""
    if isinstance(node, BNode):
        union = graph.value(node, OWL.unionOf)
        assert union is not None, f"anonymous class without owl:unionOf: {node}"
        return set(Collection(graph, union))
    return {node}


def _expected(term) -> set:
    if term is None:
        return set()
    if isinstance(term, tuple):
        return {_iri(t) for t in term}
    return {_iri(term)}


# ---------------------------------------------------------------------------------------------
# Parsing and header
# ---------------------------------------------------------------------------------------------


def test_both_files_parse_as_turtle(onto: Graph, vocab: Graph) -> None:
    assert len(onto) > 500
    assert len(vocab) > 300


def test_ontology_header(onto: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert str(onto.value(ONTOLOGY_IRI, OWL.versionInfo)) == "0.1.0"
    assert _literals(onto, ONTOLOGY_IRI, DCTERMS.title, "ja")
    assert _literals(onto, ONTOLOGY_IRI, DCTERMS.title, "en")
    assert _literals(onto, ONTOLOGY_IRI, DCTERMS.description, "en")


# ---------------------------------------------------------------------------------------------
# VOCABULARY.md terms
# ---------------------------------------------------------------------------------------------


def _assert_documented(graph: Graph, term: URIRef) -> None:
    assert _literals(graph, term, RDFS.label, "ja"), f"{term} has no rdfs:label@ja"
    assert _literals(graph, term, RDFS.label, "en"), f"{term} has no rdfs:label@en"
    assert _literals(graph, term, RDFS.comment, "en"), f"{term} has no rdfs:comment@en"


@pytest.mark.parametrize("name", sorted(CORE_CLASSES))
def test_core_class_defined(onto: Graph, name: str) -> None:
    term = _iri(name)
    assert (term, RDF.type, OWL.Class) in onto, f"{name} is not an owl:Class"
    _assert_documented(onto, term)
    superclass = CORE_CLASSES[name]
    if superclass:
        assert (term, RDFS.subClassOf, _iri(superclass)) in onto


@pytest.mark.parametrize("name", sorted(CORE_PROPERTIES))
def test_core_property_defined_with_domain_and_range(onto: Graph, name: str) -> None:
    term = _iri(name)
    kind, domain, range_ = CORE_PROPERTIES[name]
    expected_type = OWL.ObjectProperty if kind == "object" else OWL.DatatypeProperty
    assert (term, RDF.type, expected_type) in onto, f"{name} is not an {expected_type}"
    _assert_documented(onto, term)
    _assert_domain_range(onto, term, domain, range_)


def _assert_domain_range(graph: Graph, term: URIRef, domain, range_) -> None:
    domains = set(graph.objects(term, RDFS.domain))
    if domain is None:
        assert not domains, f"{term} should apply to any node but has a domain"
    else:
        assert len(domains) == 1, f"{term}: expected one rdfs:domain, got {domains}"
        assert _class_expression_members(graph, domains.pop()) == _expected(domain)
    ranges = set(graph.objects(term, RDFS.range))
    if range_ is None:
        assert not ranges
    else:
        assert len(ranges) == 1, f"{term}: expected one rdfs:range, got {ranges}"
        assert _class_expression_members(graph, ranges.pop()) == _expected(range_)


@pytest.mark.parametrize("name", EXTENSION_CLASSES)
def test_extension_class_defined(onto: Graph, name: str) -> None:
    term = _iri(name)
    assert (term, RDF.type, OWL.Class) in onto
    _assert_documented(onto, term)


@pytest.mark.parametrize("name", sorted(EXTENSION_PROPERTIES))
def test_extension_property_defined(onto: Graph, name: str) -> None:
    term = _iri(name)
    types = set(onto.objects(term, RDF.type))
    assert types & {OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property}, f"{name} is not a property"
    _assert_documented(onto, term)
    domain, range_ = EXTENSION_PROPERTIES[name]
    _assert_domain_range(onto, term, domain, range_)
    if range_ and range_.startswith("xsd:"):
        assert OWL.DatatypeProperty in types
    elif range_:
        assert OWL.ObjectProperty in types


def test_every_pia_term_is_documented(onto: Graph) -> None:
    """No term of the namespace lacks a Japanese label (or an English label and comment)."""
    terms = {s for s in onto.subjects() if isinstance(s, URIRef) and s.startswith(str(PIA))}
    listed = {_iri(n) for n in [*CORE_CLASSES, *CORE_PROPERTIES, *EXTENSION_CLASSES, *EXTENSION_PROPERTIES]}
    assert listed <= terms
    for term in terms:
        _assert_documented(onto, term)
        for label in _literals(onto, term, RDFS.label, "ja"):
            assert label == _nfkc(label), f"{term}: rdfs:label@ja is not NFKC-normalised"


def test_classes_and_properties_referenced_by_axioms_are_defined(onto: Graph) -> None:
    """Every pia: IRI used in a domain, range, subclass or union is itself defined."""
    defined = set(onto.subjects(RDF.type, OWL.Class))
    for predicate in (RDFS.domain, RDFS.range, RDFS.subClassOf):
        for node in onto.objects(None, predicate):
            for member in _class_expression_members(onto, node):
                if str(member).startswith(str(PIA)):
                    assert member in defined, f"{member} is used but not defined"


def test_vocabularies_use_only_defined_pia_terms(onto: Graph, vocab: Graph) -> None:
    used = {t for triple in vocab for t in triple if isinstance(t, URIRef) and t.startswith(str(PIA))}
    assert used, "vocabularies.ttl should use pia:riskyChannel, pia:Organization, pia:CanonicalSystem"
    defined = {s for s in onto.subjects() if isinstance(s, URIRef)}
    assert used <= defined, f"undefined: {used - defined}"


# ---------------------------------------------------------------------------------------------
# DPV alignment
# ---------------------------------------------------------------------------------------------


def test_contractor_is_a_dpv_data_processor(onto: Graph) -> None:
    assert (PIA.Contractor, RDFS.subClassOf, DPV.DataProcessor) in onto
    assert (PIA.Contractor, RDFS.subClassOf, PIA.Organization) in onto


@pytest.mark.parametrize(
    ("term", "predicate", "target"),
    [
        (PIA.Assessment, RDFS.subClassOf, DPV.PIA),
        (PIA.LegalBasis, RDFS.subClassOf, DPV.LegalBasis),
        (PIA.RiskMeasure, RDFS.subClassOf, DPV.TechnicalOrganisationalMeasure),
        (PIA.recipient, RDFS.subPropertyOf, DPV.hasRecipient),
        (PIA.source, RDFS.subPropertyOf, DPV.hasDataSource),
        (PIA.legalBasis, RDFS.subPropertyOf, DPV.hasLegalBasis),
        (PIA.contractor, RDFS.subPropertyOf, DPV.hasDataProcessor),
        (PIA.Affair, SKOS.closeMatch, DPV.Process),
        (PIA.Transfer, SKOS.closeMatch, DPV.Transfer),
        (PIA.Organization, SKOS.closeMatch, DPV.Organisation),
        (PIA.Department, SKOS.closeMatch, DPV.OrganisationalUnit),
        (PIA.purpose, SKOS.closeMatch, DPV.hasPurpose),
    ],
)
def test_dpv_alignment(onto: Graph, term, predicate, target) -> None:
    assert (term, predicate, target) in onto


def test_department_is_not_asserted_a_dpv_legal_entity(onto: Graph) -> None:
    """A department is not a separate legal entity, so pia:Organization is only a close match."""
    assert (PIA.Organization, RDFS.subClassOf, DPV.Organisation) not in onto


# ---------------------------------------------------------------------------------------------
# SKOS schemes
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_scheme_is_labelled(vocab: Graph, scheme: str) -> None:
    iri = PIAV[scheme]
    assert (iri, RDF.type, SKOS.ConceptScheme) in vocab
    for predicate in (RDFS.label, SKOS.prefLabel):
        assert _literals(vocab, iri, predicate, "ja")
        assert _literals(vocab, iri, predicate, "en")


@pytest.mark.parametrize(("scheme", "local", "label", "notation"), CONCEPTS)
def test_concept_of_the_form(vocab: Graph, scheme: str, local: str, label: str, notation) -> None:
    concept = PIAV[f"{scheme}/{local}"]
    assert (concept, RDF.type, SKOS.Concept) in vocab, f"{concept} missing"
    assert (concept, SKOS.inScheme, PIAV[scheme]) in vocab
    assert _literals(vocab, concept, SKOS.prefLabel, "ja") == [label]
    notations = [str(n) for n in vocab.objects(concept, SKOS.notation)]
    assert notations == ([notation] if notation else [])


def test_every_concept_is_labelled_and_in_a_scheme(vocab: Graph) -> None:
    concepts = set(vocab.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) >= len(CONCEPTS)
    for concept in concepts:
        schemes = set(vocab.objects(concept, SKOS.inScheme))
        assert schemes, f"{concept} is in no scheme"
        for lang in ("ja", "en"):
            pref = _literals(vocab, concept, SKOS.prefLabel, lang)
            assert len(pref) == 1, f"{concept}: expected one prefLabel@{lang}"
            assert _literals(vocab, concept, RDFS.label, lang) == pref
        for scheme in schemes:
            assert (concept, SKOS.topConceptOf, scheme) in vocab
            assert (scheme, SKOS.hasTopConcept, concept) in vocab
    for scheme, concept in vocab.subject_objects(SKOS.hasTopConcept):
        assert (concept, SKOS.inScheme, scheme) in vocab


def test_japanese_labels_are_nfkc_and_unique_within_a_scheme(vocab: Graph) -> None:
    for scheme in vocab.subjects(RDF.type, SKOS.ConceptScheme):
        seen: dict[str, URIRef] = {}
        for concept in vocab.subjects(SKOS.inScheme, scheme):
            for predicate in (SKOS.prefLabel, SKOS.altLabel):
                for label in _literals(vocab, concept, predicate, "ja"):
                    assert label == _nfkc(label), f"{concept}: {label!r} is not NFKC-normalised"
                    other = seen.setdefault(label, concept)
                    assert other == concept, f"{label!r} names both {other} and {concept} in {scheme}"


def test_notations_number_the_options_in_order(vocab: Graph) -> None:
    by_scheme: dict[URIRef, list[int]] = defaultdict(list)
    for concept, notation in vocab.subject_objects(SKOS.notation):
        (scheme,) = vocab.objects(concept, SKOS.inScheme)
        by_scheme[scheme].append(int(notation))
    assert set(by_scheme) == {PIAV[s] for s in ("population", "subjects", "handlers", "record-count",
                                                   "rating", "effort", "linkage", "retention-period")}
    for scheme, numbers in by_scheme.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), scheme


def test_method_scheme_marks_exactly_the_risky_channels(vocab: Graph) -> None:
    methods = set(vocab.subjects(SKOS.inScheme, PIAV.method))
    assert len(methods) == 8
    risky = set()
    for concept in methods:
        values = list(vocab.objects(concept, PIA.riskyChannel))
        assert len(values) == 1, f"{concept} must say whether it is risky"
        assert values[0].datatype == XSD.boolean
        if values[0].toPython() is True:
            risky.add(concept)
    assert risky == {PIAV[f"method/{n}"] for n in ("flash-memory", "electronic-media", "email", "paper")}


def test_method_variants_resolve(vocab: Graph) -> None:
    index = _concept_index(vocab, PIAV.method)
    # The form's full-width parentheses match after NFKC.
    assert index[_nfkc("電子記録媒体（フラッシュメモリを除く。）")] == PIAV["method/electronic-media"]
    assert index["電子記録媒体"] == PIAV["method/electronic-media"]
    assert index["府内連携システム"] == PIAV["method/intra-agency-linkage"]


def test_source_categories_are_organizations(vocab: Graph) -> None:
    sources = set(vocab.subjects(SKOS.inScheme, PIAV.source))
    assert len(sources) == 6
    for concept in sources:
        assert (concept, RDF.type, PIA.Organization) in vocab
    assert _concept_index(vocab, PIAV.source)["本人または本人の代理人"] == PIAV["source/principal"]


def test_intermediate_server_spellings_are_one_canonical_system(vocab: Graph) -> None:
    index = _concept_index(vocab, PIAV.system)
    concept = index["中間サーバー"]
    assert concept == PIAV["system/intermediate-server"]
    assert (concept, RDF.type, PIA.CanonicalSystem) in vocab
    assert "中間サーバー" in _literals(vocab, concept, SKOS.prefLabel, "ja")
    assert "中間サーバ" in _literals(vocab, concept, SKOS.altLabel, "ja")
    for spelling in ("中間サーバ", "中間サーバー・プラットフォーム", "中間サーバ・プラットフォーム",
                     "中間サーバー･プラットフォーム"):
        assert index[_nfkc(spelling)] == concept, spelling
    # The medical insurers' intermediate server is a different system.
    assert index["医療保険者等向け中間サーバー等"] != concept


@pytest.mark.parametrize(
    ("spelling", "local"),
    [
        ("住基ネット", "juki-net"),
        ("既存住基システム", "existing-juki"),
        ("統合宛名(連携)システム", "integrated-address"),
        ("国保総合PC", "kokuho-sogo"),
        ("標準システム", "kouki-standard"),
        ("後期高齢者医療広域連合電算処理システム(標準システム)", "kouki-standard"),
        ("府内連携システム", "intra-agency-linkage"),
        ("宛名システム", "address-system"),
    ],
)
def test_system_variants_resolve(vocab: Graph, spelling: str, local: str) -> None:
    assert _concept_index(vocab, PIAV.system)[_nfkc(spelling)] == PIAV[f"system/{local}"]


def test_every_system_concept_is_a_canonical_system(vocab: Graph) -> None:
    systems = set(vocab.subjects(SKOS.inScheme, PIAV.system))
    assert len(systems) == 12
    for concept in systems:
        assert (concept, RDF.type, PIA.CanonicalSystem) in vocab


def test_connection_scheme_has_the_forms_seven_options(vocab: Graph) -> None:
    members = set(vocab.subjects(SKOS.inScheme, PIAV.connection))
    assert members == set(CONNECTION_OPTIONS.values())
    index = _concept_index(vocab, PIAV.connection)
    for option, concept in CONNECTION_OPTIONS.items():
        assert index[option] == concept
