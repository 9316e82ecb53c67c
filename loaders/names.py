"""Names of organisations as the reports write them: contractors (委託先), departments, bodies.

A contractor is written many ways — "㈱日立システムズ 公共事業本部", "株式会社 アイネス",
"日本電気株式会社 九州支社" — and an auditor follows the *company* across reports, so the company is
normalised (legal form spelled out, no spaces around it) and a branch/department is split off.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class ContractorName:
    """A contractor as a company and, when named, the branch/department that holds the contract."""

    company: str  # e.g. "株式会社アイネス", "日本電気株式会社", "神奈川県国民健康保険団体連合会"
    branch: str | None  # e.g. "九州支社", "公共事業本部"; None when none is named
    as_written: str


# Legal-form words. Longest first, so 一般社団法人 is not read as 社団法人.
_LEGAL_FORMS = (
    "特定非営利活動法人",
    "一般財団法人",
    "公益財団法人",
    "一般社団法人",
    "公益社団法人",
    "社会福祉法人",
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
)
_LEGAL_FORM = re.compile("|".join(_LEGAL_FORMS))

# Abbreviations of the legal form, as NFKC leaves them: ㈱ → (株), ㈲ → (有), ㈶ → (財) …
_ABBREVIATIONS = {
    "(株)": "株式会社",
    "(有)": "有限会社",
    "(同)": "合同会社",
    "(資)": "合資会社",
    "(名)": "合名会社",
    "(一財)": "一般財団法人",
    "(公財)": "公益財団法人",
    "(一社)": "一般社団法人",
    "(公社)": "公益社団法人",
    "(福)": "社会福祉法人",
    "(特非)": "特定非営利活動法人",
}
_ABBREVIATION = re.compile(r"\s*(" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + r")\s*")

# What a branch or department name ends with.
_BRANCH_END = re.compile(
    r"(?:支社|支店|支所|支部|営業所|事業所|事務所|出張所|本社|本店|本部|事業部|部|課|室|係|センター|グループ|局|オフィス)$"
)

# Brackets that decorate a name without being part of it: 【健康保険課】, 「高岡市」.
_DECORATIVE_BRACKETS = re.compile(r"[【】〔〕「」『』〈〉《》\[\]]")


def normalise_org_name(name: str) -> str:
    """NFKC, trimmed, runs of whitespace as one space, decorative brackets dropped.

    >>> normalise_org_name(" 【 保険年金課 】 ")
    '保険年金課'
    """
    text = unicodedata.normalize("NFKC", name or "")
    text = _DECORATIVE_BRACKETS.sub(" ", text)
    return " ".join(text.split())


def _split_branch(rest: str) -> tuple[str, str | None]:
    """(what stays with the company, the branch) of the text after a company's name."""
    rest = rest.strip()
    if rest and _BRANCH_END.search(rest):
        return "", rest
    return rest, None


def split_contractor(name: str) -> ContractorName:
    """The company and branch of a contractor name.

    >>> split_contractor("富士通Japan株式会社 九州南部公共ビジネス部")
    ContractorName(company='富士通Japan株式会社', branch='九州南部公共ビジネス部', as_written='富士通Japan株式会社 九州南部公共ビジネス部')
    """
    text = normalise_org_name(name)
    text = _ABBREVIATION.sub(lambda m: f" {_ABBREVIATIONS[m[1]]} ", text).strip()
    text = " ".join(text.split())

    form = _LEGAL_FORM.search(text)
    if form is None:
        # A body without a legal-form word (国民健康保険団体連合会, 広域連合): a branch only when a
        # space sets it off ("…連合会 情報システム課").
        head, _, tail = text.rpartition(" ")
        if head and _BRANCH_END.search(tail):
            return ContractorName(head, tail, name)
        return ContractorName(text, None, name)

    before = text[: form.start()].strip()
    after = text[form.end() :].strip()
    if before:
        # 日本電気株式会社 九州支社, 日本電気株式会社九州支社: the name ends at the legal form.
        company = before + form.group()
        stays, branch = _split_branch(after)
    else:
        # 株式会社アイネス, 株式会社 アイネス, 株式会社日立システムズ 公共事業本部: the name follows the
        # legal form and ends at the next space ("株式会社熊本計算センター" is all company).
        own, _, rest = after.partition(" ")
        company = form.group() + own
        stays, branch = _split_branch(rest)
    if stays:  # text after the name that is no branch: part of the name as written
        company = f"{company} {stays}"
    return ContractorName(company, branch, name)


# The head of a local body as 評価実施機関: 高岡市長, 東京都知事, 富山県後期高齢者医療広域連合長,
# ○○組合管理者.
_HEADS = (
    re.compile(r"^(?P<body>.+[都道府県])知事$"),
    re.compile(r"^(?P<body>.+広域連合)長$"),
    re.compile(r"^(?P<body>.+組合)(?:管理者|長)$"),
    re.compile(r"^(?P<body>.+(?<!副)[市区町村])長$"),  # not 副市長
)


def municipality_of(assessor: str) -> str | None:
    """The local body an assessor heads ("高岡市長" → "高岡市"), or None for anyone else.

    A name written after the title ("高岡市長 角田悠紀") is ignored.
    """
    text = normalise_org_name(assessor)
    if not text:
        return None
    title = text.split(" ")[0]
    for head in _HEADS:
        if (m := head.match(title)) is not None:
            return m["body"]
    return None
