"""PyTorch reference timing of one EVGAP pre-training step, for `npm run bench:train` (bench/train.ts).

The same encoder as main/engine/encoder/encoder.ts: Linear F->D, a class token, a learned positional embedding,
L x nn.TransformerEncoderLayer(D, heads, FF, activation='relu', batch_first=True, norm_first=True, no dropout; the
last one computed at the class tokens alone, their queries from them and keys and values from every token, as the
app's encoder does: nothing reads the other rows), and a LayerNorm of each block's class token (out_norms.l) which,
L2-normalized, is that layer's embedding. Step 1: CLIP's symmetric InfoNCE on every layer (auxiliary weight 0.2 on
the earlier ones), Adam; step 2: the sigmoid group loss (M x N positives per group), AdamW with decay on weight
matrices only. Random normal inputs, as the TF.js bench.
Precision fp32, or bf16 autocast (torch.autocast('cpu', dtype=torch.bfloat16) around forward and loss).

Usage: python3 bench/torch_reference.py --preset paper --step 1 --batch 32 --threads 2 --precision fp32
       [--warmup 1] [--steps 3]
Prints one JSON object: the configuration, the best and every measured seconds per step, and the BLAS and ISA
PyTorch runs on. Run it with Debian's OpenBLAS as the BLAS: LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread.
"""

import argparse
import json
import math
import time

import torch
from torch import nn

PRESETS = {
    "paper": dict(input_dim=2048, model_dim=512, layers=6, heads=8, ff_dim=2048, tokens=20),
    "demo": dict(input_dim=2048, model_dim=64, layers=2, heads=4, ff_dim=128, tokens=20),
}
GROUP_VIEWS = (4, 8)  # ego and exo clips per group in step 2
AUX_WEIGHT = 0.2


class Encoder(nn.Module):
    def __init__(self, input_dim, model_dim, layers, heads, ff_dim, tokens):
        super().__init__()
        self.input_proj = nn.Linear(input_dim, model_dim)
        self.cls_token = nn.Parameter(torch.randn(model_dim) * 0.02)
        self.pos_embed = nn.Parameter(torch.randn(tokens + 1, model_dim) * 0.02)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(model_dim, heads, ff_dim, dropout=0.0, activation="relu", batch_first=True, norm_first=True)
            for _ in range(layers)
        )
        self.out_norms = nn.ModuleList(nn.LayerNorm(model_dim) for _ in range(layers))

    def forward(self, x):  # x [B, T, F] -> L x [B, D]
        h = self.input_proj(x)
        cls = self.cls_token.expand(h.shape[0], 1, -1)
        h = torch.cat([cls, h], dim=1) + self.pos_embed
        embeddings = []
        for l, (layer, norm) in enumerate(zip(self.layers, self.out_norms)):
            if l == len(self.layers) - 1:  # the last block at its class tokens alone, as the app's encoder
                x = layer.norm1(h)
                y = h[:, :1] + layer.self_attn(x[:, :1], x, x, need_weights=False)[0]
                h = y + layer.linear2(torch.relu(layer.linear1(layer.norm2(y))))
            else:
                h = layer(h)
            embeddings.append(nn.functional.normalize(norm(h[:, 0]), dim=-1))  # out_norm of the class tokens alone
        return embeddings


def pair_loss(ego, exo, log_scale):
    logits = log_scale.exp() * ego @ exo.t()
    target = torch.arange(ego.shape[0])
    return (nn.functional.cross_entropy(logits, target) + nn.functional.cross_entropy(logits.t(), target)) / 2


def group_loss(ego, exo, log_scale, groups, m, n):
    logits = log_scale.exp() * ego @ exo.t()  # [B*M, B*N]
    same = (torch.arange(groups * m)[:, None] // m) == (torch.arange(groups * n)[None, :] // n)
    signs = same.float() * 2 - 1
    return nn.functional.softplus(-signs * logits).sum() / (groups * groups * m * n)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="paper")
    parser.add_argument("--step", type=int, choices=(1, 2), default=1)
    parser.add_argument("--batch", type=int, help="pairs (step 1, default 32) or groups (step 2, default 4)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--precision", choices=("fp32", "bf16"), default="fp32")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--steps", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    config = PRESETS[args.preset]
    encoder = Encoder(**config)
    layers, tokens, input_dim = config["layers"], config["tokens"], config["input_dim"]
    if args.step == 1:
        batch = args.batch or 32
        log_scale = nn.Parameter(torch.tensor(1.0))
        features = torch.randn(2 * batch, tokens, input_dim)  # ego rows, then exo rows
        optimizer = torch.optim.Adam([*encoder.parameters(), log_scale], lr=5e-4)

        def layer_loss(embeddings):
            return pair_loss(embeddings[:batch], embeddings[batch:], log_scale)

        clips = 2 * batch
    else:
        batch = args.batch or 4
        m, n = GROUP_VIEWS
        log_scale = nn.Parameter(torch.tensor(math.log10(1 / 0.7)))
        features = torch.randn(batch * (m + n), tokens, input_dim)
        decayed = [p for name, p in encoder.named_parameters() if p.dim() == 2 and name != "pos_embed"]
        others = [p for name, p in encoder.named_parameters() if not (p.dim() == 2 and name != "pos_embed")]
        optimizer = torch.optim.AdamW(
            [{"params": decayed, "weight_decay": 0.01}, {"params": [*others, log_scale], "weight_decay": 0.0}], lr=1e-4
        )

        def layer_loss(embeddings):
            return group_loss(embeddings[: batch * m], embeddings[batch * m :], log_scale, batch, m, n)

        clips = batch * (m + n)

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.precision == "bf16"):
            per_layer = [layer_loss(e.float()) for e in encoder(features)]
            loss = per_layer[-1] + AUX_WEIGHT * sum(per_layer[:-1])
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(args.warmup):
        train_step()
    seconds = []
    for _ in range(args.steps):
        started = time.perf_counter()
        train_step()
        seconds.append(time.perf_counter() - started)
    with open("/proc/self/maps") as maps:
        libraries = {line.split()[-1] for line in maps if ".so" in line}
    blas = sorted({lib.rsplit("/", 1)[-1] for lib in libraries if "blas" in lib})
    print(
        json.dumps(
            {
                "preset": args.preset,
                "step": args.step,
                "batch": batch,
                "clips": clips,
                "layers": layers,
                "threads": args.threads,
                "precision": args.precision,
                "seconds_per_step": min(seconds),
                "measured_seconds": seconds,
                "torch": torch.__version__,
                "blas": blas,
            }
        )
    )


if __name__ == "__main__":
    main()
