"""The EVGAP encoder H (docs/method.md, "Encoder H"), the same model as main/engine/encoder/encoder.ts.

Features [B, T, F] -> Linear to D -> a learnable class token prepended -> positional embedding added (learned, or
the fixed sinusoidal table) -> L pre-norm Transformer blocks (nn.TransformerEncoderLayer with norm_first=True,
ReLU, no dropout) -> after block l, out_norms.l, and the class token of its output, L2-normalized, is the layer-l
embedding h_l (the last block computes its class tokens alone: nothing reads its other rows). The parameter names are the app's weight names (input_proj.weight [D, F], cls_token [D],
pos_embed [T+1, D], layers.{l}.self_attn.in_proj_weight [3D, D], ..., out_norms.{l}.weight), so a state dict
moves between the two engines unchanged.

`Trainable` adds the loss's learnable scalars: logit_scale s (t = exp(s)) and, for step 2's SigLIP variant,
logit_bias b, so DistributedDataParallel averages their gradients with the encoder's.
"""

import math
from typing import Dict, List, Optional

import torch
from torch import nn
from torch.nn import functional as F


def sinusoidal_positions(positions: int, dim: int) -> torch.Tensor:
    """The fixed table [positions, dim] of "Attention Is All You Need" (row 0: the class token's position)."""
    table = torch.zeros(positions, dim)
    for p in range(positions):
        for i in range(0, dim, 2):
            angle = p / math.pow(10000, i / dim)
            table[p, i] = math.sin(angle)
            if i + 1 < dim:
                table[p, i + 1] = math.cos(angle)
    return table


class Encoder(nn.Module):
    def __init__(self, config: Dict):
        super().__init__()
        self.config = dict(config)
        d, t = config["modelDim"], config["tokens"]
        eps = config["layerNormEps"]
        self.input_proj = nn.Linear(config["inputDim"], d)
        self.cls_token = nn.Parameter(torch.zeros(d))
        if config["posEmbed"] == "learned":
            self.pos_embed = nn.Parameter(torch.zeros(t + 1, d))
        else:
            self.register_buffer("fixed_positions", sinusoidal_positions(t + 1, d), persistent=False)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d, config["heads"], config["ffDim"], dropout=0.0, activation="relu",
                                       layer_norm_eps=eps, batch_first=True, norm_first=True)
            for _ in range(config["layers"]))
        self.out_norms = nn.ModuleList(nn.LayerNorm(d, eps=eps) for _ in range(config["layers"]))

    def positions(self) -> torch.Tensor:
        return self.pos_embed if self.config["posEmbed"] == "learned" else self.fixed_positions

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
        """Per-layer embeddings h_1 ... h_L, each [B, D] and L2-normalized, of features x [B, T, F]."""
        b, t, _ = x.shape
        projected = self.input_proj(x)  # [B, T, D]
        cls = self.cls_token.expand(b, 1, -1)  # [B, 1, D]
        h = torch.cat([cls, projected], dim=1) + self.positions()  # [B, T+1, D]
        embeddings = []
        last = len(self.layers) - 1
        for l, (layer, norm) in enumerate(zip(self.layers, self.out_norms)):
            # The last block at its class tokens alone (no later block reads its other rows), as the app's encoder.
            h = class_token_block(layer, h) if l == last else layer(h)  # [B, 1, D] or [B, T+1, D]
            # LayerNorm is row by row: out_norms.l of the class tokens alone, as the app's encoder does.
            embeddings.append(F.normalize(norm(h[:, 0]), dim=-1, eps=1e-12))  # [B, D]
        return embeddings


def class_token_block(layer: nn.TransformerEncoderLayer, h: torch.Tensor) -> torch.Tensor:
    """layer(h)[:, :1] of a pre-norm ReLU layer without dropout, computed at the first row alone: its query from that
    row, keys and values from every row of h [B, T+1, D] -> [B, 1, D]."""
    x = layer.norm1(h)  # [B, T+1, D]
    y = h[:, :1] + layer.self_attn(x[:, :1], x, x, need_weights=False)[0]  # [B, 1, D]
    return y + layer.linear2(F.relu(layer.linear1(layer.norm2(y))))  # [B, 1, D]


def encoder_parameter_names(config: Dict) -> List[str]:
    """The encoder's weight names in the app's order (encoderParameterShapes in encoder/parameters.ts)."""
    names = ["input_proj.weight", "input_proj.bias", "cls_token"]
    if config["posEmbed"] == "learned":
        names.append("pos_embed")
    for layer in range(config["layers"]):
        p = f"layers.{layer}"
        names += [f"{p}.self_attn.in_proj_weight", f"{p}.self_attn.in_proj_bias", f"{p}.self_attn.out_proj.weight",
                  f"{p}.self_attn.out_proj.bias", f"{p}.linear1.weight", f"{p}.linear1.bias", f"{p}.linear2.weight",
                  f"{p}.linear2.bias", f"{p}.norm1.weight", f"{p}.norm1.bias", f"{p}.norm2.weight", f"{p}.norm2.bias"]
    for layer in range(config["layers"]):
        names += [f"out_norms.{layer}.weight", f"out_norms.{layer}.bias"]
    return names


LOGIT_SCALE = "logit_scale"
LOGIT_BIAS = "logit_bias"


class Trainable(nn.Module):
    """The encoder and the loss's scalars: everything one pre-training step's optimizer updates."""

    def __init__(self, encoder_config: Dict, logit_scale: float, logit_bias: Optional[float]):
        super().__init__()
        self.encoder = Encoder(encoder_config)
        self.logit_scale = nn.Parameter(torch.tensor(float(logit_scale)))
        self.logit_bias = None if logit_bias is None else nn.Parameter(torch.tensor(float(logit_bias)))

    def forward(self, x: torch.Tensor):
        """(per-layer embeddings of x [rows, T, F], s, b or None)."""
        return self.encoder(x), self.logit_scale, self.logit_bias

    def named_weights(self) -> Dict[str, torch.Tensor]:
        """Every trained tensor under the app's weight names, in the app's order (logit_scale, logit_bias last)."""
        params = dict(self.encoder.named_parameters())
        named = {name: params[name] for name in encoder_parameter_names(self.encoder.config)}
        named[LOGIT_SCALE] = self.logit_scale
        if self.logit_bias is not None:
            named[LOGIT_BIAS] = self.logit_bias
        return named

    def load_encoder(self, tensors: Dict[str, torch.Tensor], source: str) -> None:
        """Sets the encoder's weights from named tensors, after checking every name and shape against the config."""
        expected = {name: tuple(p.shape) for name, p in self.encoder.named_parameters()}
        problems = [f"{name}: expected shape {list(shape)}, got {list(tensors[name].shape)}"
                    for name, shape in expected.items() if name in tensors and tuple(tensors[name].shape) != shape]
        missing = [name for name in expected if name not in tensors]
        if missing:
            problems.append("missing: " + ", ".join(missing))
        if problems:
            raise ValueError(f"{source} does not match the encoder config:\n  " + "\n  ".join(problems))
        with torch.no_grad():
            for name, param in self.encoder.named_parameters():
                param.copy_(tensors[name])
