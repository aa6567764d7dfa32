#!/usr/bin/env bash
# Hand-run reference: wdlab's CPU training steps against the PyTorch peer
# (scripts/torch_bench.py, Debian python3-torch), interleaved so that both
# see the same machine load: PreAct-ResNet-18 w16 and the tiny preset's
# model on the default (oneDNN) executor, and the GPT on the native engine.
# Prints one line per run, then per model and thread count the medians and
# the median of the paired ratios (wdlab / PyTorch).
#   scripts/cpu-vs-torch.sh [REPEATS] [THREADS...]     e.g. scripts/cpu-vs-torch.sh 5 1 2
# Needs bin/wdlab (make build), /usr/bin/python3 with torch and an optimised
# BLAS under it (Debian: libopenblas0-pthread; with the reference libblas3
# that python3-torch pulls in alone, PyTorch's GPT step is 10x slower).
# The peer's BLAS runs one thread per call (OPENBLAS_NUM_THREADS=1): with a
# BLAS thread pool under PyTorch's own threads, 2 threads ran 2.5x slower
# than 1.
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-3}
shift || true
threads=("${@:-2}")
log=$(mktemp)
trap 'rm -f "$log"' EXIT
peer() { OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/torch_bench.py "$@" | sed -E 's/.*"images_per_s": ([0-9.]+).*/\1/; s/.*"tokens_per_s": ([0-9.]+).*/\1/'; }
ours() { OMP_NUM_THREADS=$t GOMAXPROCS=$t bin/wdlab bench "$@" | sed -n 1p | sed -E 's/.*: ([0-9.]+) samples\/s.*/\1/'; }
for r in $(seq "$reps"); do
	for t in "${threads[@]}"; do
		echo "== rep $r threads $t load $(cut -d' ' -f1-3 /proc/loadavg)"
		echo "w16 $t torch $(peer resnet --width 16 --batch 128 --threads "$t" --warmup 1 --iters 3)" | tee -a "$log"
		echo "w16 $t wdlab $(ours resnet --width 16 --batch 128 --warmup 1 --iters 3)" | tee -a "$log"
		echo "tiny $t torch $(peer resnet --width 8 --blocks 1 1 1 1 --input 28 28 1 --batch 128 --threads "$t")" | tee -a "$log"
		echo "tiny $t wdlab $(ours resnet --width 8 --blocks 1,1,1,1 --input 28,28,1 --batch 128)" | tee -a "$log"
		echo "gpt $t torch $(peer gpt --batch 16 --threads "$t")" | tee -a "$log"
		echo "gpt $t wdlab $(ours gpt --layers 4 --dim 128 --heads 4 --ctx 128 --vocab 256 --batch 16)" | tee -a "$log"
	done
done
echo "== medians (samples/s: images, tokens for gpt) and the median of paired ratios"
awk '
function median(s,   a, n, i, j, x) {
	n = split(s, a, " ")
	for (i = 2; i <= n; i++) { x = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{ k = $1 " t" $2; v[k, $3] = v[k, $3] " " $4; if ($3 == "torch") last[k] = $4; else r[k] = r[k] " " $4 / last[k]; keys[k] = 1 }
END { for (k in keys) printf "%-8s torch %8.1f  wdlab %8.1f  ratio %.2fx (pairs:%s)\n", k, median(v[k, "torch"]), median(v[k, "wdlab"]), median(r[k]), r[k] }
' "$log" | sort
