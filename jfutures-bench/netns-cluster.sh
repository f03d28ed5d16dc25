#!/usr/bin/env bash
# Three cluster members and a client as four hosts on one machine (issue 18): each in its own Linux
# network namespace, joined by a bridge in a fifth, with a delay on every link. For each delay it
# measures the per-task cost and throughput, runs a map and kills a member's namespace mid-run, then
# runs the image job and kills another's, checking that every result arrives exactly once and every
# image is written, identical to the local pool's. The same figures on loopback come first.
#
# Usage (as root, from the repository root):
#   jfutures-bench/netns-cluster.sh [DELAY_MICROS ...]     default: 500 5000
#   NETNS_CLIENT_JAR=FILE jfutures-bench/netns-cluster.sh  the client (NetnsClient) from another
#       build of the bench jar, for a before and after in the same setup; the members, the delay
#       lines and the image command always run this tree's build, which the script makes first
#
# The delay: this kernel kind has no netem qdisc (tc answers "Specified qdisc kind is unknown"), so
# each member's namespace runs a user-space delay line (DelayProxy) at its public address, holding
# every byte DELAY_MICROS in each direction before passing it to the member behind it. Every
# connection, client to member and member to member, goes through exactly one such line.
#
# Addresses: 10.218.0.0/24 on the bridge (members .1-.3, client .10), and each member listens on
# 10.218.1.N inside its own namespace only; nothing is added to this machine's own namespace, and
# all traffic stays between these namespaces. Everything made is removed on exit, also on failure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

skip() { echo "netns-cluster: skipped: $*"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "needs root, for ip netns and veth pairs"
command -v ip >/dev/null || skip "needs ip (Debian: iproute2)"
ip netns list >/dev/null 2>&1 || skip "this kernel or container does not allow network namespaces"

delays=("$@")
[ ${#delays[@]} -gt 0 ] || delays=(500 5000)

./jfutures build -q -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Dcyclonedx.skip=true >/dev/null
source "$root/jfutures-bench/hazelcast-access.sh"
bench=(./jfutures java "${access[@]}" -cp jfutures-bench/target/benchmarks.jar)
client_jar=${NETNS_CLIENT_JAR:-jfutures-bench/target/benchmarks.jar}
[ -f "$client_jar" ] || { echo "netns-cluster: NETNS_CLIENT_JAR: no file $client_jar" >&2; exit 2; }
measure=(./jfutures java "${access[@]}" -cp "$client_jar" io.jfutures.bench.netns.NetnsClient)

tag="jf$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/jfutures-netns.XXXXXX")
namespaces=()
cleanup() {
  local ns
  for ns in "${namespaces[@]}"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  done
  for ns in "${namespaces[@]}"; do
    ip netns del "$ns" 2>/dev/null || true
  done
  pkill -9 -f -- "--cluster-name $tag-loopback" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The photos: 40 copies of the samples' 2560x1600 photo, and the local process pool's outputs.
mkdir -p "$work/photos"
for i in $(seq -w 1 40); do cp samples/photos/LadyBird.jpg "$work/photos/photo-$i.jpg"; done
since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }'; }
rate() { awk -v s="$1" 'BEGIN { printf "%.1f", 40 / s }'; }
./jfutures images "$work/photos" --out "$work/reference" --quiet # the first run after a build trains
start=$(date +%s.%N)
./jfutures images "$work/photos" --out "$work/reference" --quiet
seconds=$(since "$start")
echo "local process pool: 40 images in $seconds s = $(rate "$seconds") images/s"

# Waits up to a minute until $1 holds the line $2; else shows $1 and fails.
await_line() {
  local log=$1 text=$2 i
  for i in $(seq 1 600); do
    grep -qF -- "$text" "$log" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "netns-cluster: no '$text' in $log within a minute; it holds:" >&2
  cat "$log" >&2
  return 1
}

# Waits for the background job $1; if it failed, shows its log $2 and fails.
await_job() {
  wait "$1" && return 0
  cat "$2" >&2
  return 1
}

# Kills every process in namespace $1 (kill -9), then deletes the namespace.
kill_namespace() {
  ip netns pids "$1" | xargs -r kill -9
  ip netns del "$1"
}

# Checks the image job's outputs: every photo written once, whole, and as the local pool wrote it.
check_images() {
  local out=$1 n
  n=$(find "$out" -type f | wc -l)
  [ "$n" -eq 40 ] || { echo "netns-cluster: $n files in $out, not 40" >&2; return 1; }
  for f in "$work/reference"/*; do
    cmp -s "$f" "$out/${f##*/}" || { echo "netns-cluster: ${f##*/} differs" >&2; return 1; }
  done
}

echo "== loopback: three members on 127.0.0.1 in this namespace, no delay"
ports=(5911 5912 5913)
for p in "${ports[@]}"; do
  ./jfutures cluster member --port "$p" --cluster-name "$tag-loopback" \
    --members 127.0.0.1:5911,127.0.0.1:5912,127.0.0.1:5913 >"$work/loop-$p.log" 2>&1 &
  disown
done
for p in "${ports[@]}"; do await_line "$work/loop-$p.log" "Stop it with Ctrl-C."; done
"${measure[@]}" figures "$tag-loopback" 127.0.0.1:5911 6 500 \
  2>&1 | grep -v WARNING
start=$(date +%s.%N)
./jfutures images "$work/photos" --out "$work/loopback-out" --quiet \
  --cluster 127.0.0.1:5911 --cluster-name "$tag-loopback"
seconds=$(since "$start")
check_images "$work/loopback-out"
echo "image job: 40 images in $seconds s = $(rate "$seconds") images/s"
pkill -f -- "--cluster-name $tag-loopback" || true

for delay in "${delays[@]}"; do
  echo "== four namespaces, ${delay} us each way on every link"
  sw="$tag-sw"
  ip netns add "$sw"
  namespaces+=("$sw")
  ip -n "$sw" link add br0 type bridge
  ip -n "$sw" link set br0 up
  hosts=(m1 m2 m3 c)
  for h in "${hosts[@]}"; do
    ns="$tag-$h"
    ip netns add "$ns"
    namespaces+=("$ns")
    ip link add "${tag}${h}" type veth peer name "${tag}${h}s"
    ip link set "${tag}${h}" netns "$ns"
    ip link set "${tag}${h}s" netns "$sw"
    ip -n "$sw" link set "${tag}${h}s" master br0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" link set "${tag}${h}" name eth0
    case $h in
      m*) n=${h#m}; ip -n "$ns" addr add "10.218.0.$n/24" dev eth0
          ip -n "$ns" addr add "10.218.1.$n/32" dev lo ;;
      c) ip -n "$ns" addr add 10.218.0.10/24 dev eth0 ;;
    esac
    ip -n "$ns" link set eth0 up
  done
  # No host has a route to another's 10.218.1.N: a client or member that learns a member's own
  # address cannot reach it, and so goes through its delay line like everything else.
  members=10.218.0.1:5701,10.218.0.2:5701,10.218.0.3:5701
  for n in 1 2 3; do
    ns="$tag-m$n"
    ip netns exec "$ns" "${bench[@]}" io.jfutures.bench.netns.DelayProxy \
      "10.218.0.$n:5701" "10.218.1.$n:5701" "$delay" >"$work/proxy-$delay-$n.log" 2>&1 &
    disown
    ip netns exec "$ns" ./jfutures cluster member --bind "10.218.1.$n" --port 5701 \
      --public-address "10.218.0.$n:5701" --members "$members" --cluster-name "$tag" \
      >"$work/member-$delay-$n.log" 2>&1 &
    disown
  done
  for n in 1 2 3; do await_line "$work/member-$delay-$n.log" "Stop it with Ctrl-C."; done
  client=(ip netns exec "$tag-c")
  trips=500
  [ "$delay" -lt 2000 ] || trips=100
  "${client[@]}" "${measure[@]}" figures "$tag" \
    10.218.0.1:5701 6 "$trips" 2>&1 | grep -v WARNING

  start=$(date +%s.%N)
  "${client[@]}" ./jfutures images "$work/photos" --out "$work/whole-$delay" --quiet \
    --cluster 10.218.0.1:5701 --cluster-name "$tag"
  seconds=$(since "$start")
  check_images "$work/whole-$delay"
  echo "image job: 40 images in $seconds s = $(rate "$seconds") images/s"

  # A map of 3,000 tasks of 5 ms; member 2's namespace is killed at its first result.
  "${client[@]}" "${measure[@]}" map "$tag" \
    10.218.0.1:5701 6 3000 5 >"$work/map-$delay.log" 2>&1 &
  map_pid=$!
  await_line "$work/map-$delay.log" "map started"
  kill_namespace "$tag-m2"
  echo "map: member 2's namespace killed at the first result"
  await_job "$map_pid" "$work/map-$delay.log"
  grep "^map:" "$work/map-$delay.log"
  # A host that vanishes answers nothing: members declare it dead after 20 s without heartbeats.
  await_line "$work/member-$delay-1.log" "10.218.0.2:5701 left"

  # The image job; member 3's namespace is killed once two images are written.
  out="$work/out-$delay"
  start=$(date +%s.%N)
  "${client[@]}" ./jfutures images "$work/photos" --out "$out" --quiet \
    --cluster 10.218.0.1:5701 --cluster-name "$tag" >"$work/images-$delay.log" 2>&1 &
  images_pid=$!
  for i in $(seq 1 600); do
    [ "$(find "$out" -name 'photo-*' 2>/dev/null | wc -l)" -ge 2 ] && break
    sleep 0.05
  done
  kill_namespace "$tag-m3"
  echo "image job: member 3's namespace killed after two images were written"
  await_job "$images_pid" "$work/images-$delay.log"
  seconds=$(since "$start")
  check_images "$out"
  echo "image job: all 40 images written once, identical to the local pool's, in $seconds s" \
    "($(rate "$seconds") images/s; member 3 killed early, one member left)"

  for ns in "$tag-c" "$tag-m1" "$sw"; do kill_namespace "$ns"; done
  namespaces=()
done
echo "netns-cluster: passed"
