"""Parity fixtures of the TempAgg anticipation head against its authors' PyTorch code.

TempAgg (Sener, Singhania & Yao, ECCV 2020) has two public versions: the EPIC-Kitchens original
(github.com/dibschat/tempAgg: network.py, non_local_embedded_gaussian.py, dataset_anticipation.py) and its
Assembly101 adaptation (github.com/assembly-101/assembly101-action-anticipation, folder tempAgg-action-anticipation:
the same network with verb/object classifiers, and non-local blocks that attend over the latent channels instead of
the feature axis). From local checkouts of either or both, this imports the authors' Network, builds it with a small
seeded configuration, runs it in evaluation mode on seeded snippets, computes their training loss (the sum of the
per-window action, verb and object cross-entropies) and its gradient, and writes one safetensors file per variant:

  tempagg-assembly101.safetensors         Assembly101 code, --past_attention (their published training)
  tempagg-assembly101-no-past.safetensors Assembly101 code without past attention
  tempagg-epic.safetensors                EPIC-Kitchens code, past attention (their default)

each holding the model's weights under their state_dict names (EPIC's cls_noun renamed cls_object, as Assembly101's
load_checkpoint does), the inputs (spanning [B, 5+3+2, F] and recent [B, 4*2, F], the authors' lists concatenated
along the snippet axis), the labels, every classifier's logits (outputs.<target>.<window>), the loss, the loss's
gradient for every weight (grad.<name>; for tempagg-assembly101 only, to keep the files small), and in its metadata
our head's configuration of the same network. It also writes tempagg-snippets.json: the frames the authors' dataset
code (SequenceDataset.__get_snippet_features) pools for a grid of segment starts and frame rates, under their default and another sampling configuration.
test/main/eval/anticipation/parity.test.ts compares our head and sampling with these.

Run with Debian's python3-torch (torch 1.13):

    /usr/bin/python3 python/parity/tempagg_parity.py --assembly101 DIR --tempagg DIR --out test/fixtures/anticipation

Stand-ins, without editing their files: NONLocalBlock1D moves its scale factor to 'cuda' in __init__; on a CPU-only
torch, Tensor.to('cuda') returns the tensor unchanged while the models are built. Their dataset modules import pandas
and tqdm, which Debian's python3 may lack; stand-ins are used where they are missing (the sampling method needs
neither). Their NONLocalBlock1D multiplies by a scale tensor that is not a parameter (not in the state_dict), L^-1/2.
Weights are re-drawn after construction (θ, φ, g with N(0, 0.5) instead of N(0, 0.01), LayerNorm affine near 1 and
0) so that the attention is far from uniform and every term matters. The snippet tensors are standard normal.
"""

import argparse
import json
import os
import sys
import types

import numpy as np
import torch

from heads_parity import commit_of, stand_in_module, write_safetensors

FEATURES = 5  # video_feat_dim
LATENT = 4
LINEAR = 6
CLASSES = {"action": 7, "verb": 4, "object": 5}
BATCH = 3
SPAN_DIMS = (5, 3, 2)
RECENT_DIM = 2
WINDOWS = 4


def import_authors(folder, modules):
    """Imports `modules` from `folder` (fresh: both versions use the same module names)."""
    for name in ("network", "non_local_embedded_gaussian", "dataset", "dataset_anticipation"):
        sys.modules.pop(name, None)
    if "pandas" not in sys.modules:
        try:
            import pandas  # noqa: F401
        except ImportError:
            stand_in_module("pandas", read_csv=None, options=types.SimpleNamespace(display=types.SimpleNamespace()))
    if "tqdm" not in sys.modules:
        try:
            import tqdm  # noqa: F401
        except ImportError:
            stand_in_module("tqdm", tqdm=lambda iterable, *args, **kwargs: iterable)
    sys.path.insert(0, folder)
    try:
        return [__import__(name) for name in modules]
    finally:
        sys.path.remove(folder)


def network_args(version, past_attention):
    args = types.SimpleNamespace(
        dropout_rate=0.3,
        video_feat_dim=FEATURES,
        latent_dim=LATENT,
        linear_dim=LINEAR,
        past_attention=past_attention,
        scale=True,
        scale_factor=-0.5,
        recent_dim=RECENT_DIM,
        span_dim1=SPAN_DIMS[0],
        span_dim2=SPAN_DIMS[1],
        span_dim3=SPAN_DIMS[2],
        verb_class=CLASSES["verb"],
        add_verb_loss=True,
    )
    if version == "assembly101":
        args.action_class = CLASSES["action"]
        args.object_class = CLASSES["object"]
        args.add_object_loss = True
    else:
        args.num_class = CLASSES["action"]
        args.noun_class = CLASSES["object"]
        args.add_noun_loss = True
    return args


def build(network_module, args, seed):
    """The authors' Network, with Tensor.to('cuda') a no-op while it is built; weights re-drawn (see the header)."""
    original_to = torch.Tensor.to

    def to(self, *args_, **kwargs):
        if args_ and args_[0] == "cuda":
            return self
        return original_to(self, *args_, **kwargs)

    torch.manual_seed(seed)
    torch.Tensor.to = to
    try:
        model = network_module.Network(args)
    finally:
        torch.Tensor.to = original_to
    generator = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for name, value in model.named_parameters():
            if any(f".{part}." in name for part in ("theta", "phi", "g")):
                value.copy_((0.5 if name.endswith("weight") else 0.1) * torch.randn(value.shape, generator=generator))
            elif ".final_layers.0." in name:
                value.copy_((1.0 if name.endswith("weight") else 0.0) + 0.2 * torch.randn(value.shape, generator=generator))
    return model


def run(model, version, seed, gradients):
    generator = torch.Generator().manual_seed(seed + 2)
    spanning = [torch.randn(BATCH, k, FEATURES, generator=generator) for k in SPAN_DIMS]
    recent = [torch.randn(BATCH, RECENT_DIM, FEATURES, generator=generator) for _ in range(WINDOWS)]
    labels = {name: torch.randint(0, count, (BATCH,), generator=generator) for name, count in CLASSES.items()}
    model.eval()
    outputs = model(spanning, recent)
    logits = {"action": outputs[0:4], "verb": outputs[4:8], "object": outputs[8:12]}
    # their train_validation: nn.CrossEntropyLoss per window; verb and object sums weighted by 1 (their defaults)
    ce = torch.nn.CrossEntropyLoss()
    loss = sum(ce(out, labels["action"]) for out in logits["action"])
    loss = loss + 1.0 * sum(ce(out, labels["verb"]) for out in logits["verb"])
    loss = loss + 1.0 * sum(ce(out, labels["object"]) for out in logits["object"])
    model.zero_grad()
    loss.backward()
    rename = (lambda name: name.replace("cls_noun", "cls_object")) if version == "epic" else (lambda name: name)
    tensors = {rename(name): value.detach().numpy().copy() for name, value in model.state_dict().items()}
    if gradients:
        tensors.update({"grad." + rename(name): value.grad.numpy().copy() for name, value in model.named_parameters()})
    tensors["spanning"] = torch.cat(spanning, 1).numpy()
    tensors["recent"] = torch.cat(recent, 1).numpy()
    for name, value in labels.items():
        tensors[f"labels.{name}"] = value.numpy().astype(np.float32)
    for name, outs in logits.items():
        for i, out in enumerate(outs):
            tensors[f"outputs.{name}.{i}"] = out.detach().numpy()
    tensors["loss"] = np.array([loss.item()], dtype=np.float32)
    return tensors


def network_fixture(path, folder, source, version, past_attention, seed, gradients):
    (network,) = import_authors(folder, ["network"])
    model = build(network, network_args(version, past_attention), seed)
    tensors = run(model, version, seed, gradients)
    config = {
        "spanningGranularities": list(SPAN_DIMS),
        "recentSeconds": [1.6, 1.2, 0.8, 0.4],
        "recentSnippets": RECENT_DIM,
        "inputProjection": 0,
        "latentDim": LATENT,
        "linearDim": LINEAR,
        "dropout": 0.3,
        "pastAttention": past_attention,
        "nonLocalAttention": "latent" if version == "assembly101" else "feature",
        "verbLossWeight": 1,
        "objectLossWeight": 1,
    }
    metadata = {"head": "tempagg", "config": json.dumps(config), "source": source, "torch": torch.__version__}
    write_safetensors(path, tensors, metadata)
    weights = sum(1 for name in tensors if not name.startswith(("grad.", "outputs.", "labels.")) and name not in ("spanning", "recent", "loss"))
    print(f"{path}: {weights} weight tensors, {os.path.getsize(path) / 1024:.0f} KiB")


SAMPLINGS = {
    "default": dict(spanning_sec=6, span_dims=(5, 3, 2), recent_secs=(1.6, 1.2, 0.8, 0.4), recent_dim=2),
    "other": dict(spanning_sec=4.5, span_dims=(7, 4, 1), recent_secs=(2.0, 1.0, 0.5, 0.3), recent_dim=3),
}


def snippet_frames(dataset_module, version, sampling, fps, start):
    """The authors' SequenceDataset.__get_snippet_features for one segment start, as [first, last] frame ranges."""
    cls = dataset_module.SequenceDataset
    dataset = cls.__new__(cls)
    dataset.time_step = 1
    dataset.fps = fps
    dataset.img_tmpl = "{:010d}.jpg" if version == "assembly101" else "frame_{:010d}.jpg"
    dataset.spanning_sec = sampling["spanning_sec"]
    dataset.span_dim1, dataset.span_dim2, dataset.span_dim3 = sampling["span_dims"]
    dataset.recent_sec1, dataset.recent_sec2, dataset.recent_sec3, dataset.recent_sec4 = sampling["recent_secs"]
    dataset.recent_dim = sampling["recent_dim"]
    recent, spanning = dataset._SequenceDataset__get_snippet_features(start, "video")
    if spanning is None:
        return None
    offset = 1 if version == "assembly101" else 0  # Assembly101's frame keys count from 1

    def ranges(groups):
        out = []
        for group in groups:
            for names in group:
                frames = [int(str(name).rsplit("_", 1)[1].split(".")[0]) - offset for name in names]
                assert frames == list(range(frames[0], frames[-1] + 1))
                out.append([frames[0], frames[-1]])
        return out

    return {"spanning": ranges(spanning), "recent": ranges(recent)}


def sampling_fixture(path, folders):
    modules = {version: import_authors(folder, [name])[0] for version, (folder, name) in folders.items()}
    cases = []
    for sampling_name, sampling in SAMPLINGS.items():
        for fps in (30, 15, 25, 29.97):
            # around the 2 s rule (τ_a = start / fps − 1), then starts whose windows are cut at frame 0 or not
            starts = sorted({int(round(fps * 3)) - 1, int(round(fps * 3)), int(round(fps * 3)) + 1, 107, 133, 251, 1513})
            for start in starts:
                results = {version: snippet_frames(module, version, sampling, fps, start) for version, module in modules.items()}
                first = next(iter(results.values()))
                assert all(result == first for result in results.values()), f"the versions disagree at fps {fps}, start {start}"
                cases.append({"sampling": sampling_name, "fps": fps, "start": start, "frames": first})
    sources = {version: commit_of(folder) for version, (folder, _) in folders.items()}
    samplings = {
        name: {
            "spanningSeconds": s["spanning_sec"],
            "spanningGranularities": list(s["span_dims"]),
            "recentSeconds": list(s["recent_secs"]),
            "recentSnippets": s["recent_dim"],
        }
        for name, s in SAMPLINGS.items()
    }
    header = {"sources": sources, "anticipationSeconds": 1, "minObservedSeconds": 2, "samplings": samplings}
    with open(path, "w") as f:
        f.write(json.dumps(header)[:-1] + ', "cases": [\n')
        f.write(",\n".join(json.dumps(case, separators=(",", ":")) for case in cases))
        f.write("\n]}\n")
    print(f"{path}: {len(cases)} cases ({sum(c['frames'] is None for c in cases)} left out by the authors' rule)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assembly101", help="checkout of github.com/assembly-101/assembly101-action-anticipation")
    parser.add_argument("--tempagg", help="checkout of github.com/dibschat/tempAgg")
    parser.add_argument("--out", required=True, help="folder for the fixtures (test/fixtures/anticipation)")
    args = parser.parse_args()
    if not (args.assembly101 or args.tempagg):
        parser.error("give at least one of --assembly101, --tempagg")
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    folders = {}
    if args.assembly101:
        folder = os.path.join(os.path.abspath(args.assembly101), "tempAgg-action-anticipation")
        source = "assembly-101/assembly101-action-anticipation@" + commit_of(args.assembly101)
        network_fixture(os.path.join(args.out, "tempagg-assembly101.safetensors"), folder, source, "assembly101", True, 41, True)
        network_fixture(os.path.join(args.out, "tempagg-assembly101-no-past.safetensors"), folder, source, "assembly101", False, 42, False)
        folders["assembly101"] = (folder, "dataset")
    if args.tempagg:
        folder = os.path.abspath(args.tempagg)
        source = "dibschat/tempAgg@" + commit_of(folder)
        network_fixture(os.path.join(args.out, "tempagg-epic.safetensors"), folder, source, "epic", True, 43, False)
        folders["epic"] = (folder, "dataset_anticipation")
    sampling_fixture(os.path.join(args.out, "tempagg-snippets.json"), folders)


if __name__ == "__main__":
    main()
