"""Times PyTorch step-1 optimizer steps of the EVGAP encoder on random inputs, in fp32 and with bf16 autocast, and
prints one JSON object: the step time of this job's own model (evgap_torch.model). `npm run bench:train`, which
compares the app with PyTorch in one run, times bench/torch_reference.py instead (the same encoder written with
plain torch.nn, both steps and both precisions):

  python -m evgap_torch.bench_step [--preset paper|demo] [--batch B] [--threads N] [--steps S] [--warmup W]

A step is what training does: encode B ego and B exo clips of w1 frames in one forward pass, InfoNCE on every
layer with the auxiliary weights, backward, Adam. The matrix products go to the BLAS torch is linked with (on
Debian, libblas.so.3: OpenBLAS when libopenblas0-pthread provides it; point LD_LIBRARY_PATH at
/usr/lib/x86_64-linux-gnu/openblas-pthread to be sure); the JSON names the library that was loaded.
"""

import argparse
import json
import os
import statistics
import sys
import time

# The encoder sizes and step-1 optimizer of the app's presets (main/engine/config.ts; test/python/benchStep.test.ts
# checks that they are the same).
PRESETS = {
    "paper": {"encoder": {"inputDim": 2048, "modelDim": 512, "layers": 6, "heads": 8, "ffDim": 2048, "tokens": 20,
                          "layerNormEps": 1e-5, "posEmbed": "learned"},
              "batchPairs": 200},
    "demo": {"encoder": {"inputDim": 2048, "modelDim": 64, "layers": 2, "heads": 4, "ffDim": 128, "tokens": 20,
                         "layerNormEps": 1e-5, "posEmbed": "learned"},
             "batchPairs": 64},
}
STEP1_OPTIMIZER = {"optimizer": "adam", "lr": 5e-4, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weightDecay": 0,
                   "auxWeight": 0.2, "logitScaleInit": 1}


def loaded_blas():
    """The BLAS libraries mapped into this process (Linux), e.g. OpenBLAS's libblas.so.3."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
        return sorted(paths)
    except OSError:
        return []


def time_steps(torch, preset, batch, steps, warmup, precision):
    from .losses import pair_loss, with_auxiliary
    from .model import Trainable
    from .optim import make_optimizer

    encoder = PRESETS[preset]["encoder"]
    torch.manual_seed(0)
    model = Trainable(encoder, STEP1_OPTIMIZER["logitScaleInit"], None)
    optimizer = make_optimizer(model.named_weights(), STEP1_OPTIMIZER)
    features = torch.randn(2 * batch, encoder["tokens"], encoder["inputDim"])  # [2B, T, F]: ego rows, then exo rows
    seconds = []
    for step in range(warmup + steps):
        started = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
            layers, log_scale, _ = model(features)
            per_layer = [pair_loss(e[:batch].float(), e[batch:].float(), log_scale) for e in layers]
            total, _ = with_auxiliary(per_layer, STEP1_OPTIMIZER["auxWeight"])
        optimizer.zero_grad(set_to_none=True)
        total.backward()
        optimizer.step()
        if step >= warmup:
            seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    return {"secondsPerStep": seconds, "median": median, "clipsPerSecond": 2 * batch / median}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="evgap_torch.bench_step", description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="paper")
    parser.add_argument("--batch", type=int, help="pairs per step (default: the preset's, paper 200)")
    parser.add_argument("--threads", type=int, default=2, help="torch and OpenBLAS threads (default 2)")
    parser.add_argument("--steps", type=int, default=5, help="timed steps per precision (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed steps first (default 1)")
    parser.add_argument("--precision", default="fp32,bf16", help="comma-separated: fp32, bf16 (default both)")
    parser.add_argument("--describe", action="store_true", help="print the presets as JSON and exit")
    arguments = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if arguments.describe:
        print(json.dumps({"presets": PRESETS, "step1": STEP1_OPTIMIZER}))
        return 0
    precisions = [p for p in arguments.precision.split(",") if p]
    if not precisions or any(p not in ("fp32", "bf16") for p in precisions):
        parser.error(f"--precision: expected fp32 and/or bf16, got {arguments.precision!r}")
    # Thread counts must be set before torch loads its BLAS and OpenMP runtimes.
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[variable] = str(arguments.threads)
    import torch

    torch.set_num_threads(arguments.threads)
    batch = arguments.batch or PRESETS[arguments.preset]["batchPairs"]
    result = {"engine": "pytorch", "torch": torch.__version__, "preset": arguments.preset, "batchPairs": batch,
              "threads": torch.get_num_threads(), "steps": arguments.steps, "warmup": arguments.warmup}
    for precision in precisions:
        try:
            result[precision] = time_steps(torch, arguments.preset, batch, arguments.steps, arguments.warmup, precision)
        except RuntimeError as error:
            result[precision] = {"error": str(error)}
    result["blas"] = loaded_blas()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
