#!/usr/bin/env bash
# chaos.sh: kill a tiny training run with SIGKILL, resume it, and check that
# the resumed run ends with exactly the metrics of an uninterrupted run.
#
#   1. reference: one uninterrupted run of a tiny config (synthetic data, so
#      it needs no dataset), timed;
#   2. chaos: the same config killed with SIGKILL at three random points
#      (each a random 10-30 % of the reference duration after the process
#      starts), resumed with --resume after each kill; after the first kill
#      that finds a metrics line, metrics.jsonl is left ending in a torn line;
#   3. a fourth, targeted kill while a checkpoint is being written (when
#      the bash poll catches the short window);
#   4. a final --resume to the end, then metrics.jsonl of both runs compared
#      with the timing keys (wall_s, samples_per_s) removed.
#
# Exits 0 iff the two metrics.jsonl files are identical and every kill
# landed on a live process. Needs only bash, coreutils, sed and awk, plus Go
# to build bin/wdlab when it is missing (delete it, or set WDLAB, to test
# another build).
#
# Environment: WDLAB (binary, default bin/wdlab), CHAOS_SEED (seed of the
# kill times, default random and printed), CHAOS_EPOCHS (default 12),
# CHAOS_KEEP=1 (keep the work directory).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${WDLAB:-$root/bin/wdlab}
epochs=${CHAOS_EPOCHS:-12}
seed=${CHAOS_SEED:-$(( ($$ ^ $(date +%s)) & 32767 ))}
RANDOM=$seed

log() { printf 'chaos: %s\n' "$*"; }
die() { printf 'chaos: FAIL: %s\n' "$*" >&2; exit 1; }

if [[ -z ${WDLAB:-} ]]; then # always rebuild: a stale binary would test old code
  log "building $bin"
  mkdir -p "$(dirname "$bin")"
  (cd "$root" && GOEXPERIMENT=${GOEXPERIMENT-simd} go build -o "$bin" ./cmd/wdlab) ||
    (cd "$root" && log "GOEXPERIMENT=simd build failed, building the portable kernels" &&
      GOEXPERIMENT= go build -o "$bin" ./cmd/wdlab)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/wdlab-chaos.XXXXXX")
if [[ ${CHAOS_KEEP:-0} == 1 ]]; then
  trap 'log "work directory kept: $work"' EXIT
else
  trap 'rm -rf "$work"' EXIT
fi

cat >"$work/tiny.yaml" <<EOF
# chaos.sh: a small PreAct-ResNet on the built-in synthetic data set
# (2000 train / 1000 test 8x8 images, 4 classes), checkpoint every epoch.
name: chaos
seed: 7
data:
  name: synthetic
model:
  arch: preact-resnet
  width: 8
  blocks: [1, 1]
optim:
  name: sgd
  lr: 0.05
  momentum: 0.9
  wd: 0.0005
  schedule: step
  drop_at: 0.5
  lr_after: 0.005
train:
  epochs: $epochs
  batch_size: 32
  ema: 0.99
  checkpoint_every: 1
EOF

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# strip_timing FILE: metrics.jsonl without the keys that measure time.
strip_timing() { sed -E 's/"(wall_s|samples_per_s)":[^,}]*,?//g; s/,}/}/' "$1"; }

# ckpt_epoch DIR: the epoch of DIR's checkpoint (0 if none), read from the
# progress metadata in the safetensors header.
ckpt_epoch() {
  local f=$1/checkpoints/last.safetensors e
  [[ -f $f ]] || { echo 0; return; }
  e=$(head -c 65536 "$f" | LC_ALL=C sed -n 's/.*progress":"{\\"epoch\\":\([0-9]*\).*/\1/p' | head -n 1 || true)
  echo "${e:-?}"
}

# lines FILE: the number of complete lines in FILE (0 if missing).
lines() { [[ -f $1 ]] && wc -l <"$1" | tr -d ' ' || echo 0; }

# start DIR: launch a resumable training run in the background; sets pid.
start() {
  "$bin" train -c "$work/tiny.yaml" --out "$1" --resume -q >>"$work/chaos.log" 2>&1 &
  pid=$!
}

# kill_now: SIGKILL the run started last; fails if it had already exited.
kill_now() {
  local rc=0
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid" || rc=$?
    tail -n 5 "$work/chaos.log" >&2
    die "the run exited (status $rc) before the kill; see above"
  fi
  { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || rc=$?
  [[ $rc == 137 ]] || die "kill -9 gave exit status $rc, want 137"
}

# tear DIR: leave DIR/metrics.jsonl ending in a torn line, as a crash in
# the middle of appending a line would. A line is fsynced before the
# checkpoint of its epoch is written, so a torn line always belongs to an
# epoch after the checkpoint: if the last line is such a line it is cut in
# half, otherwise half of a copy of it is appended (the torn next line).
tear() {
  local m=$1/metrics.jsonl last half ck le
  last=$(tail -n 1 "$m")
  half=$(( ${#last} / 2 ))
  ck=$(ckpt_epoch "$1")
  le=$(sed -n 's/.*"epoch":\([0-9]*\).*/\1/p' <<<"$last")
  if [[ $ck != "?" && $le -gt $ck ]]; then
    head -c -"$(( ${#last} + 1 - half ))" "$m" >"$m.cut" && mv "$m.cut" "$m"
    log "  torn: cut the last line (epoch $le > checkpoint epoch $ck) to $half of ${#last} bytes"
  else
    printf '%s' "${last:0:half}" >>"$m"
    log "  torn: appended $half of ${#last} bytes of a line with no newline (a torn epoch-$(( le + 1 )) line)"
  fi
}

log "binary $bin, seed $seed, work directory $work"

# 1. Reference run.
t0=$(now_ms)
"$bin" train -c "$work/tiny.yaml" --out "$work/ref" -q >"$work/ref.log" 2>&1 || { cat "$work/ref.log" >&2; die "reference run failed"; }
ref_ms=$(( $(now_ms) - t0 ))
log "reference run: $(cat "$work/ref.log") (${ref_ms} ms wall)"

# 2. Three random SIGKILLs, each followed by --resume; one torn line.
run=$work/chaos
torn=0
for k in 1 2 3; do
  delay=$(awk -v t="$ref_ms" -v r="$RANDOM" 'BEGIN { printf "%.3f", t * (0.10 + 0.20 * r / 32767) / 1000 }')
  start "$run"
  sleep "$delay"
  kill_now
  log "kill $k: SIGKILL ${delay}s after start; checkpoint epoch $(ckpt_epoch "$run"), $(lines "$run/metrics.jsonl") metrics lines"
  if [[ $torn == 0 && $(lines "$run/metrics.jsonl") -gt 0 ]]; then
    tear "$run"
    torn=1
  fi
done
[[ $torn == 1 ]] || die "no metrics line was written before the third kill: could not test a torn line"

# 3. A kill during a checkpoint write: poll for a new checkpoint temp file.
shopt -s nullglob dotglob
declare -A old=()
for f in "$run"/checkpoints/.last.safetensors.tmp*; do old[$f]=1; done
start "$run"
caught=""
while [[ -z $caught ]] && kill -0 "$pid" 2>/dev/null; do
  for f in "$run"/checkpoints/.last.safetensors.tmp*; do
    if [[ -z ${old[$f]:-} ]]; then
      caught=$f
      kill_now
      break
    fi
  done
done
if [[ -n $caught ]]; then
  log "kill 4: SIGKILL during a checkpoint write (temp file $(basename "$caught"), $(stat -c %s "$caught" 2>/dev/null || echo '?') bytes); checkpoint epoch $(ckpt_epoch "$run")"
else
  wait "$pid" || die "the run failed during the checkpoint-write attempt"
  log "kill 4: the poll did not catch a checkpoint write (the run finished first); not counted"
fi
shopt -u nullglob dotglob

# 4. Resume to the end and compare.
"$bin" train -c "$work/tiny.yaml" --out "$run" --resume -q >"$work/final.log" 2>&1 || { cat "$work/final.log" >&2; die "final resume failed"; }
log "final resume: $(cat "$work/final.log")"
shopt -s nullglob dotglob
stale=("$run"/checkpoints/.last.safetensors.tmp*)
shopt -u nullglob dotglob
(( ${#stale[@]} == 0 )) || die "${#stale[@]} temp file(s) of killed checkpoint writes remain in $run/checkpoints after the resume"

status() { sed -n 's/.*"status": *"\([a-z]*\)".*/\1/p' "$1/summary.json"; }
log "summary status: reference $(status "$work/ref"), chaos $(status "$run")"

# kv FILE: the last line of FILE as "key value" lines.
kv() { tail -n 1 "$1" | sed 's/^{//; s/}$//' | tr ',' '\n' | sed -E 's/^"([^"]*)":/\1 /'; }
echo
awk 'NR == FNR { a[$1] = $2; next }
     FNR == 1 { printf "%-20s %-24s %-24s\n", "metric (last line)", "uninterrupted", "killed+resumed" }
     { t = ($1 == "wall_s" || $1 == "samples_per_s") ? "timing, ignored" : (a[$1] == $2 ? "" : "DIFFERENT")
       printf "%-20s %-24s %-24s %s\n", $1, a[$1], $2, t }' <(kv "$work/ref/metrics.jsonl") <(kv "$run/metrics.jsonl")
echo

nref=$(lines "$work/ref/metrics.jsonl")
nrun=$(lines "$run/metrics.jsonl")
if [[ "$(strip_timing "$work/ref/metrics.jsonl")" == "$(strip_timing "$run/metrics.jsonl")" &&
  $(status "$run") == completed ]]; then
  log "PASS: metrics.jsonl identical ($nref lines, timing keys removed) after 3 random kills${caught:+, a kill mid-checkpoint} and a torn line"
  exit 0
fi
log "FAIL: metrics.jsonl differ ($nref vs $nrun lines, status $(status "$run")); first difference:"
awk 'NR == FNR { a[FNR] = $0; n = FNR; next }
     a[FNR] != $0 { printf "line %d, uninterrupted:\n%s\nkilled+resumed:\n%s\n", FNR, a[FNR], $0; d = 1; exit }
     END { if (!d && FNR != n) printf "the killed+resumed run has %d lines, the uninterrupted one %d\n", FNR, n }' \
  <(strip_timing "$work/ref/metrics.jsonl") <(strip_timing "$run/metrics.jsonl")
exit 1
