"""Checkpoint files: atomic writes leave nothing half-written, only checkpoints with a sidecar count, and the
metrics log of a resumed job keeps exactly the steps up to its checkpoint (a line a kill cut short is dropped)."""

import json
import os

import pytest

from evgap_torch import checkpoint


def test_write_atomic_replaces_whole_files_and_cleans_up_after_a_failure(tmp_path, monkeypatch):
    path = str(tmp_path / "file.bin")
    checkpoint.write_atomic(path, b"first")
    checkpoint.write_atomic(path, b"second")
    assert open(path, "rb").read() == b"second"

    def fail(*_):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        checkpoint.write_atomic(path, b"third")
    assert open(path, "rb").read() == b"second"
    assert sorted(os.listdir(tmp_path)) == ["file.bin"]


def test_only_checkpoints_with_a_sidecar_are_complete(tmp_path):
    for name in ("ckpt-0.json", "ckpt-0.safetensors", "ckpt-10.json", "ckpt-20.safetensors", ".ckpt-20.json.1a2b.partial"):
        (tmp_path / name).write_text("x")
    assert checkpoint.complete_steps(str(tmp_path)) == [0, 10]
    assert checkpoint.remove_interrupted_writes(str(tmp_path)) == [".ckpt-20.json.1a2b.partial"]


def test_a_resumed_metrics_log_keeps_the_steps_up_to_its_checkpoint(tmp_path):
    lines = [json.dumps({"step": s, "loss": 1.0 / s}) + "\n" for s in range(1, 8)]
    (tmp_path / checkpoint.METRICS_FILE).write_text("".join(lines) + '{"step": 8, "lo')
    log = checkpoint.MetricsLog(str(tmp_path), resume_step=5)
    log.add(6, {"loss": 0.5, "bias": float("nan")})
    log.close()
    written = [json.loads(line) for line in (tmp_path / checkpoint.METRICS_FILE).read_text().splitlines()]
    assert [entry["step"] for entry in written] == [1, 2, 3, 4, 5, 6]
    assert written[-1] == {"step": 6, "loss": 0.5, "bias": None}
    fresh = checkpoint.MetricsLog(str(tmp_path), resume_step=None)
    fresh.close()
    assert (tmp_path / checkpoint.METRICS_FILE).read_text() == ""
