"""The pre-training loop of a job under DistributedDataParallel, one optimizer update per global batch, as
main/engine/training/runTraining.ts and trainingStep.ts train in the app.

  Step 1 (pairs):  L_total = L_pair(H) + sum_{l<L} w L_pair(h_l)      (eq. 1 with the auxiliary terms, eqs. 3-4)
  Step 2 (groups): L_total = L_EVGAP(H) + sum_{l<L} w L_EVGAP(h_l)    (eq. 2, without or with the SigLIP bias)

Each rank reads its contiguous share of every global batch (the batch the app's single-process sampler draws at
that step; the next one is read in a thread while this one trains) and encodes its ego and exo clips in one
forward pass. Step 2's loss is each rank's own (no gathering, as the publication says); step 1's is the rank's own
('local', the default) or over the gathered global batch ('gathered'). DDP averages the gradients over ranks.
Rank 0 writes a checkpoint at step 0, every checkpointEvery steps and at the end, and one metrics line per step; a
relaunch resumes from the latest complete checkpoint and draws the batches the uninterrupted run would have drawn
(the sampler's position is a function of the step).
"""

import datetime
import json
import math
import os
import platform
import socket
import time
from dataclasses import dataclass
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, Optional

import numpy as np
import torch

from . import checkpoint
from .distributed import ProcessGroup, barrier, broadcast_int, gather_with_grad, mean_over_ranks
from .features import check_tracks, open_tracks
from .job import Job
from .losses import group_loss, pair_loss, with_auxiliary
from .model import LOGIT_BIAS, LOGIT_SCALE, Trainable
from .optim import export_state, import_state, make_optimizer
from .safetensors import read_file
from .sampler import ClipSampler

RUN_FILE = "run.json"
RUN_FORMAT = "evgap-job-run"


@dataclass(frozen=True)
class TrainOptions:
    precision: str = "fp32"
    """'fp32', or 'bf16' (autocast of the forward pass and losses)."""


def initial_logit_scale(step_config: Dict) -> float:
    """s at the start (initialLogitScale in config.ts): logitScaleInit is s itself, or t = exp(s)."""
    value = step_config["logitScaleInit"]
    return value if step_config["logitScaleInitMeans"] == "s" else math.log(value)


def prepare(job: Job, world: int) -> ClipSampler:
    """Everything checked before a process group exists: tracks at their roots, the batch split, the init weights."""
    readers = open_tracks(job.plan["tracks"], job.roots)
    check_tracks(readers)
    sampler = ClipSampler(job.plan, readers)
    if sampler.batch_size % world != 0:
        what = "pairs" if job.step == 1 else "groups"
        raise ValueError(f"the global batch of {sampler.batch_size} {what} cannot be split evenly over {world} "
                         f"processes: launch a number of processes that divides it")
    return sampler


class Trainer:
    def __init__(self, job: Job, group: ProcessGroup, sampler: ClipSampler, options: TrainOptions):
        self.job, self.group, self.sampler, self.options = job, group, sampler, options
        config, step_config = job.config, job.step_config
        bias = config["step2"]["biasInit"] if job.step == 2 and config["step2"]["bias"] == "learnable" else None
        self.model = Trainable(config["encoder"], initial_logit_scale(step_config), bias)
        init, _ = read_file(job.init_weights)
        self.model.load_encoder(init, job.init_weights)
        self.model.to(group.device)
        self.named = self.model.named_weights()
        self.optimizer = make_optimizer(self.named, step_config)
        self.total_steps = step_config["steps"]
        self.updates = 0
        self.ddp = self.model
        if group.world > 1:
            device_ids = [group.local_rank] if group.device.type == "cuda" else None
            self.ddp = torch.nn.parallel.DistributedDataParallel(self.model, device_ids=device_ids)

    # Resume

    def resume_latest(self) -> Optional[int]:
        """Continues from the latest complete checkpoint, if any (rank 0 chooses it); returns its step."""
        output = self.job.output
        chosen = -1
        if self.group.is_main:
            os.makedirs(output, exist_ok=True)
            checkpoint.remove_interrupted_writes(output)
            steps = checkpoint.complete_steps(output)
            chosen = steps[-1] if steps else -1
        chosen = broadcast_int(chosen, self.group)
        if chosen < 0:
            return None
        saved = checkpoint.load(output, chosen)
        weights = saved["weights"]
        self.model.load_encoder(weights, saved["sidecar"]["weights"])
        with torch.no_grad():
            for name in (LOGIT_SCALE, LOGIT_BIAS):
                if name in self.named:
                    self.named[name].copy_(weights[name].reshape(()))
        import_state(self.optimizer, self.named, saved["moments"], saved["sidecar"]["optimizerSteps"],
                     saved["sidecar"]["optimizer"])
        self.updates = chosen
        return chosen

    # One update

    def train_step(self, ego: np.ndarray, exo: np.ndarray, seconds: "Callable[[], float]") -> Dict[str, float]:
        """One update from this rank's share of the batch; `seconds` says how long the step took, once it is done
        (clips/s counts every rank's clips)."""
        share, m, tokens, dim = ego.shape
        n = exo.shape[1]
        features = torch.from_numpy(np.concatenate([ego.reshape(share * m, tokens, dim),
                                                    exo.reshape(share * n, tokens, dim)])).to(self.group.device)
        step_config = self.job.step_config
        with torch.autocast(self.group.device.type, dtype=torch.bfloat16, enabled=self.options.precision == "bf16"):
            layers, log_scale, bias = self.ddp(features)  # L x [share*(M+N), D]
            per_layer = [self._layer_loss(e[:share * m], e[share * m:], share, m, n, log_scale, bias) for e in layers]
            total, terms = with_auxiliary(per_layer, step_config["auxWeight"])
        logit_scale = float(log_scale.detach().exp())
        bias_value = None if bias is None else float(bias.detach())
        self.optimizer.zero_grad(set_to_none=True)
        total.backward()
        grad_norm = math.sqrt(sum(float(p.grad.detach().double().pow(2).sum()) for p in self.named.values()
                                  if p.grad is not None))
        self.optimizer.step()
        self.updates += 1
        with torch.no_grad():
            param_norm = math.sqrt(sum(float(p.detach().double().pow(2).sum()) for p in self.model.encoder.parameters()))
        logged = mean_over_ranks(torch.stack([t.detach().float() for t in terms]), self.group).tolist()
        clips = share * (m + n) * self.group.world
        values = {"loss": float(sum(logged)), "loss_final": logged[-1]}
        for layer, term in enumerate(logged[:-1], start=1):
            values[f"loss_aux_{layer}"] = term
        values["logit_scale"] = logit_scale
        if bias_value is not None:
            values["bias"] = bias_value
        values.update(grad_norm=grad_norm, param_norm=param_norm, lr=self.optimizer.param_groups[0]["lr"],
                      clips_per_s=clips / max(seconds(), 1e-9))
        return values

    def _layer_loss(self, ego, exo, share, m, n, log_scale, bias):
        if self.job.step == 1:
            if self.job.spec.get("step1Loss", "local") == "gathered":
                ego, exo = gather_with_grad(ego, self.group), gather_with_grad(exo, self.group)
            return pair_loss(ego.float(), exo.float(), log_scale)
        return group_loss(ego.reshape(share, m, -1).float(), exo.reshape(share, n, -1).float(), log_scale, bias)

    # Checkpoints

    def save_checkpoint(self) -> str:
        moments, optimizer_steps = export_state(self.optimizer, self.named)
        position = self.sampler.schedule.position_of_step(self.updates)
        config = self.job.config
        scalars = {name: float(self.named[name].detach()) for name in (LOGIT_SCALE, LOGIT_BIAS) if name in self.named}
        sidecar = {
            "runId": 0,
            "kind": self.job.kind,
            "learningRate": self.optimizer.param_groups[0]["lr"],
            "logitScale": scalars[LOGIT_SCALE],
            "logitBias": scalars.get(LOGIT_BIAS),
            "sampler": {"epoch": position.epoch, "batchIndex": position.batch_index},
            "seed": config["seed"],
            "initializedFrom": self.job.spec["init"].get("from"),
        }
        record = {"engine": "pytorch", "kind": self.job.kind, "preset": self.job.spec.get("preset"),
                  "step": self.updates, "heads": config["encoder"]["heads"], "worldSize": self.group.world}
        metadata = {checkpoint.ENCODER_CONFIG_KEY: json.dumps(config["encoder"]),
                    checkpoint.CHECKPOINT_RECORD_KEY: json.dumps(record)}
        return checkpoint.save(self.job.output, self.updates, self.named, moments, optimizer_steps, sidecar, metadata)


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class RunRecord:
    """output/run.json: the job's status and, for each launch, where and how it ran (the import's marker)."""

    def __init__(self, job: Job, group: ProcessGroup, options: TrainOptions, from_step: int, total: int):
        self.path = os.path.join(job.output, RUN_FILE)
        record = {"format": RUN_FORMAT, "version": 1, "launches": []}
        if os.path.exists(self.path):
            with open(self.path, "r", encoding="utf-8") as file:
                record = json.load(file)
        if group.device.type == "cuda":
            device_name = torch.cuda.get_device_name(group.device)
        else:
            device_name = platform.processor() or platform.machine()
        record["launches"].append({
            "startedAt": _now(), "fromStep": from_step, "host": socket.gethostname(), "worldSize": group.world,
            "backend": group.backend, "device": group.device.type, "deviceName": device_name,
            "precision": options.precision, "step1Loss": job.spec.get("step1Loss", "local"),
            "torch": torch.__version__, "python": platform.python_version(), "threads": torch.get_num_threads(),
        })
        record.update(engine="pytorch", status="running", step=from_step, totalSteps=total, error=None)
        self.record = record
        self.write()

    def update(self, **fields) -> None:
        self.record.update(fields)
        if fields.get("status") in ("completed", "failed"):
            self.record["launches"][-1]["finishedAt"] = _now()
        self.write()

    def write(self) -> None:
        checkpoint.write_atomic(self.path, (json.dumps(self.record, indent=2) + "\n").encode("utf-8"))


def train(job: Job, group: ProcessGroup, sampler: ClipSampler, options: TrainOptions, say=print) -> int:
    """Runs (or resumes) the job to its last step; returns the number of steps done."""
    trainer = Trainer(job, group, sampler, options)
    resumed = trainer.resume_latest()
    total = trainer.total_steps
    every = job.step_config["checkpointEvery"]
    main = group.is_main
    record = RunRecord(job, group, options, trainer.updates, total) if main else None
    metrics = checkpoint.MetricsLog(job.output, resumed) if main else None
    if main:
        where = f"resuming at step {resumed}" if resumed is not None else "from the start"
        say(f"{job.kind}: {total} steps, {group.world} process(es) on {group.device.type} ({group.backend}), {where}")

    def read(step: int):
        return sampler.rows(sampler.schedule.position_of_step(step), group.rank, group.world)

    # One batch is read ahead in a thread while the current one trains (a batch depends only on its step).
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="evgap-batches")
    try:
        if resumed is None and main:
            trainer.save_checkpoint()
        barrier(group)
        pending = reader.submit(read, trainer.updates) if trainer.updates < total else None
        while pending is not None:
            started = time.perf_counter()  # the step's time: waiting for its batch, then training on it
            ego, exo = pending.result()
            pending = reader.submit(read, trainer.updates + 1) if trainer.updates + 1 < total else None
            values = trainer.train_step(ego, exo, lambda: time.perf_counter() - started)
            if main:
                metrics.add(trainer.updates, values)
                say(f"step {trainer.updates}/{total} loss {values['loss']:.4f} {values['clips_per_s']:.0f} clips/s")
                if trainer.updates % every == 0 or trainer.updates == total:
                    metrics.sync()
                    trainer.save_checkpoint()
                    record.update(step=trainer.updates)
        barrier(group)
        if main:
            record.update(status="completed", step=trainer.updates)
        return trainer.updates
    except BaseException as error:
        if main:
            record.update(status="failed", error=f"{type(error).__name__}: {error}")
        raise
    finally:
        reader.shutdown(cancel_futures=True)
        if metrics is not None:
            metrics.close()
