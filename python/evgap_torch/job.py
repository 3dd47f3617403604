"""A job folder written by `evgap export job`, read and checked before anything trains.

  job.json              format 'evgap-job' and its version, the app that wrote it, the pre-training step, the
                        preset, the resolved config (encoder, sampling, step1, step2, seed), step 1's loss setting
                        ('local' or 'gathered'), the datasets with the root each had when exported, and the files below
  sampling-plan.json    what the sampler draws from (sampler.py)
  init.safetensors      the encoder's starting weights: the app's seeded initial weights (step 1) or the step-1
                        checkpoint a step-2 job starts from
  output/               what training writes: checkpoints, metrics.jsonl, run.json

Feature paths are relative to their dataset's root; `--root NAME=PATH` points a dataset at another folder.
"""

import json
import os
from dataclasses import dataclass
from typing import Dict, List

JOB_FORMAT = "evgap-job"
#: The newest job format this package reads; a job from a newer app must be run with the package it ships.
JOB_VERSION = 1
PLAN_FORMAT = "evgap-sampling-plan"
STEP1_LOSS_SETTINGS = ("local", "gathered")


class JobError(Exception):
    """The job folder cannot be trained as it is; the message names the file and what is wrong."""


@dataclass
class Job:
    folder: str
    spec: Dict
    plan: Dict
    roots: Dict[str, str]

    @property
    def step(self) -> int:
        return self.spec["step"]

    @property
    def kind(self) -> str:
        return self.spec["kind"]

    @property
    def config(self) -> Dict:
        return self.spec["config"]

    @property
    def step_config(self) -> Dict:
        return self.config["step1" if self.step == 1 else "step2"]

    @property
    def output(self) -> str:
        return os.path.join(self.folder, self.spec.get("output", "output"))

    @property
    def init_weights(self) -> str:
        return os.path.join(self.folder, self.spec["init"]["weights"])


def _read_json(path: str) -> Dict:
    try:
        with open(path, "r", encoding="utf-8") as file:
            value = json.load(file)
    except FileNotFoundError as error:
        raise JobError(f"{path}: no such file (is this a job folder written by `evgap export job`?)") from error
    except json.JSONDecodeError as error:
        raise JobError(f"{path}: not valid JSON ({error})") from error
    if not isinstance(value, dict):
        raise JobError(f"{path}: expected a JSON object")
    return value


def parse_roots(pairs: List[str]) -> Dict[str, str]:
    """`NAME=PATH` arguments as {NAME: absolute PATH}."""
    roots = {}
    for pair in pairs:
        name, separator, path = pair.partition("=")
        if not separator or not name or not path:
            raise JobError(f"--root: expected NAME=PATH, got {pair!r}")
        roots[name] = os.path.abspath(os.path.expanduser(path))
    return roots


def load_job(folder: str, root_overrides: Dict[str, str]) -> Job:
    folder = os.path.abspath(folder)
    spec_path = os.path.join(folder, "job.json")
    spec = _read_json(spec_path)
    if spec.get("format") != JOB_FORMAT:
        raise JobError(f"{spec_path}: expected format {JOB_FORMAT!r}, got {spec.get('format')!r}")
    version = spec.get("version")
    if not isinstance(version, int) or version < 1:
        raise JobError(f"{spec_path}: expected an integer version >= 1, got {version!r}")
    if version > JOB_VERSION:
        writer = spec.get("createdBy", {})
        raise JobError(f"{spec_path}: the job was written by {writer.get('app', 'an app')} {writer.get('version', '?')} "
                       f"in job format {version}; this evgap_torch reads job format {JOB_VERSION} and older. "
                       "Run the copy of evgap_torch inside the job folder (launch.sh does), or update this one.")
    for field, kind in (("step", int), ("kind", str), ("config", dict), ("datasets", list), ("init", dict),
                        ("samplingPlan", str)):
        if not isinstance(spec.get(field), kind):
            raise JobError(f"{spec_path}: expected {field} to be a {kind.__name__}")
    if spec["step"] not in (1, 2):
        raise JobError(f"{spec_path}: expected step 1 or 2, got {spec['step']}")
    if spec.get("step1Loss", "local") not in STEP1_LOSS_SETTINGS:
        raise JobError(f"{spec_path}: expected step1Loss 'local' or 'gathered', got {spec.get('step1Loss')!r}")
    plan_path = os.path.join(folder, spec["samplingPlan"])
    plan = _read_json(plan_path)
    if plan.get("format") != PLAN_FORMAT or plan.get("step") != spec["step"]:
        raise JobError(f"{plan_path}: expected a {PLAN_FORMAT} of step {spec['step']}")
    known = {d["name"]: d["root"] for d in spec["datasets"]}
    unknown = sorted(set(root_overrides) - set(known))
    if unknown:
        raise JobError(f"--root names {', '.join(unknown)}, the job's datasets are {', '.join(sorted(known))}")
    roots = {name: root_overrides.get(name, root) for name, root in known.items()}
    init = os.path.join(folder, spec["init"].get("weights", ""))
    if not os.path.isfile(init):
        raise JobError(f"{init}: the job's initial weights are missing")
    return Job(folder, spec, plan, roots)
