"""The optimizers of the two steps, as main/engine/optim/adamw.ts updates: step 1 Adam, step 2 AdamW with decoupled
weight decay (torch.optim.AdamW shrinks theta by lr * wd * theta before the Adam update, as the app does), and the
same rule for which parameters decay (main/engine/optim/weightDecay.ts): only the weight matrices of linear maps.
The state goes in and out in the app's checkpoint layout: per parameter name its step count and both moments.
"""

import re
from typing import Dict, Tuple

import torch

_NOT_DECAYED = {"cls_token", "pos_embed", "logit_scale", "logit_bias"}
_NORM_PARAMETER = re.compile(r"(^|\.)(norm\d*|out_norms\.\d+)\.(weight|bias)$")


def is_decayed(name: str) -> bool:
    """True when decoupled weight decay applies to the parameter with this name (isDecayed in weightDecay.ts)."""
    if name in _NOT_DECAYED or name.endswith("bias") or _NORM_PARAMETER.search(name):
        return False
    return True


def make_optimizer(named: Dict[str, torch.nn.Parameter], step_config: Dict) -> torch.optim.Optimizer:
    """Adam (step 1) or AdamW (step 2) over the named parameters, with the step's settings."""
    betas = (step_config["beta1"], step_config["beta2"])
    options = dict(lr=step_config["lr"], betas=betas, eps=step_config["epsilon"], foreach=False)
    if step_config["optimizer"] == "adam":
        return torch.optim.Adam(list(named.values()), weight_decay=0.0, **options)
    decay = step_config["weightDecay"]
    groups = [
        {"params": [p for n, p in named.items() if is_decayed(n)], "weight_decay": decay},
        {"params": [p for n, p in named.items() if not is_decayed(n)], "weight_decay": 0.0},
    ]
    return torch.optim.AdamW([g for g in groups if g["params"]], **options)


def export_state(optimizer: torch.optim.Optimizer,
                 named: Dict[str, torch.nn.Parameter]) -> Tuple[Dict[str, torch.Tensor], Dict[str, int]]:
    """(moments as `<name>.exp_avg` / `<name>.exp_avg_sq`, step count per name) of the parameters that have state."""
    moments: Dict[str, torch.Tensor] = {}
    steps: Dict[str, int] = {}
    for name, param in named.items():
        state = optimizer.state.get(param)
        if not state:
            continue
        moments[f"{name}.exp_avg"] = state["exp_avg"]
        moments[f"{name}.exp_avg_sq"] = state["exp_avg_sq"]
        steps[name] = int(state["step"])
    return moments, steps


def import_state(optimizer: torch.optim.Optimizer, named: Dict[str, torch.nn.Parameter],
                 moments: Dict[str, torch.Tensor], steps: Dict[str, int], source: str) -> None:
    """Replaces the optimizer's state with a checkpoint's, after checking every name and size."""
    for name, step in steps.items():
        param = named.get(name)
        if param is None:
            raise ValueError(f"{source}: optimizer state names unknown parameter {name}")
        for suffix in ("exp_avg", "exp_avg_sq"):
            moment = moments.get(f"{name}.{suffix}")
            if moment is None or moment.numel() != param.numel():
                raise ValueError(f"{source}: expected {name}.{suffix} with {param.numel()} values")
    optimizer.state.clear()
    for name, step in steps.items():
        param = named[name]
        optimizer.state[param] = {
            "step": torch.tensor(float(step)),
            "exp_avg": moments[f"{name}.exp_avg"].reshape(param.shape).to(param.device, param.dtype).clone(),
            "exp_avg_sq": moments[f"{name}.exp_avg_sq"].reshape(param.shape).to(param.device, param.dtype).clone(),
        }
