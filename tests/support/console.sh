# tests/support/console.sh - what the console's browser scripts
# (tests/console_*_test.sh) share: sourced after tests/support/tap.sh,
# with B (the build tree), T (the test's temporary directory) and H
# ("$B/hubctl -d $T/hub") set.

# A hub with two stations in two communities of one street (红旗社区's
# sq-hongqi-01 with the demo roster and boards, 东风社区's sq-dongfeng)
# and each community's secretary: hq-sec / hongqi-secret-1 and
# df-sec / dongfeng-secret. Status: whether all of it was made.
console_two_communities() {
    $H init >/dev/null 2>&1
    $H add-station sq-hongqi-01 "红旗社区党群服务站" >/dev/null &&
        $H add-station sq-dongfeng "东风社区党群服务站" >/dev/null &&
        $H import assets/demo/roster.csv >/dev/null 2>&1 &&
        $H publish-all assets/demo --station sq-hongqi-01 >/dev/null 2>&1 &&
        $H org add district qu-1 "城关区" && $H org add street jd-1 "新华街道" \
            --parent qu-1 &&
        $H org add community sq-c1 "红旗社区" --parent jd-1 &&
        $H org add community sq-c2 "东风社区" --parent jd-1 &&
        $H station place sq-hongqi-01 sq-c1 &&
        $H station place sq-dongfeng sq-c2 &&
        echo 'hongqi-secret-1' | $H user add hq-sec --role community \
            --scope sq-c1 &&
        echo 'dongfeng-secret' | $H user add df-sec --role community \
            --scope sq-c2
}

# hubd on free ports with its console; sets HUB (stopped by tap.sh's
# trap), PORT (the kiosks') and U (the console's base URL), waiting up
# to 10 s for both ports.
console_start_hub() {
    "$B/hubd" -d "$T/hub" --port 0 --port-file "$T/port" --console-port 0 \
        --console-port-file "$T/cport" 2>"$T/hubd.log" &
    HUB=$!
    i=0
    while { [ ! -s "$T/port" ] || [ ! -s "$T/cport" ]; } && [ $i -lt 200 ]; do
        sleep 0.05; i=$((i + 1))
    done
    PORT=$(cat "$T/port")
    U="https://127.0.0.1:$(cat "$T/cport")"
}
