"""Checkpoints and the metrics log of a job, in the app's own layout (main/engine/training/checkpoint.ts), so that
`evgap import run` takes them as they are:

  ckpt-<step>.safetensors            encoder weights + logit_scale (+ logit_bias) under the app's names, float32,
                                     with the encoder config and a record of the job in the metadata
  ckpt-<step>.optimizer.safetensors  Adam moments, `<param>.exp_avg` and `<param>.exp_avg_sq`
  ckpt-<step>.json                   the sidecar: step, per-parameter optimizer step counts, learning rate, s, b,
                                     the sampler's position of the next batch and the seed
  metrics.jsonl                      one JSON object per step with the app's metric names

Every file is written atomically (a temporary file in the same folder, flushed, renamed over the target), the
sidecar last: a checkpoint whose sidecar exists is complete, so a kill at any moment loses nothing saved.
"""

import json
import math
import os
import re
import secrets
from typing import Dict, List, Optional

from . import safetensors

CHECKPOINT_FORMAT = "evgap-checkpoint"
CHECKPOINT_VERSION = 1
ENCODER_CONFIG_KEY = "evgap.encoder_config"
CHECKPOINT_RECORD_KEY = "evgap.checkpoint"
TEMPORARY_SUFFIX = ".partial"
METRICS_FILE = "metrics.jsonl"
_SIDECAR = re.compile(r"^ckpt-(\d+)\.json$")


def write_atomic(path: str, data: bytes) -> None:
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f".{name}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}")
    try:
        with open(temporary, "xb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def remove_interrupted_writes(folder: str) -> List[str]:
    """Removes the temporary files that writes interrupted by a kill left behind; returns their names."""
    names = [n for n in os.listdir(folder) if n.startswith(".") and n.endswith(TEMPORARY_SUFFIX)]
    for name in names:
        os.remove(os.path.join(folder, name))
    return names


def save(folder: str, step: int, weights: Dict, moments: Dict, optimizer_steps: Dict[str, int], sidecar: Dict,
         metadata: Dict[str, str]) -> str:
    """Writes checkpoint `step` (optimizer, weights, then the sidecar); returns the weights file's path."""
    stem = f"ckpt-{step}"
    record = dict(sidecar, format=CHECKPOINT_FORMAT, version=CHECKPOINT_VERSION, step=step,
                  weights=f"{stem}.safetensors", optimizer=f"{stem}.optimizer.safetensors",
                  optimizerSteps=optimizer_steps)
    write_atomic(os.path.join(folder, record["optimizer"]), safetensors.encode(moments, {"format": "pt"}))
    write_atomic(os.path.join(folder, record["weights"]), safetensors.encode(weights, dict(metadata, format="pt")))
    write_atomic(os.path.join(folder, f"{stem}.json"), (json.dumps(record, indent=2) + "\n").encode("utf-8"))
    return os.path.join(folder, record["weights"])


def complete_steps(folder: str) -> List[int]:
    """Steps of the complete checkpoints in `folder` (those whose sidecar exists), ascending."""
    if not os.path.isdir(folder):
        return []
    return sorted(int(m.group(1)) for m in map(_SIDECAR.match, os.listdir(folder)) if m)


def load(folder: str, step: int) -> Dict:
    """A checkpoint's sidecar, weights and moments, checked to belong together."""
    sidecar_path = os.path.join(folder, f"ckpt-{step}.json")
    with open(sidecar_path, "r", encoding="utf-8") as file:
        sidecar = json.load(file)
    if sidecar.get("format") != CHECKPOINT_FORMAT or sidecar.get("version") != CHECKPOINT_VERSION:
        raise ValueError(f"{sidecar_path}: expected format {CHECKPOINT_FORMAT} version {CHECKPOINT_VERSION}")
    if sidecar.get("step") != step:
        raise ValueError(f"{sidecar_path}: expected step {step}, got {sidecar.get('step')}")
    weights, _ = safetensors.read_file(os.path.join(folder, sidecar["weights"]))
    moments, _ = safetensors.read_file(os.path.join(folder, sidecar["optimizer"]))
    return {"sidecar": sidecar, "weights": weights, "moments": moments}


class MetricsLog:
    """metrics.jsonl: one line per step, flushed as written; a resumed job first drops the steps after its checkpoint
    (and a line a kill cut short), so the file reads as if the run had never stopped."""

    def __init__(self, folder: str, resume_step: Optional[int]):
        self.path = os.path.join(folder, METRICS_FILE)
        if resume_step is not None and os.path.exists(self.path):
            kept = []
            with open(self.path, "rb") as file:
                for line in file:
                    if not line.endswith(b"\n"):
                        break
                    try:
                        entry = json.loads(line)
                    except json.JSONDecodeError:
                        break
                    if entry.get("step", -1) <= resume_step:
                        kept.append(line)
            write_atomic(self.path, b"".join(kept))
        elif resume_step is None and os.path.exists(self.path):
            os.remove(self.path)
        self._file = open(self.path, "ab")

    def add(self, step: int, values: Dict[str, float]) -> None:
        """One step's metrics; a non-finite value (a diverged loss) is written as null, which JSON can hold."""
        entry = {name: value if math.isfinite(value) else None for name, value in values.items()}
        self._file.write((json.dumps(dict(step=step, **entry)) + "\n").encode("utf-8"))
        self._file.flush()

    def sync(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()
