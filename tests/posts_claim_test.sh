#!/bin/sh
# 认岗 end to end: the real hubd over mutual TLS, the real kiosk in script
# mode, kioskctl sync between them. Members claim open places on posts
# with their cards (stored as post_claim events, shown 待审核); staff
# approve one with `hubctl claim approve` (the post is republished and
# the kiosk's board shows the member as holder) and decline another with
# a reason the member reads in My record; a claim whose post the hub
# closed before the upload is refused at the hub and its reason shown the
# same way; a closed post offers no claim at the kiosk. Usage: $0
# BUILD_DIR; prints TAP.
set -u
B=${1:-build}
T=$(mktemp -d /tmp/posts_claim.XXXXXX)
HUB=""
. tests/support/tap.sh
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
H="$B/hubctl -d $T/hub"

$H init >/dev/null && $H add-station sq-hongqi-01 "红旗社区党群服务站" &&
    $H import assets/demo/roster.csv >/dev/null && $H card init >/dev/null &&
    $H publish posts assets/demo/posts.json --station sq-hongqi-01 >/dev/null
check $? 0 "hub ready, the demo posts published (3 open for claiming)"
# Cards valid on the scripted kiosk's date (2026-11-23).
card() { $H card issue M "$1" sq-hongqi-01 --from 2026-11-01 --to 2027-10-31; }
A=$(card HQ0003)            # 郑丽华: claims 财务监督岗, approved
D=$(card HQ0004)            # 邓凯文: claims 维稳监督岗, declined
C=$(card HQ0007)            # 陈正平: claims 宣教监督岗, closed before upload
"$B/hubd" -d "$T/hub" --port 0 --port-file "$T/port" 2>"$T/hubd.log" &
HUB=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/port")
mkdir -p "$T/shots" "$T/k" && cp "$T/hub/ca.crt" "$T/k/hub-ca.crt"
sed "s|^assets_dir *=.*|assets_dir = $(pwd)/assets|" assets/demo/station.ini \
    >"$T/station.ini"
set -- --config "$T/station.ini" --set "kiosk.state_dir=$T/k" \
    --set hub.host=127.0.0.1 --set "hub.port=$PORT" \
    --set station.id=sq-hongqi-01 --set kiosk.device_id=kiosk-7 \
    --set "update.root=$T/app" --set "update.factory=$T/factory"
"$B/kioskctl" "$@" enrol "$($H enrol-code sq-hongqi-01 kiosk-7)" >/dev/null
check $? 0 "kiosk enrolled"
"$B/kioskctl" "$@" sync >/dev/null 2>&1
check $? 0 "the boards reach the kiosk"

cat >"$T/claim.txt" <<SCRIPT
tap boards
tap board.0
tap cat.1
expect screen post
expect text 暂不接受认领
expect notext 认领此岗位
tap back
tap cat.0
expect screen post
expect text 认领中，空缺1个
tap claim
expect screen claim
scan $A
expect text 郑丽华，请选择认领的角色
expect notext 认领副岗长
tap role.member
expect text 认领申请已提交
tap done
expect text 1份申请待审核
tap back
tap cat.5
tap claim
scan $D
tap role.member
expect text 认领申请已提交
tap done
tap back
tap cat.6
tap claim
scan $C
tap role.member
expect text 认领申请已提交
SCRIPT
"$B/kiosk" "$@" --script "$T/claim.txt" --shots "$T/shots" \
    >"$T/kiosk.log" 2>&1
check $? 0 "three members claim open places with their cards; a closed post offers no claim"


# Staff close 宣教监督岗 before the kiosk uploads: its claim is refused.
python3 -c 'import json,sys
p=json.load(open("assets/demo/posts.json"))
for x in p:
    if x["id"]=="P07": x["open"]=False; x.pop("places",None)
json.dump(p,open(sys.argv[1],"w"),ensure_ascii=False)' "$T/posts.json"
$H publish posts "$T/posts.json" --station sq-hongqi-01 >/dev/null
check $? 0 "宣教监督岗 closed for claiming"
"$B/kioskctl" "$@" sync >/dev/null 2>&1
check $? 0 "the claims are uploaded"
check "$($H claims --station sq-hongqi-01 | csv_fields | cut -d'|' -f2-6)" \
"station|member_no|name|post|role
sq-hongqi-01|HQ0003|郑丽华|P01|member
sq-hongqi-01|HQ0004|邓凯文|P06|member" "hubctl claims: the two pending"
check "$($H refused | csv_fields | grep -c 'post_claim.*post not open for claiming')" \
    1 "the claim on the closed post is refused at the hub, with why"
ID1=$($H claims | csv_fields | grep HQ0003 | cut -d'|' -f1)
ID2=$($H claims | csv_fields | grep HQ0004 | cut -d'|' -f1)
check "$($H claim approve "$ID1")" "claim $ID1: approved" "staff approve 郑丽华's claim"
$H claim decline "$ID2" 2>"$T/err"
check "$?" 1 "a decline without a reason is refused"
check "$(cat "$T/err")" \
    "hubctl claim: claim $ID2: a decline needs --reason TEXT (the member reads it)" \
    "and says why"
check "$($H claim decline "$ID2" --reason 本岗位已有合适人选)" \
    "claim $ID2: declined" "staff decline 邓凯文's claim with a reason"
$H claim approve "$ID2" 2>"$T/err"
check "$(cat "$T/err")" "hubctl claim: claim $ID2: already declined" \
    "a decided claim is not decided again"
check "$($H claims | wc -l)" 1 "nothing pending any more"
"$B/kioskctl" "$@" sync >/dev/null 2>&1
check $? 0 "the decisions reach the kiosk"

cat >"$T/after.txt" <<SCRIPT
tap boards
tap board.0
tap cat.0
expect text 郑丽华
expect text 暂不接受认领
screenshot post_approved
tap back
tap back
tap back
expect screen home
tap record
scan $A
expect screen record
expect text 已通过
tap back
expect screen home
tap record
scan $D
expect text 未通过的理由：本岗位已有合适人选
screenshot record_declined
tap back
tap record
scan $C
expect text 未通过的理由：该岗位暂不接受认领
SCRIPT
"$B/kiosk" "$@" --script "$T/after.txt" --shots "$T/shots" \
    >"$T/kiosk.log" 2>&1
check $? 0 "the board shows the new holder; My record shows each outcome and reason"

check "$(test -s "$T/shots/post_approved.png" && echo yes)" yes \
    "the post's board screenshot is written"
echo "1..$n"
