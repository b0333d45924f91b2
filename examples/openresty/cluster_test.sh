#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# cluster_test.sh: three raftc-kv nodes in three nginx instances on loopback (docs/lua.md):
# writes through each node; SIGKILL of the leader's nginx master (its workers must follow); a new
# leader within the election timeout; no acknowledged write lost; the killed node restarts and
# catches up; membership: 409/404 answers, a learner joins, catches up and exits 0 when removed;
# SIGTERM stops every node. Prints what it measured; the last line is
# "openresty: ..." (exit 0 = passed). Env: RAFTKV_BASE_PORT (default: a random free range).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# four free loopback ports (the machine may run other tests): base+1 .. base+4
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
base="${RAFTKV_BASE_PORT:-}"
if [ -z "$base" ]; then
    for _ in $(seq 1 20); do
        base=$(( 20000 + RANDOM % 20000 ))
        port_free $((base + 1)) && port_free $((base + 2)) && port_free $((base + 3)) &&
            port_free $((base + 4)) && break
    done
fi
tick_ms=100
tmp="$(mktemp -d)"
declare -A pgid
peers="1=http://127.0.0.1:$((base + 1)),2=http://127.0.0.1:$((base + 2)),3=http://127.0.0.1:$((base + 3))"

fail() {
    echo "openresty: FAILED: $*"
    for n in 1 2 3 4; do
        echo "--- node $n error.log (tail)"
        tail -n 15 "$tmp/n$n/nginx/logs/error.log" 2>/dev/null || true
    done
    exit 1
}
cleanup() {
    for n in "${!pgid[@]}"; do kill -KILL -- "-${pgid[$n]}" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

url() { echo "http://127.0.0.1:$((base + $1))"; }
start() {
    setsid "$here/raftc-kv" --id "$1" --listen "127.0.0.1:$((base + $1))" --data "$tmp/n$1" \
        --peers "$peers" --tick-ms "$tick_ms" >"$tmp/n$1.out" 2>&1 &
    pgid[$1]=$!
}
field() { sed -n "s/.*\"$2\":\"\{0,1\}\([A-Za-z0-9]*\).*/\1/p" <<<"$1"; }
status() { curl -s -m 1 "$(url "$1")/status" || true; }
leader_of() { # the id some live node reports as leader and that says it is leader
    local n s
    for n in "$@"; do
        s="$(status "$n")"
        # the answer must come from our node n (not another process on a reused port)
        if [ "$(field "$s" state)" = StateLeader ] && [ "$(field "$s" id)" = "$n" ] &&
            [ "$(field "$s" impl)" = openresty ]; then echo "$n"; return; fi
    done
}
now_ms() { date +%s%3N; }

for n in 1 2 3; do start "$n"; done
t0=$(now_ms); leader=""
while [ -z "$leader" ] && [ $(( $(now_ms) - t0 )) -lt 15000 ]; do sleep 0.1; leader="$(leader_of 1 2 3)"; done
[ -n "$leader" ] || fail "no leader elected within 15 s"
echo "leader elected: node $leader after $(( $(now_ms) - t0 )) ms"

declare -A acked=()
code=""
put() { # node key value: PUT; the status code in $code, the key recorded when acknowledged.
    # 503 means never proposed (e.g. a follower that has not heard from a new leader yet): the
    # client may retry it, for up to 5 s.
    local tries=0
    while :; do
        code="$(curl -s -m 7 -o /dev/null -w '%{http_code}' -X PUT --data-binary "$3" "$(url "$1")/kv/$2" || true)"
        [ "$code" = 503 ] && [ "$tries" -lt 50 ] || break
        tries=$((tries + 1))
        sleep 0.1
    done
    if [ "$code" = 204 ]; then acked[$2]="$3"; fi
}
for i in $(seq 1 30); do
    n=$(( (i % 3) + 1 ))
    put "$n" "key-$i" "value-$i-via-$n"
    [ "$code" = 204 ] || fail "PUT key-$i through node $n answered $code"
done
echo "30 writes acknowledged, through nodes 1, 2 and 3"

leader="$(leader_of 1 2 3)" # the leader now (leadership may have moved during the writes)
[ -n "$leader" ] || fail "no leader before the SIGKILL"
term_before="$(field "$(status "$leader")" term)"
echo "SIGKILL node $leader's nginx master (pid ${pgid[$leader]}), term $term_before"
survivors=()
for n in 1 2 3; do [ "$n" != "$leader" ] && survivors+=("$n"); done
# SIGKILL of the node's process (the nginx master) only: its workers must go down with it
t_kill=$(now_ms)
kill -KILL "${pgid[$leader]}" || fail "node $leader's nginx is not running"
# A linearizable read right away, while the survivor still follows the dead leader: its first
# ReadIndex is lost with that leader, so only asking again (every second) gets it answered
# (200 and the value) once a new leader is elected, when that is well within the node's 5 s
# deadline (a later election may leave it a 504, which the protocol allows). Without the
# retry this check fails (a 504 after 5 s).
t_read=$(now_ms)
curl -s -m 7 -o "$tmp/read-failover.body" -w '%{http_code} %{time_total}' "$(url "${survivors[0]}")/kv/key-1" \
    >"$tmp/read-failover.code" 2>/dev/null &
read_pid=$!
# live processes of a process group: a dead worker stays a zombie until PID 1 reaps it (some
# container inits reap only every few seconds), and a zombie holds no port and runs no raft
live_in_group() { ps -eo pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/' ; }
for _ in $(seq 1 50); do
    [ -z "$(live_in_group "${pgid[$leader]}")" ] && break
    sleep 0.02
done
[ -z "$(live_in_group "${pgid[$leader]}")" ] ||
    fail "node $leader's nginx workers survived the SIGKILL of their master"
unset "pgid[$leader]"
new=""
while [ -z "$new" ] && [ $(( $(now_ms) - t_kill )) -lt 10000 ]; do
    sleep 0.05
    new="$(leader_of "${survivors[@]}")"
    # a new election: a leader at a later term than the killed one's
    if [ -n "$new" ] && [ "$(field "$(status "$new")" term)" -le "$term_before" ]; then new=""; fi
done
[ -n "$new" ] || fail "no new leader within 10 s of the SIGKILL"
elapsed=$(( $(now_ms) - t_kill ))
# etcd's randomized election timeout is in [election_tick, 2 * election_tick) ticks: a follower
# notices the lost leader within that, then PreVote and Vote take a round trip each (3 s allowed
# for those and the status polling on a loaded machine; measured from the SIGKILL itself).
limit=$(( 2 * 10 * tick_ms + 3000 ))
echo "new leader: node $new after $elapsed ms (election timeout $((10 * tick_ms))-$((20 * tick_ms)) ms)"
[ "$elapsed" -le "$limit" ] || fail "new leader after $elapsed ms, over $limit ms"
read_before_leader=$(( t_kill + elapsed - t_read ))
wait "$read_pid" || true
read -r read_code read_s <"$tmp/read-failover.code" || true
if [ "$read_code" = 200 ]; then
    [ "$(cat "$tmp/read-failover.body")" = "${acked[key-1]}" ] ||
        fail "a read during the failover answered '$(cat "$tmp/read-failover.body")', want '${acked[key-1]}'"
elif [ "$read_code" != 504 ] || [ "$read_before_leader" -lt 4000 ]; then
    fail "a read through node ${survivors[0]} during the failover answered $read_code, want 200 + '${acked[key-1]}' (new leader $read_before_leader ms after the read)"
fi
echo "a linearizable read sent $(( t_read - t_kill )) ms after the SIGKILL answered $read_code after ${read_s} s"

for i in $(seq 31 45); do
    n="${survivors[$(( i % 2 ))]}"
    put "$n" "key-$i" "value-$i-via-$n"
    [ "$code" = 204 ] || fail "PUT key-$i through node $n after the failover answered $code"
done
echo "15 more writes acknowledged through the survivors"

for n in "${survivors[@]}"; do
    for k in "${!acked[@]}"; do
        got="$(curl -s -m 7 "$(url "$n")/kv/$k" || true)"
        [ "$got" = "${acked[$k]}" ] || fail "node $n: GET $k = '$got', want '${acked[$k]}'"
    done
done
echo "all ${#acked[@]} acknowledged writes read back (linearizable) from nodes ${survivors[*]}"

start "$leader"
t_restart=$(now_ms)
caught=false
while [ $(( $(now_ms) - t_restart )) -lt 30000 ]; do
    sleep 0.2
    missing=0
    for k in "${!acked[@]}"; do
        got="$(curl -s -m 2 "$(url "$leader")/kv/$k?consistency=serializable" || true)"
        [ "$got" = "${acked[$k]}" ] || { missing=1; break; }
    done
    if [ "$missing" = 0 ]; then caught=true; break; fi
done
$caught || fail "restarted node $leader did not catch up within 30 s"
echo "restarted node $leader caught up after $(( $(now_ms) - t_restart )) ms"
put "$leader" "key-after-restart" "v"
[ "$code" = 204 ] || fail "PUT through the restarted node answered $code"

bad="$(curl -s --path-as-is -o /dev/null -w '%{http_code}' "$(url 1)/kv/.." || true)"
[ "$bad" = 400 ] || fail "GET /kv/.. answered $bad, want 400"
bad="$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary 'garbage' "$(url 1)/raft" || true)"
[ "$bad" = 400 ] || fail "POST /raft with garbage answered $bad, want 400"

http() { curl -s -m 7 -o /dev/null -w '%{http_code}' "$@" || true; }
lead="$(leader_of 1 2 3)"
[ -n "$lead" ] || fail "no leader before the membership checks"
other=$(( lead % 3 + 1 ))
code="$(http -X POST --data-binary "$(url 9)" "$(url "$lead")/members/$other")"
[ "$code" = 409 ] || fail "re-adding node $other at another URL answered $code, want 409"
code="$(http -X DELETE "$(url "$lead")/members/9")"
[ "$code" = 404 ] || fail "removing a non-member answered $code, want 404"
code="$(http -X POST "$(url "$lead")/leader/9")"
[ "$code" = 404 ] || fail "a transfer to a non-member answered $code, want 404"
# Two conf changes at once through two nodes: raft may drop one of them (one conf change at a
# time); a 200 must mean that this very change was applied.
http -X POST --data-binary "$(url 5)" "$(url "$lead")/members/5?learner=true" >"$tmp/cc5" &
cc5=$!
http -X POST --data-binary "$(url 6)" "$(url "$other")/members/6?learner=true" >"$tmp/cc6" &
cc6=$!
wait "$cc5" "$cc6" || true
oks=0
for id in 5 6; do
    c="$(cat "$tmp/cc$id")"
    via="$lead"
    [ "$id" = 6 ] && via="$other"
    if [ "$c" = 200 ]; then # applied on the node that answered: its /status lists the learner
        oks=$((oks + 1))
        st="$(status "$via")"
        grep -q "\"$id\":" <<<"$st" || fail "adding learner $id answered 200, but node $via's /status lacks it: $st"
    fi
done
[ "$oks" -ge 1 ] || fail "neither concurrent conf change answered 200 ($(cat "$tmp/cc5"), $(cat "$tmp/cc6"))"
echo "two concurrent learner adds answered $(cat "$tmp/cc5") and $(cat "$tmp/cc6"); each 200 is in the configuration"
for id in 5 6; do
    if grep -q "\"$id\":" <<<"$(status "$lead")"; then
        code="$(http -X DELETE "$(url "$lead")/members/$id")"
        [ "$code" = 200 ] || fail "removing learner $id answered $code"
    fi
done
# a learner joins, catches up, and leaves (it exits 0 once it applies its own removal)
peers4="$peers,4=$(url 4)"
setsid "$here/raftc-kv" --id 4 --listen "127.0.0.1:$((base + 4))" --data "$tmp/n4" \
    --peers "$peers4" --join --tick-ms "$tick_ms" >"$tmp/n4.out" 2>&1 &
pgid[4]=$!
code="$(http -X POST --data-binary "$(url 4)" "$(url "$lead")/members/4?learner=true")"
[ "$code" = 200 ] || fail "adding learner 4 answered $code"
t4=$(now_ms)
until [ "$(curl -s -m 2 "$(url 4)/kv/key-1?consistency=serializable" || true)" = "${acked[key-1]}" ]; do
    [ $(( $(now_ms) - t4 )) -lt 15000 ] || fail "learner 4 did not catch up within 15 s"
    sleep 0.2
done
echo "learner 4 joined and caught up after $(( $(now_ms) - t4 )) ms"
code="$(http -X DELETE "$(url "$lead")/members/4")"
[ "$code" = 200 ] || fail "removing node 4 answered $code"
for _ in $(seq 1 100); do kill -0 "${pgid[4]}" 2>/dev/null || break; sleep 0.1; done
kill -0 "${pgid[4]}" 2>/dev/null && fail "node 4 still running 10 s after its removal"
wait "${pgid[4]}" && rc4=0 || rc4=$?
[ "$rc4" = 0 ] || fail "removed node 4 exited $rc4, want 0"
unset "pgid[4]"
echo "node 4 removed: it exited 0"

for n in "${!pgid[@]}"; do kill -TERM "${pgid[$n]}"; done
for n in "${!pgid[@]}"; do
    for _ in $(seq 1 100); do kill -0 "${pgid[$n]}" 2>/dev/null || break; sleep 0.1; done
    kill -0 "${pgid[$n]}" 2>/dev/null && fail "node $n still running 10 s after SIGTERM"
    unset "pgid[$n]"
done
echo "openresty: 3 nginx nodes; new leader $elapsed ms after SIGKILL; ${#acked[@]} acknowledged writes kept; restarted node caught up; a learner joined, caught up and left"
