"""Parity fixtures of the segmentation heads against their authors' PyTorch models.

For each head whose authors' code is given (a local checkout of their public repository: C2F-TCN
github.com/dipika-singhania/C2F-TCN, ASFormer github.com/ChinaYi/ASFormer, LTContext github.com/LTContext/LTContext),
this imports the authors' model class, builds it with a small seeded configuration, runs it in evaluation mode
(and C2F-TCN also in training mode, which has no dropout) on seeded inputs, computes the authors' training loss,
and writes one safetensors file per head into the output folder: the model's weights under their PyTorch
state_dict names and shapes, the input [N, F], the labels, every output's logits [N, K] (time first), the
predicted probabilities, the loss, and in its metadata our head's configuration of the same network.
test/main/eval/segmentationHead/parity.test.ts loads them into our TF.js heads and compares.

Run with Debian's python3-torch (torch 1.13):

    /usr/bin/python3 python/parity/heads_parity.py --c2f-tcn DIR --asformer DIR --ltcontext DIR \
        --out test/fixtures/heads

Imports the authors' code needs but Debian lacks are replaced at import time, without editing their files:
C2F-TCN's model.py imports torchvision (unused by the model): an empty module stands in. ASFormer's model.py
imports its eval.py for a plotting helper (matplotlib, seaborn): a module without it stands in. LTContext needs
einops (a small rearrange/repeat for the patterns it uses stands in), yacs and its ltc.utils.logging (simplejson,
pandas): stand-ins with what the model and loss modules use. C2F_TCN hard-codes 256/128 channels; its block
constructors are wrapped to build 16/8-channel blocks so that the fixture stays small (the forward code is
theirs, unchanged): C2F_TCN.__init__ runs with those wrappers in place of the constructor names it calls.
"""

import argparse
import json
import logging
import math
import os
import re
import subprocess
import sys
import types

import numpy as np
import torch
import torch.nn.functional as F

FEATURES = 12
CLASSES = 5


# ----------------------------------------------------------------------------------------------------------------
# Output


def write_safetensors(path, tensors, metadata):
    """Writes float32 tensors (name -> numpy array) and a str -> str metadata map as a safetensors file."""
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-(8 + len(encoded)) % 8)
    with open(path, "wb") as f:
        f.write(len(encoded).to_bytes(8, "little"))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def commit_of(folder):
    try:
        return subprocess.check_output(["git", "-C", folder, "rev-parse", "HEAD"], stderr=subprocess.DEVNULL).decode().strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def state_tensors(model, skip=()):
    """The model's float parameters and buffers by state_dict name (integer counters and `skip` left out)."""
    return {
        name: value.detach().numpy().copy()
        for name, value in model.state_dict().items()
        if value.dtype.is_floating_point and name not in skip
    }


def time_first(logits):
    """[1, K, N] -> [N, K]."""
    return logits[0].transpose(0, 1).detach().numpy()


def fixture(path, head, source, config, model_tensors, x, labels, outputs, probabilities, loss, extra=None):
    tensors = dict(model_tensors)
    tensors["input"] = x[0].transpose(0, 1).numpy()
    tensors["labels"] = labels[0].numpy().astype(np.float32)
    for i, out in enumerate(outputs):
        tensors[f"outputs.{i}"] = time_first(out)
    tensors["probabilities"] = probabilities
    tensors["loss"] = np.array([loss], dtype=np.float32)
    tensors.update(extra or {})
    metadata = {"head": head, "config": json.dumps(config), "source": source, "torch": torch.__version__}
    write_safetensors(path, tensors, metadata)
    size = os.path.getsize(path)
    print(f"{path}: {len(model_tensors)} weight tensors, {len(outputs)} outputs, {size / 1024:.0f} KiB")


def inputs(seed, frames):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(1, FEATURES, frames, generator=generator)
    # labels as segments, so that the smoothing term is small as in real videos
    cuts = sorted(torch.randint(1, frames, (4,), generator=generator).tolist())
    labels = torch.zeros(1, frames, dtype=torch.long)
    for i, (start, end) in enumerate(zip([0] + cuts, cuts + [frames])):
        labels[0, start:end] = (i * 2 + seed) % CLASSES
    return x, labels


def mstcn_loss(log_probabilities, labels, weight):
    """The authors' shared loss: CrossEntropyLoss on the given scores plus weight x the clamped (16) MSE of
    neighbouring frames' log-softmax, the earlier frame detached (batch of one, no padding)."""
    ce = F.cross_entropy(log_probabilities, labels)
    scores = F.log_softmax(log_probabilities, dim=1)
    mse = torch.clamp((scores[:, :, 1:] - scores.detach()[:, :, :-1]) ** 2, min=0, max=16)
    return ce + weight * torch.mean(mse)


def stand_in_module(name, **attributes):
    """Registers a module named `name` holding only `attributes`, in place of a package the authors' code imports
    but the model and loss never use (or use only through these attributes); see the header for which and why."""
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module
    return module


# ----------------------------------------------------------------------------------------------------------------
# C2F-TCN


def c2f_tcn(folder, out):
    sys.path.insert(0, folder)
    if "torchvision" not in sys.modules:
        try:
            import torchvision  # noqa: F401
        except ImportError:
            stand_in_module("torchvision", models=stand_in_module("torchvision.models"))
    import model as c2f

    sys.path.remove(folder)
    channel = {256: 16, 128: 8}
    up_in = {260: 20, 256: 16, 384: 24}  # 128 + 4 (TPP) + 128, 128 + 128, 128 + 256 at 1/16 width
    # C2F_TCN.__init__ run with its block constructors narrowed (their classes and forward code unchanged)
    narrowed = dict(vars(c2f))
    narrowed.update(
        inconv=lambda cin, cout: c2f.inconv(cin, channel[cout]),
        down=lambda cin, cout: c2f.down(channel[cin], channel[cout]),
        up=lambda cin, cout: c2f.up(up_in[cin], channel[cout]),
        outconv=lambda cin, cout: c2f.outconv(channel[cin], cout),
        TPPblock=lambda c: c2f.TPPblock(channel[c]),
    )
    init = types.FunctionType(c2f.C2F_TCN.__init__.__code__, narrowed, closure=c2f.C2F_TCN.__init__.__closure__)

    torch.manual_seed(11)
    model = c2f.C2F_TCN.__new__(c2f.C2F_TCN)
    init(model, FEATURES, CLASSES)
    generator = torch.Generator().manual_seed(12)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm1d):
                module.weight.copy_(1 + 0.2 * torch.randn(module.weight.shape, generator=generator))
                module.bias.copy_(0.2 * torch.randn(module.bias.shape, generator=generator))
                module.running_mean.copy_(0.3 * torch.randn(module.running_mean.shape, generator=generator))
                module.running_var.copy_(0.5 + torch.rand(module.running_var.shape, generator=generator))
    weights = [1, 1, 1, 1, 0, 0]
    frames = 400  # 400 -> 200 -> 100 -> 50 -> 25 -> 12 -> 6: the bottleneck fits TPP's 6-frame pool; 25 is odd

    def run(x):
        y, side, _ = model(x)
        outputs = [y] + [F.interpolate(s, size=frames, mode="linear", align_corners=True) for s in side]
        ensemble = sum(F.softmax(o, dim=1) * w / sum(weights) for o, w in zip(outputs, weights))
        return outputs, ensemble

    x, labels = inputs(13, frames)
    tensors = state_tensors(model, skip=("weights",))
    model.eval()
    with torch.no_grad():
        outputs, ensemble = run(x)
        loss = mstcn_loss(torch.log(ensemble + 1e-10), labels, 0.15).item()
    model.train()
    with torch.no_grad():
        train_outputs, _ = run(x)
    extra = {f"train.outputs.{i}": time_first(o) for i, o in enumerate(train_outputs)}
    extra.update({f"train.{name}": value for name, value in state_tensors(model).items() if "running_" in name})
    config = {
        "encoderChannels": [16, 16, 16, 8, 8, 8, 8],
        "decoderChannels": 8,
        "kernelSize": 5,
        "ensembleWeights": weights,
        "smoothingWeight": 0.15,
        "smoothingClamp": 4,
    }
    fixture(os.path.join(out, "c2f-tcn.safetensors"), "c2f-tcn", "dipika-singhania/C2F-TCN@" + commit_of(folder), config,
            tensors, x, labels, outputs, time_first(ensemble), loss, extra)


# ----------------------------------------------------------------------------------------------------------------
# ASFormer


def asformer(folder, out):
    saved_eval = sys.modules.pop("eval", None)
    stand_in_module("eval", segment_bars_with_confidence=None)  # a plotting helper model.py imports and never calls
    sys.path.insert(0, folder)
    sys.modules.pop("model", None)
    import model as asf

    sys.path.remove(folder)
    sys.modules.pop("model", None)
    if saved_eval is not None:
        sys.modules["eval"] = saved_eval

    torch.manual_seed(21)
    layers, maps, decoders, frames = 5, 8, 2, 70  # windows 1..16; 70 frames pad to whole blocks of 4, 8 and 16
    model = asf.MyTransformer(decoders, layers, 2, 2, maps, FEATURES, CLASSES, 0.3)
    model.eval()
    x, labels = inputs(22, frames)
    mask = torch.ones(1, CLASSES, frames)
    with torch.no_grad():
        outputs = list(model(x, mask))
        loss = sum(mstcn_loss(p, labels, 0.15) for p in outputs).item()
    config = {
        "layers": layers,
        "featureMaps": maps,
        "decoders": decoders,
        "queryKeyReduction": 2,
        "valueReduction": 2,
        "smoothingWeight": 0.15,
        "smoothingClamp": 4,
    }
    fixture(os.path.join(out, "asformer.safetensors"), "asformer", "ChinaYi/ASFormer@" + commit_of(folder), config,
            state_tensors(model), x, labels, outputs, time_first(F.softmax(outputs[-1], dim=1)), loss)


# ----------------------------------------------------------------------------------------------------------------
# LTContext


def parse_side(side):
    """'(b n) d 1' -> [['b', 'n'], ['d'], []]: one list of axis names per group ('1' is an empty group)."""
    groups = []
    for match in re.finditer(r"\(([^)]*)\)|(\S+)", side):
        if match.group(1) is not None:
            groups.append(match.group(1).split())
        else:
            groups.append([] if match.group(2) == "1" else [match.group(2)])
    return groups


def einops_rearrange(tensor, pattern, **sizes):
    left, right = (parse_side(side) for side in pattern.split("->"))
    sizes = dict(sizes)
    for group, length in zip(left, tensor.shape):
        unknown = [name for name in group if name not in sizes]
        known = math.prod(sizes[name] for name in group if name in sizes)
        if unknown:
            sizes[unknown[0]] = length // known
    names = [name for group in left for name in group]
    flat = tensor.reshape([sizes[name] for name in names])
    order = [name for group in right for name in group]
    flat = flat.permute([names.index(name) for name in order])
    return flat.reshape([math.prod(sizes[name] for name in group) for group in right])


def einops_repeat(tensor, pattern, **sizes):
    left, right = (parse_side(side) for side in pattern.split("->"))
    sizes = dict(sizes)
    for group, length in zip(left, tensor.shape):
        if len(group) == 1:
            sizes[group[0]] = length
    names = [name for group in left for name in group]
    flat = tensor.reshape([sizes[name] for name in names])
    order = [name for group in right for name in group]
    for position, name in enumerate(order):
        if name not in names:
            flat = flat.unsqueeze(position)
            names.insert(position, name)
    flat = flat.permute([names.index(name) for name in order])
    flat = flat.expand([sizes[name] for name in order])
    return flat.reshape([math.prod(sizes[name] for name in group) for group in right])


def ltcontext(folder, out, instance_norm):
    if "einops" not in sys.modules:
        try:
            import einops  # noqa: F401
        except ImportError:
            stand_in_module("einops", rearrange=einops_rearrange, repeat=einops_repeat)
    if "yacs" not in sys.modules:
        try:
            import yacs.config  # noqa: F401
        except ImportError:
            stand_in_module("yacs", config=stand_in_module("yacs.config", CfgNode=dict))
    sys.path.insert(0, folder)
    import ltc.utils

    ltc.utils.logging = stand_in_module("ltc.utils.logging", get_logger=logging.getLogger)
    from ltc.model.loss import CEplusMSE
    from ltc.model.ltcontext import LTC

    sys.path.remove(folder)
    ns = types.SimpleNamespace
    layers, stages, dim, window, stride, heads, frames = 3, 3, 16, 8, 8, 2, 70
    model_cfg = ns(
        INPUT_DIM=FEATURES,
        NUM_CLASSES=CLASSES,
        LTC=ns(NUM_LAYERS=layers, NUM_STAGES=stages, MODEL_DIM=dim, DIM_REDUCTION=2.0, WINDOWED_ATTN_W=window,
               LONG_TERM_ATTN_G=stride, CONV_DILATION_FACTOR=2, USE_INSTANCE_NORM=not instance_norm,
               CHANNEL_MASKING_PROB=0.3, DROPOUT_PROB=0.2),
        ATTENTION=ns(NUM_ATTN_HEADS=heads, DROPOUT=0.2),
    )
    torch.manual_seed(31 if instance_norm else 32)
    model = LTC(model_cfg)
    model.eval()
    x, labels = inputs(33 if instance_norm else 34, frames)
    criterion = CEplusMSE(ns(MODEL=ns(PAD_IGNORE_IDX=-100, MSE_LOSS_FRACTION=0.17, MSE_LOSS_CLIP_VAL=16.0, NUM_CLASSES=CLASSES)))
    with torch.no_grad():
        logits = model(x, torch.ones(1, 1, frames, dtype=torch.bool))
        loss = criterion(logits, labels)["loss"].item()
    outputs = list(logits)
    config = {
        "layers": layers,
        "stages": stages,
        "modelDim": dim,
        "dimReduction": 2,
        "windowSize": window,
        "longTermStride": stride,
        "dilationFactor": 2,
        "heads": heads,
        "instanceNorm": instance_norm,
        "smoothingWeight": 0.17,
        "smoothingClamp": 4,
    }
    name = "ltcontext-instancenorm" if instance_norm else "ltcontext"
    fixture(os.path.join(out, f"{name}.safetensors"), "ltcontext", "LTContext/LTContext@" + commit_of(folder), config,
            state_tensors(model), x, labels, outputs, time_first(F.softmax(outputs[-1], dim=1)), loss)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--c2f-tcn", help="checkout of github.com/dipika-singhania/C2F-TCN")
    parser.add_argument("--asformer", help="checkout of github.com/ChinaYi/ASFormer")
    parser.add_argument("--ltcontext", help="checkout of github.com/LTContext/LTContext")
    parser.add_argument("--out", required=True, help="folder for the fixtures (test/fixtures/heads)")
    args = parser.parse_args()
    if not (args.c2f_tcn or args.asformer or args.ltcontext):
        parser.error("give at least one of --c2f-tcn, --asformer, --ltcontext")
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    if args.c2f_tcn:
        c2f_tcn(os.path.abspath(args.c2f_tcn), args.out)
    if args.asformer:
        asformer(os.path.abspath(args.asformer), args.out)
    if args.ltcontext:
        ltcontext(os.path.abspath(args.ltcontext), args.out, instance_norm=False)
        ltcontext(os.path.abspath(args.ltcontext), args.out, instance_norm=True)


if __name__ == "__main__":
    main()
