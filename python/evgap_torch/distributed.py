"""The process group of a torchrun launch, and the one collective the losses may use.

torchrun (or SLURM through it) sets RANK, WORLD_SIZE and LOCAL_RANK; without them the job runs as one process and
no process group is made. GPUs use NCCL, CPUs gloo.

Step 1's "gathered" setting computes InfoNCE over the whole global batch on every rank: each rank's embeddings
are all-gathered with their gradient, as open_clip's gather_with_grad does. `gather_with_grad` is written here
with all_gather forward and all_reduce backward (gloo has no reduce_scatter): the gradient of the local slice is
the sum over ranks of their gradients for it. With DistributedDataParallel's averaging over ranks this gives
exactly the single-process gradient of the global batch's loss. Step 2 never gathers (docs/method.md: the loss
uses the local batch only).
"""

import datetime
import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class ProcessGroup:
    rank: int
    world: int
    local_rank: int
    device: torch.device
    backend: str
    """'nccl', 'gloo', or 'none' for one process without a group."""

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def start(device_choice: str, timeout_minutes: int = 30) -> ProcessGroup:
    """Joins torchrun's process group (when launched by it) and picks this process's device."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    use_cuda = device_choice == "cuda" or (device_choice == "auto" and torch.cuda.is_available())
    if use_cuda and not torch.cuda.is_available():
        raise RuntimeError("--device cuda: this torch sees no CUDA device")
    if use_cuda:
        torch.cuda.set_device(local_rank)
        device = torch.device("cuda", local_rank)
    else:
        device = torch.device("cpu")
    backend = "none"
    if world > 1:
        backend = "nccl" if use_cuda else "gloo"
        dist.init_process_group(backend, timeout=datetime.timedelta(minutes=timeout_minutes))
    return ProcessGroup(rank, world, local_rank, device, backend)


def stop(group: ProcessGroup) -> None:
    if group.backend != "none" and dist.is_initialized():
        dist.destroy_process_group()


def barrier(group: ProcessGroup) -> None:
    if group.backend != "none":
        dist.barrier()


def mean_over_ranks(values: torch.Tensor, group: ProcessGroup) -> torch.Tensor:
    """The element-wise mean of a tensor over all ranks (no gradient)."""
    if group.backend == "none":
        return values.detach()
    total = values.detach().clone()
    dist.all_reduce(total)
    return total / group.world


def broadcast_int(value: int, group: ProcessGroup) -> int:
    """Rank 0's value, on every rank."""
    if group.backend == "none":
        return value
    tensor = torch.tensor([value], dtype=torch.int64, device=group.device)
    dist.broadcast(tensor, 0)
    return int(tensor.item())


class _GatherWithGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, local: torch.Tensor) -> torch.Tensor:
        world, rank = dist.get_world_size(), dist.get_rank()
        ctx.rank, ctx.rows = rank, local.shape[0]
        parts = [torch.empty_like(local) for _ in range(world)]
        dist.all_gather(parts, local.contiguous())
        return torch.cat(parts, dim=0)

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        total = grad.contiguous().clone()
        dist.all_reduce(total)
        return total[ctx.rank * ctx.rows:(ctx.rank + 1) * ctx.rows]


def gather_with_grad(local: torch.Tensor, group: ProcessGroup) -> torch.Tensor:
    """Every rank's rows of `local` concatenated in rank order, differentiable in this rank's rows."""
    if group.backend == "none":
        return local
    return _GatherWithGrad.apply(local)
