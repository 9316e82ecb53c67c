"""Contractor, department and body names: one company however it is written."""

import pytest

from loaders.names import ContractorName, municipality_of, normalise_org_name, split_contractor


def test_a_branch_and_the_company_alone_are_one_company():
    with_branch = split_contractor("日本電気株式会社 九州支社")
    alone = split_contractor("日本電気株式会社")
    assert with_branch.company == alone.company == "日本電気株式会社"
    assert with_branch.branch == "九州支社"
    assert alone.branch is None


def test_a_department_is_split_off_the_company():
    name = split_contractor("富士通Japan株式会社 九州南部公共ビジネス部")
    assert (name.company, name.branch) == ("富士通Japan株式会社", "九州南部公共ビジネス部")


def test_a_branch_written_without_a_space_is_split_off_too():
    assert split_contractor("日本電気株式会社九州支社").branch == "九州支社"


def test_the_space_after_the_legal_form_does_not_make_another_company():
    assert split_contractor("株式会社 アイネス").company == "株式会社アイネス"


@pytest.mark.parametrize("written", ["㈱日立システムズ 公共事業本部", "(株)日立システムズ 公共事業本部", "（株）日立システムズ　公共事業本部"])
def test_an_abbreviated_legal_form_is_spelled_out(written):
    name = split_contractor(written)
    assert (name.company, name.branch) == ("株式会社日立システムズ", "公共事業本部")
    assert name.as_written == written


@pytest.mark.parametrize(
    "company",
    ["株式会社インテック", "株式会社バックスグループ", "株式会社ケー・デー・シー", "MIS九州株式会社"],
)
def test_a_company_name_without_a_branch_stays_whole(company):
    assert split_contractor(company) == ContractorName(company, None, company)


def test_a_company_whose_name_ends_like_a_branch_is_not_split():
    # センター is part of this company's name, not a branch of 株式会社
    assert split_contractor("株式会社 熊本計算センター").company == "株式会社熊本計算センター"
    assert split_contractor("株式会社 熊本計算センター").branch is None


def test_a_body_without_a_legal_form_is_the_whole_name():
    name = split_contractor("神奈川県国民健康保険団体連合会")
    assert (name.company, name.branch) == ("神奈川県国民健康保険団体連合会", None)


@pytest.mark.parametrize(
    ("written", "company", "branch"),
    [
        ("有限会社ABC 本社", "有限会社ABC", "本社"),
        ("合同会社サンプル", "合同会社サンプル", None),
        ("一般財団法人 地方自治情報センター", "一般財団法人地方自治情報センター", None),
        ("公益財団法人サンプル 東京事務所", "公益財団法人サンプル", "東京事務所"),
        ("一般社団法人サンプル協会 情報システム課", "一般社団法人サンプル協会", "情報システム課"),
        ("富士通株式会社 熊本支店", "富士通株式会社", "熊本支店"),
    ],
)
def test_other_legal_forms_are_company_words(written, company, branch):
    name = split_contractor(written)
    assert (name.company, name.branch) == (company, branch)


def test_org_names_are_trimmed_collapsed_and_undecorated():
    assert normalise_org_name("  【 保険年金課 】　 国保係 ") == "保険年金課 国保係"
    assert normalise_org_name("ＩＴ推進課") == "IT推進課"


@pytest.mark.parametrize(
    ("assessor", "body"),
    [
        ("高岡市長", "高岡市"),
        ("熊本市長", "熊本市"),
        ("東京都知事", "東京都"),
        ("北海道知事", "北海道"),
        ("○○町長", "○○町"),
        ("○○村長", "○○村"),
        ("富山県後期高齢者医療広域連合長", "富山県後期高齢者医療広域連合"),
        ("奈良市長 仲川 げん", "奈良市"),  # a person's name after the title
    ],
)
def test_the_head_of_a_local_body_names_the_body(assessor, body):
    assert municipality_of(assessor) == body


@pytest.mark.parametrize("assessor", ["保健局健康政策課長 桶田 光一", "副市長", "日本年金機構", ""])
def test_anyone_else_names_no_local_body(assessor):
    assert municipality_of(assessor) is None
