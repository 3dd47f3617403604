"""The EVGAP losses (docs/method.md), as main/engine/losses/ computes them. Embeddings are L2-normalized already.

Step 1, eq. 1 (CLIP's symmetric InfoNCE), t = exp(s):
  L_pair = -1/(2B) sum_i [ log softmax_j(t e_i.x_j)[i] + log softmax_j(t e_j.x_i)[i] ]
Step 2, eq. 2 (sigmoid loss with M x N positives per group, after SigLIP), z_ij = +1 if i = j else -1:
  L_EVGAP = -1/(B^2 M N) sum_i sum_j sum_m sum_n log sigma( z_ij (t e_i^m.x_j^n + b) )
Auxiliary terms, eqs. 3-4: L_total = L(H) + sum_{l<L} w_l L(h_l).
"""

from typing import List, Optional, Tuple

import torch
from torch.nn import functional as F


def pair_loss(ego: torch.Tensor, exo: torch.Tensor, log_scale: torch.Tensor) -> torch.Tensor:
    """Symmetric InfoNCE over B pairs: ego and exo [B, D]; pair i is the positive of row i and column i."""
    if ego.dim() != 2 or ego.shape != exo.shape:
        raise ValueError(f"pair_loss: expected ego and exo of the same shape [B, D], got {list(ego.shape)} and {list(exo.shape)}")
    logits = log_scale.exp() * ego @ exo.t()  # [B, B]
    targets = torch.arange(ego.shape[0], device=ego.device)
    return (F.cross_entropy(logits, targets) + F.cross_entropy(logits.t(), targets)) / 2


def group_loss(ego: torch.Tensor, exo: torch.Tensor, log_scale: torch.Tensor, bias: Optional[torch.Tensor]) -> torch.Tensor:
    """Sigmoid loss over B groups: ego [B, M, D], exo [B, N, D]; one [B*M, B*N] similarity product."""
    if ego.dim() != 3 or exo.dim() != 3 or ego.shape[0] != exo.shape[0] or ego.shape[2] != exo.shape[2]:
        raise ValueError(f"group_loss: expected ego [B, M, D] and exo [B, N, D], got {list(ego.shape)} and {list(exo.shape)}")
    groups, m, d = ego.shape
    n = exo.shape[1]
    logits = log_scale.exp() * ego.reshape(groups * m, d) @ exo.reshape(groups * n, d).t()  # [B*M, B*N]
    if bias is not None:
        logits = logits + bias
    ego_group = torch.arange(groups * m, device=ego.device).div(m, rounding_mode="floor")[:, None]  # [B*M, 1]
    exo_group = torch.arange(groups * n, device=ego.device).div(n, rounding_mode="floor")[None, :]  # [1, B*N]
    signs = (ego_group == exo_group).to(logits.dtype) * 2 - 1  # [B*M, B*N]
    # -log sigma(x) = softplus(-x), computed without overflow for large |x|.
    return F.softplus(-signs * logits).sum() / (groups * groups * m * n)


def with_auxiliary(per_layer: List[torch.Tensor], weight: float) -> Tuple[torch.Tensor, List[torch.Tensor]]:
    """(L_total, the weighted terms w L(h_1) ... w L(h_{L-1}), L(H)) from the per-layer losses, final layer last."""
    terms = [loss * weight for loss in per_layer[:-1]] + [per_layer[-1]]
    return torch.stack(terms).sum(), terms
