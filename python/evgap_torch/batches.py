"""Writes the clips of the batches some optimizer steps of a job draw, as JSON (and, with --tensors, their
resampled clips as .npy), to compare with the batches the app's sampler draws:
`python -m evgap_torch.batches JOB_DIR --steps 0,1,2 --out FILE [--tensors DIR]`. Needs numpy only."""

import argparse
import dataclasses
import json
import os
import sys

import numpy as np

from .features import open_tracks
from .job import load_job, parse_roots
from .sampler import ClipSampler


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="evgap_torch.batches", description=__doc__.split("\n\n")[0])
    parser.add_argument("job")
    parser.add_argument("--steps", default="0", help="comma-separated optimizer steps (0: the first batch)")
    parser.add_argument("--out", required=True, help="JSON file of the batches' clips")
    parser.add_argument("--tensors", help="folder for step-<s>.ego.npy / step-<s>.exo.npy ([B, M or N, w1, F])")
    parser.add_argument("--root", action="append", default=[], metavar="NAME=PATH")
    arguments = parser.parse_args(sys.argv[1:] if argv is None else argv)
    job = load_job(arguments.job, parse_roots(arguments.root))
    sampler = ClipSampler(job.plan, open_tracks(job.plan["tracks"], job.roots))
    batches = []
    for step in (int(text) for text in arguments.steps.split(",")):
        position = sampler.schedule.position_of_step(step)
        clips = [dataclasses.asdict(clip) for clip in sampler.clips(position)]
        batches.append({"step": step, "epoch": position.epoch, "batchIndex": position.batch_index, "clips": clips})
        if arguments.tensors:
            os.makedirs(arguments.tensors, exist_ok=True)
            ego, exo = sampler.rows(position)
            np.save(os.path.join(arguments.tensors, f"step-{step}.ego.npy"), ego)
            np.save(os.path.join(arguments.tensors, f"step-{step}.exo.npy"), exo)
    with open(arguments.out, "w", encoding="utf-8") as file:
        json.dump({"batchesPerEpoch": sampler.batches_per_epoch, "batches": batches}, file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
