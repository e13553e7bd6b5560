#!/usr/bin/env bash
# Side-by-side throughput: `proviso mask` and the npm libraries redact-pii, @redactpii/node and
# openredaction on the same English prose (about one entity per 300 characters), in one run.
# Usage: bench/pii/side-by-side.sh [MB]   (default 32)
# Everything runs pinned to one core. In-process figures (Proviso's pii-file and the npm peers) are taken
# after a 12-second warm-up each: on one processor .NET postpones optimizing hot code ~10x longer, and
# a shorter warm-up would time unoptimized code (docs/benchmarks.md, session 5).
set -euo pipefail
cd "$(dirname "$0")/../.."
MB=${1:-32}
work=$(mktemp -d /tmp/proviso-pii-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

dotnet build -c Release src/Proviso/Proviso.csproj -v q -nologo >/dev/null
# The published, precompiled (ReadyToRun) command, as README's "Install" section builds it.
rid=$(dotnet --info | awk '/RID:/{print $2; exit}')
dotnet publish -c Release -r "$rid" --self-contained false src/Proviso/Proviso.csproj -o "$work/published" -v q -nologo >/dev/null
dotnet build -c Release bench/Proviso.Bench/Proviso.Bench.csproj -v q -nologo >/dev/null
dotnet bench/Proviso.Bench/bin/Release/net10.0/Proviso.Bench.dll pii-corpus "$MB" "$work/input.txt" >/dev/null
bytes=$(stat -c %s "$work/input.txt")

(cd "$work" && npm init -y >/dev/null 2>&1 && npm install --no-audit --no-fund --silent redact-pii@3.4.0 @redactpii/node@1.0.17 openredaction@1.1.5 >/dev/null 2>&1)
cp bench/pii/peers.cjs "$work/"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), input $(awk "BEGIN{printf \"%.1f\", $bytes/1048576}") MB"
echo "tool	throughput	notes"
# median MB/s of three pinned runs of one `proviso` binary
time_mask() {
  local times=() start end
  for run in 1 2 3; do
    start=$(date +%s.%N)
    taskset -c 0 "$1" mask "$work/input.txt" -o "$work/out.txt" 2>/dev/null
    end=$(date +%s.%N)
    times+=("$(awk "BEGIN{print $bytes/1048576/($end-$start)}")")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}
printf 'proviso mask\t%.1f MB/s\t(published, ReadyToRun; median of 3, one core, whole command incl. start-up and file I/O; entity types: 31)\n' "$(time_mask "$work/published/proviso")"
printf 'proviso mask (dotnet build)\t%.1f MB/s\t(JIT only, same measure)\n' "$(time_mask src/Proviso/bin/Release/net10.0/proviso)"
taskset -c 0 dotnet bench/Proviso.Bench/bin/Release/net10.0/Proviso.Bench.dll pii-file "$work/input.txt" | tee "$work/proviso.tsv"
(cd "$work" && taskset -c 0 node peers.cjs input.txt 30) | tee "$work/peers.tsv"
# In-process Proviso against the fastest peer of this run (both line by line, median of five passes).
awk -F'\t' 'FNR == NR && /^Proviso in process/ { p = $2 + 0 } FNR != NR && $2 + 0 > best { best = $2 + 0; name = $1 }
  END { if (p > 0 && best > 0) printf "Proviso in process / fastest peer (%s): %.2fx\n", name, p / best }' "$work/proviso.tsv" "$work/peers.tsv"
