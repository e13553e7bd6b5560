#!/usr/bin/env bash
# Gateway overhead, side by side in one run: a ~1.5 KB chat request carrying PII sent to
#   direct   - the stub vendor itself (baseline)
#   proviso  - Proviso's gateway (masking, policy and ledger on; every data share flushed to disk
#              before forwarding, the default Proviso:Ledger:Durability=Flushed), forwarding to the stub
#   proviso-committed - the same with Proviso:Ledger:Durability=Committed (ledger commits reach the
#              database before forwarding and the disk within a second)
#   proviso-db-conversation - the default durability with Proviso:Privacy:Vault=database and every request in one
#              conversation (X-Proviso-Conversation): the conversation's pseudonyms are read from the database per call
#   portkey  - the open-source Portkey gateway (@portkey-ai/gateway) as a pass-through to the stub
# at 1 and 8 connections with wrk. Prints p50/p99 latency, requests/s and the added latency.
# Usage: bench/gateway/side-by-side.sh [SECONDS]   (default 10 per run; PROVISO_BUILD=plain: the dotnet build output
# instead of the published command)
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-10}
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
work=$(mktemp -d /tmp/proviso-gw-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

dotnet build -c Release src/Proviso/Proviso.csproj -v q -nologo >/dev/null
dotnet build -c Release bench/Proviso.Bench/Proviso.Bench.csproj -v q -nologo >/dev/null
# Proviso as README's "Install" section builds it (published, ReadyToRun: its hot code is still re-optimized with a
# profile once warm); PROVISO_BUILD=plain times the `dotnet build` output instead.
if [ "${PROVISO_BUILD:-published}" = plain ]; then
  exe=src/Proviso/bin/Release/net10.0/proviso
else
  rid=$(dotnet --info | awk '/RID:/{print $2; exit}')
  dotnet publish -c Release -r "$rid" --self-contained false src/Proviso/Proviso.csproj -o "$work/published" -v q -nologo >/dev/null
  exe=$work/published/proviso
fi
echo "proviso build: ${PROVISO_BUILD:-published}"
(cd "$work" && npm init -y >/dev/null 2>&1 && npm install --no-audit --no-fund --silent @portkey-ai/gateway >/dev/null 2>&1)

dotnet bench/Proviso.Bench/bin/Release/net10.0/Proviso.Bench.dll stub-upstream 5401 >/dev/null 2>&1 & pids+=($!)
Proviso__Demo__UpstreamUrl=http://127.0.0.1:5401/v1 Proviso__Demo__GatewayKey=pgw_bench_key Proviso__Admin__Password=Bench-Passw0rd-1 \
  Proviso__Demo__GatewayRequestsPerMinute=100000000 Proviso__Demo__GatewayDailyQuota=100000000 \
  Logging__LogLevel__Default=Warning \
  "$exe" serve --demo --urls http://127.0.0.1:5402 --data-dir "$work/data" >"$work/proviso.log" 2>&1 & pids+=($!)
proviso_pid=$!
Proviso__Demo__UpstreamUrl=http://127.0.0.1:5401/v1 Proviso__Demo__GatewayKey=pgw_bench_key Proviso__Admin__Password=Bench-Passw0rd-1 \
  Proviso__Demo__GatewayRequestsPerMinute=100000000 Proviso__Demo__GatewayDailyQuota=100000000 Proviso__Ledger__Durability=Committed \
  Logging__LogLevel__Default=Warning \
  "$exe" serve --demo --urls http://127.0.0.1:5404 --data-dir "$work/data-committed" >"$work/proviso-committed.log" 2>&1 & pids+=($!)
Proviso__Demo__UpstreamUrl=http://127.0.0.1:5401/v1 Proviso__Demo__GatewayKey=pgw_bench_key Proviso__Admin__Password=Bench-Passw0rd-1 \
  Proviso__Demo__GatewayRequestsPerMinute=100000000 Proviso__Demo__GatewayDailyQuota=100000000 Proviso__Privacy__Vault=database \
  Logging__LogLevel__Default=Warning \
  "$exe" serve --demo --urls http://127.0.0.1:5405 --data-dir "$work/data-db" >"$work/proviso-db.log" 2>&1 & pids+=($!)
(cd "$work" && exec node node_modules/@portkey-ai/gateway/build/start-server.js --port=5403 --headless >"$work/portkey.log" 2>&1) & pids+=($!)
for url in http://127.0.0.1:5401/v1/chat/completions http://127.0.0.1:5402/health http://127.0.0.1:5404/health http://127.0.0.1:5405/health http://127.0.0.1:5403/; do
  for i in $(seq 1 60); do curl -s -o /dev/null -m 1 "$url" -X GET && break; sleep 0.5; done
done

export REQUEST_FILE=$PWD/bench/gateway/request.json
run() { # name url headers connections
  local out
  out=$(HEADERS="$3" wrk -t$(( $4 > 1 ? 2 : 1 )) -c"$4" -d"${SECONDS_PER_RUN}s" --latency -s bench/gateway/post.lua "$2")
  local p50 p99 rps
  p50=$(echo "$out" | awk '$1=="50%"{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  local non2xx
  non2xx=$(echo "$out" | awk '/Non-2xx/{print $NF}')
  echo "$1	$4	$p50	$p99	$rps	${non2xx:-0}"
}
to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v } else { sub(/s$/,"",v); print v*1000 } }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); request $(wc -c < "$REQUEST_FILE") bytes; ${SECONDS_PER_RUN}s per run"
# warm up every server alike (25 s at 8 connections: both runtimes JIT-compile their hot paths under load; Proviso
# compiles ~28,000 methods and reaches its steady rate only after ~20 s of load on this machine)
WARM=${WARM:-25}
HEADERS="Authorization=Bearer pgw_bench_key" wrk -t2 -c8 -d${WARM}s -s bench/gateway/post.lua http://127.0.0.1:5402/v1/chat/completions >/dev/null
HEADERS="Authorization=Bearer pgw_bench_key" wrk -t2 -c8 -d${WARM}s -s bench/gateway/post.lua http://127.0.0.1:5404/v1/chat/completions >/dev/null
HEADERS="Authorization=Bearer pgw_bench_key;X-Proviso-Conversation=bench" wrk -t2 -c8 -d${WARM}s -s bench/gateway/post.lua http://127.0.0.1:5405/v1/chat/completions >/dev/null
HEADERS="x-portkey-provider=openai;x-portkey-custom-host=http://127.0.0.1:5401/v1;Authorization=Bearer sk-bench" wrk -t2 -c8 -d${WARM}s -s bench/gateway/post.lua http://127.0.0.1:5403/v1/chat/completions >/dev/null
echo "target	conns	p50	p99	req/s	non-2xx"
results=()
for c in 1 8; do
  results+=("$(run direct http://127.0.0.1:5401/v1/chat/completions "" $c)")
  results+=("$(run proviso http://127.0.0.1:5402/v1/chat/completions "Authorization=Bearer pgw_bench_key" $c)")
  results+=("$(run proviso-committed http://127.0.0.1:5404/v1/chat/completions "Authorization=Bearer pgw_bench_key" $c)")
  results+=("$(run proviso-db-conversation http://127.0.0.1:5405/v1/chat/completions "Authorization=Bearer pgw_bench_key;X-Proviso-Conversation=bench" $c)")
  results+=("$(run portkey http://127.0.0.1:5403/v1/chat/completions "x-portkey-provider=openai;x-portkey-custom-host=http://127.0.0.1:5401/v1;Authorization=Bearer sk-bench" $c)")
done
printf '%s\n' "${results[@]}"
echo "added latency over direct (ms):"
for c in 1 8; do
  d=$(printf '%s\n' "${results[@]}" | awk -v c=$c '$1=="direct" && $2==c')
  for t in proviso proviso-committed proviso-db-conversation portkey; do
    r=$(printf '%s\n' "${results[@]}" | awk -v c=$c -v t=$t '$1==t && $2==c')
    echo "$t c=$c p50 +$(awk -v a="$(to_ms "$(echo "$r" | cut -f3)")" -v b="$(to_ms "$(echo "$d" | cut -f3)")" 'BEGIN{printf "%.3f", a-b}') p99 +$(awk -v a="$(to_ms "$(echo "$r" | cut -f4)")" -v b="$(to_ms "$(echo "$d" | cut -f4)")" 'BEGIN{printf "%.3f", a-b}')"
  done
done
echo "proviso resident memory after the runs: $(( $(ps -o rss= -p "$proviso_pid") / 1024 )) MiB"
grep -c '"action":"gateway.call"' /dev/null >/dev/null || true
