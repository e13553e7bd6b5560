#!/usr/bin/env bash
# Side-by-side throughput: `proviso mask` and the npm libraries redact-pii, @redactpii/node and
# openredaction on the same English prose (about one entity per 300 characters), in one run.
# Usage: bench/pii/side-by-side.sh [MB]   (default 32)
set -euo pipefail
cd "$(dirname "$0")/../.."
MB=${1:-32}
work=$(mktemp -d /tmp/proviso-pii-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

dotnet build -c Release src/Proviso/Proviso.csproj -v q -nologo >/dev/null
dotnet build -c Release bench/Proviso.Bench/Proviso.Bench.csproj -v q -nologo >/dev/null
dotnet bench/Proviso.Bench/bin/Release/net10.0/Proviso.Bench.dll pii-corpus "$MB" "$work/input.txt" >/dev/null
bytes=$(stat -c %s "$work/input.txt")

(cd "$work" && npm init -y >/dev/null 2>&1 && npm install --no-audit --no-fund --silent redact-pii@3.4.0 @redactpii/node@1.0.17 openredaction@1.1.5 >/dev/null 2>&1)
cp bench/pii/peers.cjs "$work/"

proviso=src/Proviso/bin/Release/net10.0/proviso
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), input $(awk "BEGIN{printf \"%.1f\", $bytes/1048576}") MB"
echo "tool	throughput	notes"
times=()
for run in 1 2 3; do
  start=$(date +%s.%N)
  taskset -c 0 "$proviso" mask "$work/input.txt" -o "$work/out.txt" 2>/dev/null
  end=$(date +%s.%N)
  times+=("$(awk "BEGIN{print $bytes/1048576/($end-$start)}")")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
printf 'proviso mask\t%.1f MB/s\t(median of 3, one core, whole command incl. start-up and file I/O; entity types: 31)\n' "$median"
taskset -c 0 dotnet bench/Proviso.Bench/bin/Release/net10.0/Proviso.Bench.dll pii-file "$work/input.txt"
(cd "$work" && taskset -c 0 node peers.cjs input.txt 30)
