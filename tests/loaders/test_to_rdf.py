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
