#!/usr/bin/env bash
# Hand-run reference: wdlab's CPU vision executors against the PyTorch peer
# (scripts/torch_bench.py, Debian python3-torch), interleaved so that both
# see the same machine load. Prints one line per run; take medians.
#   scripts/cpu-vs-torch.sh [REPEATS] [THREADS...]     e.g. scripts/cpu-vs-torch.sh 5 1 2
# Needs bin/wdlab (make build) and /usr/bin/python3 with torch.
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-3}
shift || true
threads=("${@:-2}")
tiny_w=(--width 8)
for r in $(seq "$reps"); do
	for t in "${threads[@]}"; do
		echo "== rep $r threads $t load $(cut -d' ' -f1-3 /proc/loadavg)"
		/usr/bin/python3 scripts/torch_bench.py resnet --width 16 --batch 128 --threads "$t" --warmup 1 --iters 3 |
			sed "s/^/torch w16 t$t: /"
		OMP_NUM_THREADS=$t GOMAXPROCS=$t bin/wdlab bench resnet --width 16 --batch 128 --warmup 1 --iters 3 | sed -n 1p |
			sed "s/^/wdlab w16 t$t: /"
		/usr/bin/python3 scripts/torch_bench.py resnet "${tiny_w[@]}" --blocks 1 1 1 1 --input 28 28 1 --batch 128 --threads "$t" |
			sed "s/^/torch tiny t$t: /"
		OMP_NUM_THREADS=$t GOMAXPROCS=$t bin/wdlab bench resnet "${tiny_w[@]}" --blocks 1,1,1,1 --input 28,28,1 --batch 128 | sed -n 1p |
			sed "s/^/wdlab tiny t$t: /"
	done
done
