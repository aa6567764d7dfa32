#!/usr/bin/env python3
"""Golden reference files for wdlab's native engine, written by PyTorch.

For three small models built the way wdlab builds them (a BN-MLP, a
PreAct-ResNet and a GPT), this writes to internal/golden/testdata/MODEL.json:
the initial weights, one batch, the loss, every gradient, the weights (and BN
running statistics) after 3 steps of SGD with momentum and coupled weight
decay, and after 3 AdamW steps on the same batch. The Go tests in
internal/golden load the initial weights into the native models, repeat the
computation and compare. CI never runs this script; rerun it by hand when the
models or the optimizers change on purpose:

    apt-get install -y python3-torch      # Debian: torch 1.13 for /usr/bin/python3
    /usr/bin/python3 scripts/golden_torch.py

The PreAct-ResNet and the GPT are scripts/torch_bench.py's. Tensors are
written in wdlab's layout (NHWC images, conv weights
[kh, kw, cin, cout], matrices [in, out]) and named as wdlab names them, as
little-endian float32 in base64, so the Go side compares by name.
"""
import base64
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

import torch_bench  # the PyTorch peer benchmark's models, next to this script

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "internal", "golden", "testdata"))
STEPS = 3
SGD = {"lr": 0.1, "momentum": 0.9, "wd": 5e-3}
ADAMW = {"lr": 1e-2, "betas": [0.9, 0.95], "eps": 1e-8, "wd": 0.1}


def enc(t):
    """A tensor as {"shape", "data": base64 of little-endian float32}."""
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": base64.b64encode(t.numpy().astype("<f4").tobytes()).decode()}


# Layout conversions from PyTorch to wdlab, by parameter kind.
def conv_w(t):  # [cout, cin, kh, kw] -> [kh, kw, cin, cout]
    return t.permute(2, 3, 1, 0)


def lin_w(t):  # [out, in] -> [in, out]
    return t.t()


def same(t):
    return t


class BNMLP(nn.Module):
    """wdlab's models.BNMLP: flatten, (linear without bias, BN, ReLU) per hidden layer, linear head."""

    def __init__(self, inp, hidden, classes):
        super().__init__()
        self.names, dims = [], [inp] + hidden
        for i, h in enumerate(hidden, 1):
            setattr(self, f"fc{i}", nn.Linear(dims[i - 1], h, bias=False))
            setattr(self, f"bn{i}", nn.BatchNorm1d(h))
        self.head = nn.Linear(dims[-1], classes)
        self.n = len(hidden)

    def forward(self, x):
        x = x.reshape(x.shape[0], -1)  # NHWC order, as wdlab's flatten
        for i in range(1, self.n + 1):
            x = F.relu(getattr(self, f"bn{i}")(getattr(self, f"fc{i}")(x)))
        return self.head(x)

    def wdlab_names(self):
        m = {}
        for i in range(1, self.n + 1):
            m[f"fc{i}.weight"] = (getattr(self, f"fc{i}").weight, lin_w)
            bn = getattr(self, f"bn{i}")
            m.update({f"bn{i}.weight": (bn.weight, same), f"bn{i}.bias": (bn.bias, same),
                      f"bn{i}.running_mean": (bn.running_mean, same), f"bn{i}.running_var": (bn.running_var, same)})
        m["head.weight"] = (self.head.weight, lin_w)
        m["head.bias"] = (self.head.bias, same)
        return m


def bn_entries(prefix, bn):
    return {prefix + ".weight": (bn.weight, same), prefix + ".bias": (bn.bias, same),
            prefix + ".running_mean": (bn.running_mean, same), prefix + ".running_var": (bn.running_var, same)}


class PreActResNet(torch_bench.PreActResNet18):
    """torch_bench's PreAct-ResNet (wdlab's models.PreActResNet) on NHWC
    input, with wdlab's parameter names."""

    def forward(self, x):
        return super().forward(x.permute(0, 3, 1, 2))

    def wdlab_names(self):
        m = bn_entries("bn_in", self.bn_in)
        m["conv1.weight"] = (self.stem.weight, conv_w)
        for s, b in enumerate(self.layers, 1):  # one block per stage
            p = f"layer{s}.0"
            m.update(bn_entries(p + ".bn1", b.bn1))
            m[p + ".conv1.weight"] = (b.conv1.weight, conv_w)
            m.update(bn_entries(p + ".bn2", b.bn2))
            m[p + ".conv2.weight"] = (b.conv2.weight, conv_w)
            if b.short is not None:
                m[p + ".shortcut.weight"] = (b.short.weight, conv_w)
        m.update(bn_entries("bn_out", self.bn_out))
        m["linear.weight"] = (self.fc.weight, lin_w)
        m["linear.bias"] = (self.fc.bias, same)
        return m


class GPT(torch_bench.GPT):
    """torch_bench's GPT (wdlab's nn.GPT) with wdlab's parameter names and
    LayerNorm gains drawn off 1, so that the test sees them used."""

    def __init__(self, vocab, ctx, layers, heads, dim):
        super().__init__(vocab, ctx, layers, dim, heads)
        with torch.no_grad():
            for g in self.gains():
                g.add_(0.1 * torch.randn_like(g))

    def gains(self):
        return [w for b in self.blocks for w in (b.ln1.weight, b.ln2.weight)] + [self.lnf.weight]

    def wdlab_names(self):
        m = {"transformer.wte.weight": (self.wte.weight, same), "transformer.wpe.weight": (self.wpe.weight, same)}
        for i, b in enumerate(self.blocks):
            p = f"transformer.h.{i}."
            m.update({p + "ln_1.weight": (b.ln1.weight, same), p + "attn.c_attn.weight": (b.qkv.weight, lin_w),
                      p + "attn.c_proj.weight": (b.proj.weight, lin_w), p + "ln_2.weight": (b.ln2.weight, same),
                      p + "mlp.c_fc.weight": (b.fc.weight, lin_w), p + "mlp.c_proj.weight": (b.fc2.weight, lin_w)})
        m["transformer.ln_f.weight"] = (self.lnf.weight, same)
        return m


def snapshot(model, grads=False):
    out = {}
    for name, (t, conv) in model.wdlab_names().items():
        if grads:
            if t.grad is not None:
                out[name] = enc(conv(t.grad))
        else:
            out[name] = enc(conv(t))
    return out


def param_groups(model, decay_all, wd):
    """Every parameter decays for the vision models; only matrices and
    embeddings (dim >= 2) for the GPT, as wdlab's Param.Decay."""
    ps = [t for t, _ in model.wdlab_names().values() if isinstance(t, nn.Parameter)]
    if decay_all:
        return [{"params": ps, "weight_decay": wd}]
    return [{"params": [p for p in ps if p.dim() >= 2], "weight_decay": wd},
            {"params": [p for p in ps if p.dim() < 2], "weight_decay": 0.0}]


def run(name, make, batch, loss_fn, decay_all):
    torch.manual_seed(0)
    model = make()
    init = {k: v.detach().clone() for k, v in model.state_dict().items()}
    rec = {"model": name, "steps": STEPS, "sgd": SGD, "adamw": ADAMW, "init": snapshot(model)}
    rec.update(batch["record"])
    model.train()
    loss = loss_fn(model)
    loss.backward()
    rec["loss"] = loss.item()
    rec["grad"] = snapshot(model, grads=True)
    for opt_name in ("sgd", "adamw"):
        model.load_state_dict(init)
        if opt_name == "sgd":
            opt = torch.optim.SGD(param_groups(model, decay_all, SGD["wd"]), lr=SGD["lr"], momentum=SGD["momentum"])
        else:
            opt = torch.optim.AdamW(param_groups(model, decay_all, ADAMW["wd"]), lr=ADAMW["lr"],
                                    betas=tuple(ADAMW["betas"]), eps=ADAMW["eps"])
        losses = []
        for _ in range(STEPS):
            opt.zero_grad()
            loss = loss_fn(model)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        rec[opt_name + "_losses"] = losses
        rec[opt_name + "_after"] = snapshot(model)
    path = os.path.join(OUT, name + ".json")
    with open(path, "w") as f:
        json.dump(rec, f, separators=(",", ":"))
        f.write("\n")
    print(f"{path}: loss {rec['loss']:.6f}, {len(rec['grad'])} gradients, {os.path.getsize(path)} bytes")


def vision_batch(n, shape, classes, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, *shape, generator=g)
    y = torch.randint(0, classes, (n,), generator=g)
    return x, y, {"x": enc(x), "labels": y.tolist()}


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)

    x, y, record = vision_batch(8, (2, 2, 3), 3, 1)
    run("bn-mlp", lambda: BNMLP(12, [6, 5], 3), {"record": {**record, "hidden": [6, 5], "input": [2, 2, 3], "classes": 3}},
        lambda m: F.cross_entropy(m(x), y), True)

    xr, yr, recr = vision_batch(8, (8, 8, 3), 3, 2)
    run("preact-resnet", lambda: PreActResNet(4, 3, (1, 1)),
        {"record": {**recr, "blocks": [1, 1], "width": 4, "input": [8, 8, 3], "classes": 3}},
        lambda m: F.cross_entropy(m(xr), yr), True)

    cfg = {"vocab": 16, "ctx": 8, "layers": 2, "heads": 2, "dim": 8}
    g = torch.Generator().manual_seed(3)
    ids = torch.randint(0, cfg["vocab"], (2, 8), generator=g)
    tgt = torch.randint(0, cfg["vocab"], (2, 8), generator=g)
    run("gpt", lambda: GPT(**cfg), {"record": {"gpt": cfg, "ids": ids.flatten().tolist(), "targets": tgt.flatten().tolist(), "b": 2, "t": 8}},
        lambda m: F.cross_entropy(m(ids).reshape(-1, cfg["vocab"]), tgt.flatten()), False)


if __name__ == "__main__":
    main()
