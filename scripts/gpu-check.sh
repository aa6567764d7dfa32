#!/usr/bin/env bash
# The prepared H200 check (docs/gpu.md): plugin loading, fp32 agreement of the
# GoMLX executor with the native engine (ResNet and GPT-2 124M), then
# throughput and MFU. Every step has its own timeout and the script goes on
# after a failure; logs go to $OUT and a short table is printed last.
#
#   bash scripts/gpu-check.sh                  # on the H200 (binary in gpu-bin/)
#   SMOKE=1 bash scripts/gpu-check.sh          # the same commands, tiny shapes, Go backend (CPU)
#
# Environment: W (binary, default ./gpu-bin/wdlab), OUT (default ./gpu-out),
# PLUG (PJRT plugin, default: jax's xla_cuda_plugin.so in /opt/torch/.venv),
# STEP_TIMEOUT (seconds per step, default 240).
set -u
W=${W:-./gpu-bin/wdlab}
OUT=${OUT:-./gpu-out}
T=${STEP_TIMEOUT:-240}
mkdir -p "$OUT"

if [[ ${SMOKE:-0} == 1 ]]; then
  B=go
  RES="--width 4 --blocks 1,1 --size 8 --batch 4 --steps 2"
  RES_BENCH="--width 4 --blocks 1,1 --batch 8 --iters 2"
  GPT_PRESET=tiny
  GPT="--layers 1 --dim 16 --heads 2 --ctx 16 --vocab 64 --batch 2 --iters 2"
else
  SP=$(ls -d /opt/torch/.venv/lib/python3*/site-packages 2>/dev/null | head -1)
  PLUG=${PLUG:-$(find "$SP/jax_plugins" -name 'xla_cuda_plugin.so' 2>/dev/null | head -1)}
  export GOMLX_NO_AUTO_INSTALL=1
  export LD_LIBRARY_PATH=$(ls -d "$SP"/nvidia/*/lib 2>/dev/null | tr '\n' ':')${LD_LIBRARY_PATH:-}
  export PATH=$SP/nvidia/cu13/bin:/usr/local/cuda/bin:$PATH # ptxas
  export XLA_FLAGS=--xla_gpu_cuda_data_dir=$(ls -d "$SP/nvidia/cu13" 2>/dev/null || echo /usr/local/cuda)
  B="xla:$PLUG"
  RES="--width 16 --size 32 --batch 64 --steps 3"
  RES_BENCH="--width 64 --blocks 2,2,2,2 --batch 512 --iters 10"
  GPT_PRESET=gpt2-124m
  GPT="--layers 12 --dim 768 --heads 12 --ctx 256 --vocab 50304 --batch 64 --iters 10"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv >"$OUT/nvidia-smi.txt" 2>&1
  echo "plugin: ${PLUG:-none found}" | tee "$OUT/plugin.txt"
fi

names=() rcs=() secs=()
# step NAME CMD...: runs CMD with the step timeout, its stdout to OUT/NAME.json
# and stderr to OUT/NAME.err.
step() {
  local name=$1 t0=$SECONDS
  shift
  timeout "$T" "$@" >"$OUT/$name.json" 2>"$OUT/$name.err"
  local rc=$?
  names+=("$name") rcs+=("$rc") secs+=($((SECONDS - t0)))
  echo "== $name: exit $rc after $((SECONDS - t0)) s" >&2
}

# In order of value: loading and agreement first.
step check-resnet "$W" gomlx check --backend "$B" $RES --json
step check-gpt "$W" gomlx check --model gpt --gpt-preset "$GPT_PRESET" --backend "$B" --batch 2 --steps 2 --json
step bench-gpt-fp32 "$W" bench gpt --executor gomlx --gomlx-backend "$B" $GPT --json
step bench-gpt-bf16 "$W" bench gpt --executor gomlx --gomlx-backend "$B" $GPT --precision bf16 --json
step bench-resnet "$W" bench resnet --executor gomlx --gomlx-backend "$B" $RES_BENCH --json
step check-resnet-cudnn "$W" gomlx check --backend "$B" --conv native $RES --json

# field FILE KEY: a number or string field of a one-line JSON object.
field() { sed -n "s/.*\"$2\":\"\{0,1\}\([^,\"}]*\).*/\1/p" "$1" | head -1; }
echo
printf '%-20s %4s %5s  %s\n' step rc secs result
for i in "${!names[@]}"; do
  f="$OUT/${names[$i]}.json"
  case ${names[$i]} in
    check-*) r="grad_rel_err=$(field "$f" grad_rel_err) param_rel_err=$(field "$f" param_rel_err)" ;;
    *) r="samples/s=$(field "$f" samples_per_s) mfu=$(field "$f" mfu) peak=$(field "$f" peak_gflops)" ;;
  esac
  [[ ${rcs[$i]} == 0 ]] || r="FAILED: $(tail -c 300 "$OUT/${names[$i]}.err" | tr '\n' ' ')"
  printf '%-20s %4s %5s  %s\n' "${names[$i]}" "${rcs[$i]}" "${secs[$i]}" "$r"
done
