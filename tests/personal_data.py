"""A personal-data corpus of our own: notes lines of several (fictional) offices, each carrying one
planted value of a known form, generated deterministically (IDs with real GB 11643 check
characters, cards passing Luhn). Used by test_privacy_corpus.py for detection and for the
recorded-wire test."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_AREAS = ["330102", "320583", "440304", "510107", "370202", "420106", "610113", "350203", "430104", "130105"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
GIVEN = "建国秀兰志强海燕玉梅德福桂英春生淑珍振华丽娟国平红霞文斌小军明辉爱华"
PLACES = ["东山", "柳溪", "青石", "白杨", "梅岭", "南湖", "桥头", "西塘", "龙泉", "枫林"]
ESTATES = ["阳光花园", "锦绣家园", "丽景小区", "翠湖名苑", "金桂新村", "和平小区"]
ROADS = ["人民路", "解放街", "建设大道", "文昌路", "中山路", "新华街"]
PROVINCES = "浙苏鲁皖赣闽粤川鄂湘"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class Planted:
    kind: str
    value: str
    line: str


def id18(rng: random.Random) -> str:
    body = f"{rng.choice(_AREAS)}{rng.randint(1950, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS)) % 11]


def id15(rng: random.Random) -> str:
    return f"{rng.choice(_AREAS)}{rng.randint(40, 98)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"


def card(rng: random.Random, length: int = 19) -> str:
    digits = [6, 2, 2] + [rng.randint(0, 9) for _ in range(length - 4)]
    total = 0
    for index, d in enumerate(reversed(digits)):
        d = d * 2 if index % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"


def name(rng: random.Random, given: int = 2) -> str:
    return rng.choice(SURNAMES) + "".join(GIVEN[rng.randrange(len(GIVEN) // 2) * 2 + i] for i in range(given))


def _groups(text: str, sizes: tuple[int, ...], sep: str = " ") -> str:
    out, at = [], 0
    for size in sizes:
        out.append(text[at : at + size])
        at += size
    if at < len(text):
        out.append(text[at:])
    return sep.join(out)


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


Maker = Callable[[random.Random], Planted]

FORMS: dict[str, Maker] = {
    "name-cue": lambda r: (v := name(r), Planted("name-cue", v, f"信访人{v}反映村道硬化施工质量问题，已督促整改到位"))[1],
    "name-contact-verb": lambda r: (v := name(r), Planted("name-contact-verb", v, f"约谈上访老户{v}，当面讲清政策依据"))[1],
    "name-after-jingyu": lambda r: (v := name(r), Planted("name-after-jingyu", v, f"经与{v}多次沟通，双方签订和解协议"))[1],
    "name-mou": lambda r: (v := r.choice(SURNAMES) + r.choice(["某", "某某"]), Planted("name-mou", v, f"{v}因征地补偿问题来访，已按程序答复"))[1],
    "name-title": lambda r: (v := r.choice(SURNAMES) + r.choice(["女士", "先生"]), Planted("name-title", v, f"{v}反映物业收费问题，协调住建部门处理"))[1],
    "name-list": lambda r: (v := f"{name(r)}、{name(r, 1)}", Planted("name-list", v, f"{v}等3人集体反映欠薪问题，督促企业兑付"))[1],
    "address-cue": lambda r: (v := f"{r.choice(PLACES)}村{r.randint(1, 12)}组{r.randint(1, 80)}号", Planted("address-cue", v, f"信访人家住{v}，反映邻里宅基地纠纷"))[1],
    "address-estate": lambda r: (v := f"{r.choice(ESTATES)}{r.randint(1, 30)}幢{r.randint(1, 30)}0{r.randint(1, 4)}室", Planted("address-estate", v, f"{v}住户反映楼道积水问题，已转街道办理"))[1],
    "address-road": lambda r: (v := f"{r.choice(ROADS)}{r.randint(1, 300)}号{r.randint(1, 6)}单元{r.randint(1, 30)}0{r.randint(1, 4)}室", Planted("address-road", v, f"来信反映{v}噪声扰民，交由城管部门核查"))[1],
    "id18": lambda r: (v := id18(r), Planted("id18", v, f"来访人身份证号{v}，已登记"))[1],
    "id18-grouped": lambda r: (v := _groups(id18(r), (6, 8, 4)), Planted("id18-grouped", v, f"核对证件{v}无误后受理"))[1],
    "id15-unlabelled": lambda r: (v := id15(r), Planted("id15-unlabelled", v, f"老户籍信息{v}与现登记不符，协调公安核实"))[1],
    "mobile": lambda r: (v := mobile(r), Planted("mobile", v, f"回访电话{v}，群众表示满意"))[1],
    "mobile-grouped": lambda r: (v := _groups(mobile(r), (3, 4, 4), r.choice([" ", "-"])), Planted("mobile-grouped", v, f"留下联系方式{v}以便回复"))[1],
    "mobile-fullwidth": lambda r: (v := _fullwidth(mobile(r)), Planted("mobile-fullwidth", v, f"来信所留号码{v}已停机，改为上门送达"))[1],
    "landline-area": lambda r: (v := f"0{r.randint(510, 599)}-{r.randint(81000000, 89999999)}", Planted("landline-area", v, f"信访人来电{v}咨询办理进度"))[1],
    "landline-local": lambda r: (v := f"{r.randint(81000000, 89999999)}", Planted("landline-local", v, f"联系电话{v}，由专人跟踪"))[1],
    "bank-card": lambda r: (v := card(r), Planted("bank-card", v, f"补偿款已转入银行卡号{v}"))[1],
    "bank-card-grouped": lambda r: (v := _groups(card(r), (4, 4, 4, 4)), Planted("bank-card-grouped", v, f"核实收款账户{v}后发放救助金"))[1],
    "email": lambda r: (v := f"{r.choice(['lin', 'zhao', 'hu', 'qiao'])}{r.randint(10, 9999)}@{r.choice(['163.com', 'qq.com', 'sina.cn'])}", Planted("email", v, f"答复意见书已发送至{v}"))[1],
    "plate": lambda r: (v := f"{r.choice(PROVINCES)}{r.choice(PLATE_LETTERS)}{r.randint(10000, 99999)}", Planted("plate", v, f"反映{v}车辆长期占用消防通道，已移交交警"))[1],
    "wechat": lambda r: (v := f"{r.choice(['wxid_', 'hz', 'ly_', 'qs'])}{r.choice(['lin', 'chen', 'xf'])}{r.randint(1000, 99999)}", Planted("wechat", v, f"信访人通过微信号{v}补充材料"))[1],
    "qq": lambda r: (v := str(r.randint(10_000_000, 2_999_999_999)), Planted("qq", v, f"通过QQ{v}与信访人保持联系"))[1],
    "case-court": lambda r: (v := f"（{r.randint(2021, 2025)}）浙{r.randint(100, 1199):04d}民初{r.randint(1, 9999)}号", Planted("case-court", v, f"该事项已进入诉讼程序，案号{v}"))[1],
    "case-online": lambda r: (v := f"XF{r.choice(_AREAS)}{r.randint(2023, 2025)}{r.randint(1, 99999):05d}", Planted("case-online", v, f"网上信访件{v}已按期办结"))[1],
    "case-bracket": lambda r: (v := f"〔{r.randint(2023, 2025)}〕{r.randint(1, 999)}号", Planted("case-bracket", v, f"信访事项{v}经复查维持原处理意见"))[1],
}

OFFICES = ["白沙县信访局", "临川区人力资源和社会保障局", "枫桥镇人民政府", "江湾区市场监督管理局", "石门县司法局"]


def corpus(per_form: int = 4, seed: int = 18) -> list[Planted]:
    """``per_form`` values of every form: 26 forms × 4 = 104 planted values by default."""
    rng = random.Random(seed)
    return [FORMS[form](rng) for _ in range(per_form) for form in FORMS]


def notes(planted: list[Planted], office: str = OFFICES[0], year: int = 2025) -> str:
    """A notes file carrying every planted line as a bullet, with ordinary figures beside them."""
    lines = ["---", f"office: {office}", f"year: {year}", "---", "# 主要举措和成效",
             f"- 全年受理信访事项{len(planted) * 3}件，按期办结率97.5%"]
    lines += [f"- {p.line}" for p in planted]
    lines += ["# 存在的不足", "- 基层化解能力有待提升", "# 下一步工作安排", "- 深化信访工作法治化"]
    return "\n".join(lines) + "\n"
