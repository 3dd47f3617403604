"""Trains an exported job: `torchrun --nproc_per_node N -m evgap_torch.train JOB_DIR [--root NAME=PATH ...]`
(or `python -m evgap_torch.train JOB_DIR` for one process). Everything is checked before training starts and
before the processes join their group (torch version, job format, features at their roots, the batch split):
a problem ends every process with one line naming the file or setting, and exit status 2.
"""

import argparse
import sys

from .compat import torch_problem

USAGE_ERROR = 2


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog="evgap_torch.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("job", help="the job folder written by `evgap export job`")
    parser.add_argument("--root", action="append", default=[], metavar="NAME=PATH",
                        help="where dataset NAME's files are on this machine (default: where they were when exported)")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto",
                        help="cuda when a GPU is visible (auto, the default), else cpu")
    parser.add_argument("--precision", choices=["fp32", "bf16"], default="fp32",
                        help="bf16: autocast the forward pass and losses to bfloat16 (GPUs that support it)")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads per process (torch.set_num_threads)")
    return parser.parse_args(argv)


def fail(message: str) -> int:
    print(f"evgap_torch: {message}", file=sys.stderr, flush=True)
    return USAGE_ERROR


def main(argv=None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    problem = torch_problem()
    if problem is not None:
        return fail(problem)

    import os

    import torch

    from . import distributed
    from .features import FeatureError
    from .job import JobError, load_job, parse_roots
    from .trainer import TrainOptions, prepare, train

    if arguments.threads is not None:
        torch.set_num_threads(arguments.threads)
    try:
        job = load_job(arguments.job, parse_roots(arguments.root))
        sampler = prepare(job, int(os.environ.get("WORLD_SIZE", "1")))
    except (JobError, FeatureError, ValueError) as error:
        return fail(str(error))
    group = distributed.start(arguments.device)
    try:
        say = (lambda text: print(text, flush=True)) if group.is_main else (lambda text: None)
        train(job, group, sampler, TrainOptions(precision=arguments.precision), say=say)
    finally:
        distributed.stop(group)
    return 0


if __name__ == "__main__":
    sys.exit(main())
