#!/usr/bin/env python3
"""Generate the demo station's data in assets/demo/.

The output is reproducible: a fixed seed and no dependence on the date,
so running this again rewrites byte-identical files and a diff shows only
deliberate changes. Standard library only, so it runs anywhere the build
does.

    python3 scripts/make-demo.py [--out DIR]

Every name and phone number made here is fictitious. Phone numbers all
lie in the 1380000xxxx block so none can reach a real subscriber.
"""

import argparse
import csv
import io
import json
import os
import random
import sys

SEED = 20261122

STATION_ID = "sq-hongqi-01"
STATION_NAME = "红旗社区党群服务站"
COMMUNITY = "红旗社区"
DEVICE_ID = "kiosk-hongqi-01"
MEMBER_PREFIX = "HQ"
MEMBER_COUNT = 60

SHIFTS = ["上午 09:00-12:00", "下午 14:00-17:30"]

# Common surnames, the most frequent first; the weights keep the mix
# close to a real neighbourhood (many Wang, Li, Zhang; few Qin or Tang).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
    "彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯史陶贺顾郝龚邵万严武戴"
)

# Given names by generation: retired members carry the names of the
# 1940s-60s, in-service members those of the 1970s-90s.
GIVEN_OLD = [
    "建华", "国庆", "卫东", "红梅", "秀兰", "桂芳", "淑华", "玉兰", "志刚",
    "德明", "永红", "凤英", "丽华", "秀珍", "桂英", "淑珍", "玉梅", "振华",
    "国强", "建平", "长顺", "福生", "跃进", "爱华", "素芬", "金凤", "宝山",
    "文彬", "春生", "兰英", "树林", "德胜", "凤琴", "秀云", "广田", "学军",
    "保国", "庆华", "玉珍", "秀梅", "桂香", "振国", "宝华", "淑英", "德福",
    "永福", "玉芬", "连生", "翠花", "水生", "美兰", "兆祥", "正平", "惠芳",
]
GIVEN_YOUNG = [
    "晓雯", "思远", "雨桐", "俊杰", "佳怡", "一鸣", "晨曦", "子轩", "欣然",
    "浩宇", "梦瑶", "博文", "宇航", "诗琪", "嘉豪", "雅琴", "明轩", "静怡",
    "志远", "海燕", "晓东", "丹丹", "永强", "春燕", "文博", "立新", "慧敏",
    "婧", "磊", "芳", "鹏", "洁", "昊", "琳", "悦", "晖",
    "晓峰", "伟民", "艳红", "立华", "建新", "丽娟", "亚楠", "宏伟", "婷婷",
    "志勇", "晓静", "文涛", "红霞", "雪梅", "少华", "国栋", "瑞雪", "凯文",
]

# Names shared with well-known public figures; skipped so no demo screen
# seems to show a celebrity or an official.
FAMOUS = {
    "王建国", "李建国", "刘涛", "李娜", "李敏", "张勇", "王涛", "王菲",
    "刘洋", "杨洋", "张杰", "王刚", "陈红", "周涛", "赵薇", "刘翔", "姚明",
    "马龙", "黄磊", "周迅", "马云", "李宁", "林丹", "孙杨", "王凯", "胡歌",
    "韩磊", "杨澜", "朱军", "董卿", "何炅", "汪涵", "谢娜", "王楠", "丁宁",
    "杨威", "李静", "张鹏", "王磊", "李琳", "王洁", "孙悦", "刘芳", "王芳",
    "朱婧", "陈晓东", "杨丽华", "刘晓东", "张春生", "李春燕", "王海燕",
}


def fake_phone(n):
    """The n-th number of the fictitious 1380000xxxx block."""
    assert 0 <= n <= 9999
    return "1380000%04d" % n


class NameMaker:
    """Draws unique, plausible names; one instance for the whole station
    so a contact never shares a name with a member by accident."""

    def __init__(self, rng):
        self.rng = rng
        self.used = set(FAMOUS)
        self.given = {}
        self.weights = [1.0 / (i + 4) for i in range(len(SURNAMES))]

    def make(self, old):
        pool = GIVEN_OLD if old else GIVEN_YOUNG
        while True:
            surname = self.rng.choices(SURNAMES, self.weights)[0]
            given = self.rng.choice(pool)
            name = surname + given
            # A given name at most twice, so the boards do not read as
            # a list of namesakes.
            if name not in self.used and self.given.get(given, 0) < 2:
                self.used.add(name)
                self.given[given] = self.given.get(given, 0) + 1
                return name


def make_roster(rng, names):
    """About two thirds retired members, the rest in service."""
    roster = []
    for i in range(1, MEMBER_COUNT + 1):
        old = rng.random() < 0.65
        roster.append({
            "member_no": "%s%04d" % (MEMBER_PREFIX, i),
            "name": names.make(old),
            "phone": fake_phone(i),
            "community": COMMUNITY,
            "station": STATION_ID,
        })
    return roster


POSTS = [
    ("财务", "监督社区集体资金、资产、资源的使用和管理，参与审核每季度财务公开"
             "内容。发现问题及时向社区党组织报告，并跟踪整改结果。"),
    ("服务", "监督社区便民服务事项的办理时限和服务态度。定期收集居民对服务"
             "窗口的意见建议，督促提升办事效率。"),
    ("管理", "监督物业服务合同履行和小区公共设施的日常管理。协助排查电梯、"
             "消防通道等公共区域的安全隐患，推动问题整改落实。"),
    ("治理", "参与邻里矛盾纠纷的排查和调解，监督居民公约及议事协商结果的"
             "执行情况。"),
    ("党务", "监督党务公开和“三会一课”、组织生活会等制度的落实情况。督促"
             "党员按时足额交纳党费，协助做好党员教育管理。"),
    ("维稳", "协助做好重点时段、重点区域的治安巡查。及时发现并报告各类不稳定"
             "因素，维护社区平安和谐。"),
    ("宣教", "监督党的方针政策和社区重大事项的宣传解读是否到位。组织开展理论"
             "学习、文明创建和移风易俗宣传活动。"),
    ("城建", "监督老旧小区改造、道路维修等工程的施工质量、进度和文明施工。"
             "收集居民对市容环境和停车管理的意见。"),
]


def make_posts(rng, roster):
    """Each post has a head, a deputy and 2-4 members; no member holds
    more than two posts."""
    held = {m["member_no"]: 0 for m in roster}
    posts = []
    for order, (category, duties) in enumerate(POSTS, start=1):
        size = 2 + rng.randint(2, 4)
        free = [no for no, n in held.items() if n < 2]
        chosen = rng.sample(free, size)
        holders = []
        for k, no in enumerate(chosen):
            role = "head" if k == 0 else "deputy" if k == 1 else "member"
            holders.append({"member_no": no, "role": role})
            held[no] += 1
        posts.append({
            "id": "P%02d" % order,
            "category": category,
            "name": category + "监督岗",
            "duties": duties,
            "order": order,
            "holders": holders,
        })
    return posts


def make_duty(rng, roster):
    """Two shifts a day for a week, one or two members each, and nobody
    on both shifts of the same day."""
    numbers = [m["member_no"] for m in roster]
    duty = []
    for day in range(7):
        today = rng.sample(numbers, 4)
        for s, shift in enumerate(SHIFTS):
            count = rng.randint(1, 2)
            for no in today[s * 2:s * 2 + count]:
                duty.append({"day_offset": day, "shift": shift,
                             "member_no": no})
    return duty


GRID_NAMES = ["第一网格", "第二网格", "第三网格", "第四网格"]
GRID_DUTIES = (
    "负责{grid}（{first}-{last}号楼）的日常巡查和人口信息采集，排查化解"
    "矛盾纠纷。收集居民诉求，能办的当场办，办不了的及时上报社区。"
)
BUILDING_DUTIES = [
    "负责本楼栋居民的联络和通知传达，排查楼道堆物、电动车违规充电等"
    "安全隐患。",
    "负责本楼栋的信息上传下达和环境卫生监督，协助网格长走访独居老人和"
    "困难家庭。",
    "负责本楼栋居民意见收集和邻里纠纷的初步调解，组织楼栋居民参与社区"
    "志愿服务。",
]
UNIT_DUTIES = [
    "负责本单元居民走访，重点关注独居、高龄老人，遇有情况及时报告楼栋长。",
    "负责本单元通知张贴和楼道卫生监督，收集居民的意见建议。",
    "负责本单元的楼道安全巡查，提醒居民不在楼道堆放杂物、不飞线充电。",
]


def make_contacts(rng, names):
    """20 buildings in four grids of five. The grid leader is listed
    under every building of the grid, so a resident searching by building
    finds both the building leader and the grid leader."""
    contacts = []
    phone = 5000

    def add(building, unit, name, role, duties, tel):
        contacts.append({
            "id": "C%03d" % (len(contacts) + 1),
            "building": str(building), "unit": unit, "name": name,
            "role": role, "duties": duties, "phone": tel,
        })

    grids = []
    for g, grid in enumerate(GRID_NAMES):
        phone += 1
        first, last = g * 5 + 1, g * 5 + 5
        grids.append((names.make(rng.random() < 0.3), fake_phone(phone),
                      GRID_DUTIES.format(grid=grid, first=first, last=last)))
    for b in range(1, 21):
        gname, gphone, gduties = grids[(b - 1) // 5]
        add(b, "", gname, "grid_leader", gduties, gphone)
        phone += 1
        add(b, "", names.make(rng.random() < 0.7), "building_leader",
            rng.choice(BUILDING_DUTIES), fake_phone(phone))
        for u in range(1, rng.randint(2, 4) + 1):
            if rng.random() < 0.4:
                phone += 1
                add(b, str(u), names.make(rng.random() < 0.7), "unit_leader",
                    rng.choice(UNIT_DUTIES), fake_phone(phone))
    return contacts


NOTICES = [
    (0, "服务站冬季开放时间调整",
     "即日起服务站执行冬季开放时间：上午9:00至12:00，下午14:00至17:30。"
     "周六、周日正常开放，法定节假日另行通知。如有急事，请拨打值班电话或联系"
     "所在楼栋长。"),
    (1, "冬季消防安全提示",
     "冬季天干物燥，用火用电增多，请居民朋友注意防火安全。电动自行车请到"
     "小区集中充电点充电，严禁推入楼道和家中，严禁飞线充电。外出和睡前请"
     "检查燃气阀门，不使用时及时关闭。楼道内请勿堆放纸箱等易燃杂物。"),
    (3, "关于开展本月主题党日活动的通知",
     "本月主题党日活动定于本周六上午9:30在服务站二楼会议室举行。活动内容为"
     "集中学习、重温入党誓词和“我为群众办实事”交流发言。请全体党员准时"
     "参加，签到时请扫描党员码。因病因事不能参加的，请提前向所在支部请假。"),
    (6, "垃圾分类宣传进楼栋",
     "社区将联合物业开展垃圾分类宣传进楼栋活动，志愿者将逐楼发放分类指南"
     "和厨余垃圾桶。请居民按照厨余垃圾、可回收物、有害垃圾、其他垃圾四类"
     "分类投放。对分类问题有疑问的，可到服务站咨询。"),
    (9, "关于收缴第四季度党费的通知",
     "第四季度党费收缴工作现已开始，请各位党员于本月底前交纳。可通过线上"
     "缴费渠道交纳，也可在服务站开放时间内到党务窗口办理。行动不便的老党员"
     "可联系支部委员上门收缴。"),
    (14, "“关爱老人”志愿服务招募",
     "为做好冬季独居、高龄老人关爱工作，现面向社区党员和居民招募志愿者。"
     "服务内容包括定期探访、代购生活用品、陪同就医等。有意参加的请到服务站"
     "登记，服务时长可记入服务记实。"),
    (21, "社区卫生服务站义诊活动",
     "社区卫生服务站将在服务站一楼大厅开展义诊活动，提供测血压、测血糖和"
     "健康咨询服务。请有需要的居民带好医保卡，按楼栋分时段前来，避免排队"
     "等候。"),
    (28, "在职党员进社区报到提醒",
     "尚未到居住地社区报到的在职党员，请携带党员码或党员编号到服务站扫码"
     "报到。报到后可认领社区服务岗位，参加志愿服务活动。已报到的党员请关注"
     "服务站通知，积极参与社区治理。"),
]


def make_notices():
    return [{"id": "N%02d" % i, "title": title, "body": body,
             "published_days_ago": days}
            for i, (days, title, body) in enumerate(NOTICES, start=1)]


def make_stars(rng, roster):
    """Points built so that, for any member, year >= quarter >= month:
    the quarter adds earlier months to this month, the year adds earlier
    quarters."""
    pool = rng.sample([m["member_no"] for m in roster], 30)
    points = {}
    for no in pool:
        month = rng.randint(8, 60)
        quarter = month + rng.randint(10, 90)
        year = quarter + rng.randint(40, 360)
        points[no] = {"month": month, "quarter": quarter, "year": year}
    stars = []
    for period in ("month", "quarter", "year"):
        ranked = sorted(pool, key=lambda no: (-points[no][period], no))
        for rank, no in enumerate(ranked[:10], start=1):
            stars.append({"period": period, "rank": rank, "member_no": no,
                          "points": points[no][period]})
    return stars


STATION_INI = """\
; Kiosk configuration for the demo station ({name}).
; Every key here is in firmware/config.c's table; omitted keys take their
; defaults. Generated by scripts/make-demo.py.

[station]
id = {station}
name = {name}
; China Standard Time, UTC+8.
utc_offset_minutes = 480
; `make run` prints demo cards; typed member numbers are accepted too.
allow_member_number = true
; The keypad types digits; member numbers here look like HQ0001.
member_prefix = HQ
; "1" typed is HQ0001; My record by number asks for the member's PIN
; (set at the hub: hubctl member-pin), five wrong tries lock it 15 minutes.
member_digits = 4
member_check = pin
pin_tries = 5
pin_lock_minutes = 15
; Shown under the duty roster (值班电话).
duty_phone = 010-6500 1234
max_visit_minutes = 720
stale_visit_credit_minutes = 60
duplicate_scan_seconds = 60
service_backfill_days = 7

[kiosk]
device_id = {device}
state_dir = state
board = sim
language = zh_CN
large_text = false
width = 1024
height = 600
fullscreen = false
idle_home_seconds = 60
idle_record_seconds = 30
dim_seconds = 300
attract_seconds = 12
; Spoken prompts (espeak-ng, Mandarin) on every result.
voice = true
voice_volume = 80
assets_dir = assets
; Demo technician PIN 1234 (five taps on the station name open the keypad).
; Make a real one with: kiosk --hash-pin NNNN
tech_pin_hash = pbkdf2-sha256$100000$4160ea6181ee7fe8dcb6b3a9ecc9f21f$921e569d4e79a1d0f0bb2e2fa363ad86ec290f80166e65913e35476c23e69a42

[hub]
; Empty: no hub (load the boards with `kioskctl load-demo assets/demo`).
; `make run` sets 127.0.0.1 and starts a hub with the demo data.
host =
port = 8443
sync_interval_seconds = 60

[board]
; Empty scanner: the simulated board reads scans from the keyboard.
scanner =
backlight_dir =
watchdog = none
"""

README = """\
# Demo station: {name} ({station})

Generated by `python3 scripts/make-demo.py` (fixed seed; rerunning gives
identical files). Edit the script, not these files.

All names and phone numbers here are fictitious: names are drawn at random
from common surnames and given names, and every phone number is in the
made-up block 1380000xxxx. Any likeness to a real person is coincidental.

- `station.ini`: kiosk configuration for the demo station (simulated board,
  zh_CN, no hub), using only keys known to firmware/config.c.
- `roster.csv`: {members} party members of {community}, UTF-8 CSV with header
  `member_no,name,phone,community,station`; the hub masks phones for display.
- `posts.json`: the 8 supervision posts (监督岗), one per category, each with
  duties, display order and holders (head, deputy, members) from the roster.
- `duty.json`: one week of the station-desk roster (值班表): two shifts a day,
  `day_offset` 0-6 counted from the day the data is loaded.
- `contacts.json`: grid leaders (网格长), building leaders (楼栋长) and some unit
  leaders (单元长) for buildings 1-20; unit "" means the whole building, and a
  grid leader is listed under each building of the grid.
- `notices.json`: notices (通知公告) with title and body;
  `published_days_ago` is counted back from the day the data is loaded.
- `stars.json`: the star board (星光榜): top 10 by points for month, quarter
  and year; a member's year points >= quarter >= month.
- `ledger_types.json` (written by hand, not by make-demo.py): the types of
  residents' requests (我要反映) and small wishes (微心愿): code, name,
  name_en, kinds, display order, `deadline_days` (overdue after that many
  days) and a wish's `points` (the hub's rules), and up to 8 preset
  descriptions each. `hubctl ledger types` loads it on the hub; the
  kiosk's offline demo loads it directly.
- `work_units.csv`: work units (单位) for 双报到: `code,name,paired_community`
  (the community paired with the unit, 结对共建社区, or empty); on a hub,
  `hubctl unit add CODE NAME --paired-community C` for each.
- `roster_units.csv`: the same roster with the columns `work_unit` (a unit's
  code, or empty) and `reg_kind` (`residence` 居住地 / `paired` 结对共建社区),
  for `hubctl import` once the units are added; the kiosk's offline demo
  takes each member's unit and kind from it. `roster.csv` stays in the old
  five-column form, which every hub still imports.
"""


def dump_json(data):
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def dump_csv(roster, more=()):
    buf = io.StringIO()
    fields = ["member_no", "name", "phone", "community", "station"]
    fields += list(more)
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(roster)
    return buf.getvalue()


# Work units (单位) whose in-service members report to the community
# (双报到): code, name, the community paired with the unit (结对共建社区).
WORK_UNITS = [
    ("edu", "区教育局", COMMUNITY),
    ("hosp", "区人民医院", COMMUNITY),
    ("tax", "区税务局", ""),
    ("bank", "城东农商银行", ""),
]


def make_units(rng, roster):
    """About four in ten members are in service and have a work unit;
    those of a unit paired with the community mostly register there
    (paired), everyone else where they live (residence)."""
    rows = []
    for m in roster:
        row = dict(m, work_unit="", reg_kind="residence")
        if rng.random() < 0.4:
            code, _, paired = rng.choice(WORK_UNITS)
            row["work_unit"] = code
            if paired and rng.random() < 0.6:
                row["reg_kind"] = "paired"
        rows.append(row)
    return rows


def dump_units():
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["code", "name", "paired_community"])
    w.writerows(WORK_UNITS)
    return buf.getvalue()


def build():
    """Return {file name: text}. Each part draws from its own seeded
    generator so changing one file's recipe leaves the others alone."""
    def rng(part):
        return random.Random("%d/%s" % (SEED, part))

    names = NameMaker(rng("names"))
    roster = make_roster(rng("roster"), names)
    fmt = {"name": STATION_NAME, "station": STATION_ID, "device": DEVICE_ID,
           "community": COMMUNITY, "members": len(roster)}
    return {
        "station.ini": STATION_INI.format(**fmt),
        "roster.csv": dump_csv(roster),
        "posts.json": dump_json(make_posts(rng("posts"), roster)),
        "duty.json": dump_json(make_duty(rng("duty"), roster)),
        "contacts.json": dump_json(make_contacts(rng("contacts"), names)),
        "notices.json": dump_json(make_notices()),
        "stars.json": dump_json(make_stars(rng("stars"), roster)),
        "README.md": README.format(**fmt),
        "work_units.csv": dump_units(),
        "roster_units.csv": dump_csv(make_units(rng("units"), roster),
                                     ["work_unit", "reg_kind"]),
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="Generate assets/demo/.")
    ap.add_argument("--out", default=os.path.join(here, "..", "assets",
                                                  "demo"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    files = build()
    for fname, text in files.items():
        with open(os.path.join(args.out, fname), "w", encoding="utf-8",
                  newline="\n") as f:
            f.write(text)
    print("wrote %d files to %s" % (len(files), os.path.normpath(args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
