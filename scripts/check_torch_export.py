#!/usr/bin/env python3
"""Hand-run check of docs/export.md against PyTorch (CI never runs this).

Builds the doc's PreActResNet for configs/fmnist-resnet-tiny.yaml from the
doc's own Python code and checks that its state_dict (without
num_batches_tracked) has exactly the names, order and shapes of the doc's
listing. Given a file written by `wdlab export --torch` for that config,
it also loads the file strictly (up to num_batches_tracked), checks that
every tensor arrived unchanged and runs the model on a random batch.

    python3 scripts/check_torch_export.py [fmnist-resnet-tiny.safetensors]

Needs torch and safetensors. Exits 0 iff every check passes.
"""
import pathlib
import re
import sys

import torch

DOC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "export.md"


def main():
    text = DOC.read_text()
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    defs = code.split("# configs/fmnist-resnet-tiny.yaml")[0]
    ns = {}
    exec(defs, ns)
    model = ns["PreActResNet"](in_ch=1, classes=10, width=8, blocks=[1, 1, 1, 1])
    got = [f"{k} {list(v.shape)}".replace(",", "") for k, v in model.state_dict().items()
           if not k.endswith("num_batches_tracked")]
    listing = re.search(r"<!-- state_dict: fmnist-resnet-tiny -->\s*```text\n(.*?)```", text, re.S).group(1)
    want = listing.strip().splitlines()
    if got != want:
        print("state_dict differs from the doc's listing:")
        for g, w in zip(got + [""] * len(want), want + [""] * len(got)):
            if g != w:
                print(f"  module {g!r} vs listing {w!r}")
        return 1
    print(f"ok: the doc's module has the listed {len(want)} tensors")
    if len(sys.argv) > 1:
        from safetensors.torch import load_file

        sd = load_file(sys.argv[1])
        missing, unexpected = model.load_state_dict(sd, strict=False)
        assert not unexpected and all(k.endswith("num_batches_tracked") for k in missing), (missing, unexpected)
        for k, v in sd.items():
            assert torch.equal(model.state_dict()[k], v), k
        model.eval()
        out = model(torch.randn(4, 1, 28, 28))
        assert out.shape == (4, 10) and torch.isfinite(out).all()
        print(f"ok: {sys.argv[1]} loads strictly and gives finite logits {tuple(out.shape)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
