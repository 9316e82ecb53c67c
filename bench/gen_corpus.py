"""A synthetic national corpus of report TEXT files, so that benchmarks measure the real loader.

    python bench/gen_corpus.py --reports 10000 [--seed 1] [--out bench/out/corpus-10000]

Every file is one of the four fictional みどり市 samples (`samples/`, both text shapes: tab rows +
HTML fragments, markdown headings + tab rows) rewritten for another body, 事務, 評価書番号 and 公表日,
the way the seeds vary across the country (`/work/shared/seeds/` — only their structure is used,
never their names):

* bodies: about 28.7 reports per body, so 50,000 reports come from 1,741 bodies (Japan's number of
  municipalities); 1,000 from 35. Names are invented hiragana compounds in invented prefectures
  (``あおばひかり市長`` in ``架空こはく県``): clearly fictional, none is a real place;
* 事務: 10–40 per body (scaled so the corpus has exactly the requested number of files), each a
  different 事務 name from `AFFAIRS` and its own 評価書番号; about one report in eight is an older
  version (earlier 公表日) of another report of the same body, so catalogs have version chains;
* contractors: a skewed market — five big vendors take about 45 % of the contracts, 30 mid-size
  firms 30 %, and a local firm of the body the rest (names all invented);
* counts (対象人数, 本人の数, 取扱者数, 使用者数) are drawn from each field's own option list, and risk
  ratings are mostly 十分である with some 特に力を入れている and 課題が残されている;
* 公表日 between 令和2年 and 令和7年; encodings as published: mostly UTF-8, some CP932, some UTF-8
  with BOM and CRLF line ends.

The same seed gives byte-identical files. A ``manifest.tsv`` beside the files lists, per file, what
the loader should find (series key, 公表日, template, encoding). Output goes to ``bench/out/`` by
default, which git ignores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TEMPLATE_BODY = "みどり"
TEMPLATE_PREFECTURE = "架空県"
TEMPLATE_CONTRACTORS = ("株式会社みどり情報サービス", "架空システム株式会社 みどり支社", "㈱架空データセンター")
TEMPLATE_AFFAIRS = {
    "midori_kouki.txt": "後期高齢者医療に関する事務",
    "midori_kaigo.txt": "介護保険に関する事務",
    "midori_kokuho.txt": "国民健康保険に関する事務",
    "midori_jidou.txt": "児童手当に関する事務",
}
REPORTS_PER_BODY = 28.7  # ≈ 50,000 reports / 1,741 municipalities
MAX_BODIES = 1741

AFFAIRS = tuple(f"{name}に関する事務" for name in (
    "住民基本台帳", "個人住民税", "法人住民税", "固定資産税", "軽自動車税", "国民健康保険", "国民年金",
    "後期高齢者医療", "介護保険", "児童手当", "児童扶養手当", "特別児童扶養手当", "生活保護", "障害者福祉",
    "障害児福祉", "予防接種", "健康増進事業", "母子保健", "子ども医療費助成", "ひとり親家庭等医療費助成",
    "重度心身障害者医療費助成", "就学援助", "保育所等入所", "子どものための教育・保育給付", "児童育成手当",
    "特別支援教育就学奨励費", "公営住宅管理", "改良住宅管理", "精神保健福祉", "難病患者等支援",
    "中国残留邦人等支援給付", "災害弔慰金支給", "被災者生活再建支援", "自立支援医療", "高齢者福祉",
    "雇用対策", "奨学金", "犯罪被害者等支援", "地方税滞納整理", "特定優良賃貸住宅管理",
))

KANA_WORDS = (
    "あおば", "ひかり", "みなも", "こはく", "そよかぜ", "なごみ", "はるか", "ゆうなぎ", "あかね", "いぶき",
    "かすみ", "こずえ", "しずく", "すずらん", "たまゆら", "ちどり", "つむぎ", "ときわ", "なずな", "のぞみ",
    "ひばり", "ふたば", "ほたる", "まどか", "みずほ", "めぐみ", "もえぎ", "やまびこ", "ゆずりは", "よつば",
    "わかば", "あさぎ", "うらら", "おぼろ", "かがり", "きらら", "くれは", "さざなみ", "しらかば", "せせらぎ",
    "あけぼの", "いずみ", "かなで", "さつき", "ゆきの", "ひなた",
)
"""Parts of invented place names: two of them make one body (あおばひかり市)."""

BIG_VENDORS = ("架空電算株式会社", "株式会社架空総合システムズ", "架空情報技術株式会社", "架空ソリューションズ株式会社",
               "株式会社かくうデータ")
MID_VENDOR_STEMS = ("ひかり", "あおば", "つむぎ", "みずほ", "こはく", "ときわ", "わかば", "ほたる", "いぶき", "かすみ")
MID_VENDOR_KINDS = ("情報システム株式会社", "株式会社{}電算", "{}ソフト株式会社")

RATINGS = (("十分である", 0.7), ("特に力を入れている", 0.2), ("課題が残されている", 0.1))
ENCODINGS = (("utf-8", 0.85), ("cp932", 0.10), ("utf-8-sig-crlf", 0.05))
KINDS = (("市", 0.45), ("町", 0.43), ("村", 0.12))  # roughly 792 市, 743 町, 183 村


@dataclass(frozen=True)
class Body:
    name: str  # 評価実施機関名, e.g. あおばひかり市長
    place: str  # the body's place, e.g. あおばひかり市
    stem: str  # e.g. あおばひかり
    prefecture: str  # e.g. 架空こはく県


@dataclass(frozen=True)
class Spec:
    """One file to write: which template, for whom, what it should load as."""

    path: str  # relative to the output directory
    template: str
    body: Body
    number: int
    affair: str
    published: dt.date
    encoding: str

    @property
    def series_key(self) -> str:
        return f"{self.body.name}|{self.number}"


def _weighted(rng: random.Random, choices: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def make_bodies(count: int, rng: random.Random) -> list[Body]:
    """`count` distinct invented bodies in 47 invented prefectures."""
    stems = [a + b for a in KANA_WORDS for b in KANA_WORDS if a != b]
    rng.shuffle(stems)
    prefectures = [f"架空{word}県" for word in rng.sample(KANA_WORDS, 40)] + [f"架空{w}県" for w in ("ひがし", "にし", "みなみ", "きた", "なか", "かみ", "しも")]
    bodies = []
    for index in range(count):
        stem = stems[index]
        place = stem + _weighted(rng, KINDS)
        bodies.append(Body(f"{place}長", place, stem, prefectures[index % len(prefectures)]))
    return bodies


def reports_per_body(total: int, bodies: int, rng: random.Random) -> list[int]:
    """10–40 reports per body (wider only when `total` leaves no choice), summing to exactly `total`."""
    low, high = min(10, total // bodies), max(40, -(-total // bodies))
    raw = [rng.randint(10, 40) for _ in range(bodies)]
    scale = total / sum(raw)
    counts = [min(high, max(low, round(n * scale))) for n in raw]
    index = 0
    while sum(counts) != total:  # hand out (or take back) the remainder one by one, within bounds
        step = 1 if sum(counts) < total else -1
        if low <= counts[index % bodies] + step <= high:
            counts[index % bodies] += step
        index += 1
    return counts


def contractor(rng: random.Random, body: Body, mid_vendors: list[str]) -> str:
    """A skewed market: a few big vendors, many mid-size firms, a local firm of the body."""
    draw = rng.random()
    if draw < 0.45:
        vendor = rng.choices(BIG_VENDORS, weights=(40, 25, 15, 12, 8))[0]
        return f"{vendor} {body.prefecture}支社" if rng.random() < 0.3 else vendor
    if draw < 0.75:
        return rng.choice(mid_vendors)
    return f"株式会社{body.stem}情報サービス"


def plan(reports: int, seed: int) -> list[Spec]:
    """What to write for a corpus of `reports` files (deterministic for a seed)."""
    rng = random.Random(seed)
    templates = sorted(TEMPLATE_AFFAIRS)
    bodies = make_bodies(max(1, min(MAX_BODIES, round(reports / REPORTS_PER_BODY))), rng)
    specs: list[Spec] = []
    for body_index, (body, count) in enumerate(zip(bodies, reports_per_body(reports, len(bodies), rng))):
        old = count // 8 if count >= 8 else 0
        series = count - old
        affairs = rng.sample(AFFAIRS, min(series, len(AFFAIRS))) + [
            f"{a.removesuffix('に関する事務')}(第{i + 2}期)に関する事務" for i, a in enumerate(AFFAIRS[: max(0, series - len(AFFAIRS))])
        ]
        current = []
        for number in range(1, series + 1):
            published = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 6 * 365))
            current.append((number, affairs[number - 1], published, rng.choice(templates)))
        versions = [(n, a, p, t) for n, a, p, t in current]
        for number, affair, published, template in rng.sample(current, old):
            earlier = max(dt.date(2020, 1, 1), published - dt.timedelta(days=rng.randrange(200, 4 * 365)))
            if earlier == published:
                earlier = published - dt.timedelta(days=1)
            versions.append((number, affair, earlier, template))
        for number, affair, published, template in versions:
            specs.append(Spec(
                path=f"b{body_index:04d}/{body_index:04d}-{number:02d}-{published:%Y%m%d}.txt",
                template=template, body=body, number=number, affair=affair, published=published,
                encoding=_weighted(rng, ENCODINGS),
            ))
    return specs


def wareki(day: dt.date) -> str:
    """公表日 in 和暦 (令和 only: the corpus starts in 2020)."""
    return f"令和{day.year - 2018}年{day.month}月{day.day}日"


_CHOICE = re.compile(r"\[([^\[\]<>\n]{1,30})\]")
_OPTION = re.compile(r"\d\)\s*([^\s<>]+)")
_COVER_DATE = re.compile(r"(公表日\s*\n(?:[ \t]*\n)*)([^\n]+)")
_NUMBER = re.compile(r"(評価書番号\t評価書名\n)(\d+)")


def _vary_choices(text: str, rng: random.Random) -> str:
    """Redraw each single choice about people (人) from its own option list; vary risk ratings."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if "人" in line and ("選択肢" in line):
            options = _OPTION.findall(line)

            def redraw(match: re.Match) -> str:
                chosen = match.group(1)
                return f"[{rng.choice(options)}]" if "人" in chosen and chosen in options else match.group(0)

            lines[index] = _CHOICE.sub(redraw, line)
        if "[十分である]" in line:
            lines[index] = lines[index].replace("[十分である]", f"[{_weighted(rng, RATINGS)}]")
    return "\n".join(lines)


def render(spec: Spec, template_text: str, mid_vendors: list[str], seed: int) -> tuple[bytes, str]:
    """The report file of `spec`, encoded as it would be published, and the encoding used."""
    rng = random.Random(f"{seed}|{spec.path}")
    text = template_text
    for old in TEMPLATE_CONTRACTORS:  # before the body rename: two of them carry みどり
        text = text.replace(old, contractor(rng, spec.body, mid_vendors))
    text = text.replace(TEMPLATE_AFFAIRS[spec.template], spec.affair)
    text = text.replace(TEMPLATE_PREFECTURE, spec.body.prefecture)
    text = text.replace(f"{TEMPLATE_BODY}市", spec.body.place).replace(TEMPLATE_BODY, spec.body.stem)
    text = _NUMBER.sub(lambda m: f"{m.group(1)}{spec.number}", text, count=1)
    text = _COVER_DATE.sub(lambda m: f"{m.group(1)}{wareki(spec.published)}", text, count=1)
    text = _vary_choices(text, rng)
    if spec.encoding == "cp932":
        try:
            return text.encode("cp932"), "cp932"
        except UnicodeEncodeError:  # a character CP932 lacks: published as UTF-8 then
            return text.encode("utf-8"), "utf-8"
    if spec.encoding == "utf-8-sig-crlf":
        return text.replace("\n", "\r\n").encode("utf-8-sig"), spec.encoding
    return text.encode("utf-8"), "utf-8"


def mid_vendor_names(rng: random.Random) -> list[str]:
    names = []
    for stem in MID_VENDOR_STEMS:
        for kind in MID_VENDOR_KINDS:
            names.append(kind.format(f"架空{stem}") if "{}" in kind else f"架空{stem}{kind}")
    return names


def generate(out: Path, reports: int, seed: int = 1) -> list[Spec]:
    """Write `reports` report files and ``manifest.tsv`` under `out`; return what was written."""
    specs = plan(reports, seed)
    mid_vendors = mid_vendor_names(random.Random(seed))
    texts = {name: (SAMPLES / name).read_text(encoding="utf-8") for name in TEMPLATE_AFFAIRS}
    out.mkdir(parents=True, exist_ok=True)
    encodings = []
    for spec in specs:
        path = out / spec.path
        path.parent.mkdir(exist_ok=True)
        data, encoding = render(spec, texts[spec.template], mid_vendors, seed)
        path.write_bytes(data)
        encodings.append(encoding)
    with open(out / "manifest.tsv", "w", encoding="utf-8") as manifest:
        manifest.write("path\tseries_key\tpublished\taffair\ttemplate\tencoding\tprefecture\n")
        for s, encoding in zip(specs, encodings):
            manifest.write(f"{s.path}\t{s.series_key}\t{s.published}\t{s.affair}\t{s.template}\t{encoding}\t{s.body.prefecture}\n")
    return specs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="output directory (default bench/out/corpus-N)")
    args = parser.parse_args(argv)
    out = args.out or ROOT / "bench" / "out" / f"corpus-{args.reports}"
    started = time.perf_counter()
    specs = generate(out, args.reports, args.seed)
    size = sum((out / s.path).stat().st_size for s in specs)
    print(f"{len(specs)} reports, {len({s.body for s in specs})} bodies, {size / 1e6:.0f} MB in {out} "
          f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
