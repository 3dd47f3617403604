"""The losses against slow, obvious versions of eqs. 1 and 2 (sums over every pair), values and gradients, and the
gathered step-1 loss over two gloo processes against the single-process loss on the same global batch."""

import math
import os
import socket

import pytest
import torch
import torch.multiprocessing as mp
from torch.nn import functional as F

from evgap_torch.losses import group_loss, pair_loss, with_auxiliary


def normalized(*shape, seed):
    generator = torch.Generator().manual_seed(seed)
    return F.normalize(torch.randn(*shape, generator=generator, dtype=torch.float64), dim=-1).requires_grad_()


def naive_pair_loss(ego, exo, s):
    b, t = ego.shape[0], s.exp()
    total = 0
    for i in range(b):
        rows = torch.stack([t * ego[i] @ exo[j] for j in range(b)])
        cols = torch.stack([t * ego[j] @ exo[i] for j in range(b)])
        total = total + torch.log_softmax(rows, 0)[i] + torch.log_softmax(cols, 0)[i]
    return -total / (2 * b)


def naive_group_loss(ego, exo, s, bias):
    b, m, _ = ego.shape
    n = exo.shape[1]
    total = 0
    for i in range(b):
        for j in range(b):
            z = 1.0 if i == j else -1.0
            for p in range(m):
                for q in range(n):
                    total = total + torch.log(torch.sigmoid(z * (s.exp() * ego[i, p] @ exo[j, q] + bias)))
    return -total / (b * b * m * n)


def test_pair_loss_matches_the_sum_over_pairs_in_value_and_gradient():
    ego, exo = normalized(5, 4, seed=1), normalized(5, 4, seed=2)
    s = torch.tensor(1.3, dtype=torch.float64, requires_grad=True)
    fast, slow = pair_loss(ego, exo, s), naive_pair_loss(ego, exo, s)
    assert math.isclose(fast.item(), slow.item(), rel_tol=1e-12)
    for a, b in zip(torch.autograd.grad(fast, [ego, exo, s]), torch.autograd.grad(slow, [ego, exo, s])):
        assert torch.allclose(a, b, atol=1e-12)


@pytest.mark.parametrize("with_bias", [False, True])
def test_group_loss_matches_the_sum_over_groups_in_value_and_gradient(with_bias):
    ego, exo = normalized(3, 2, 4, seed=3), normalized(3, 4, 4, seed=4)
    s = torch.tensor(2.3, dtype=torch.float64, requires_grad=True)
    bias = torch.tensor(-1.5, dtype=torch.float64, requires_grad=True) if with_bias else None
    fast = group_loss(ego, exo, s, bias)
    slow = naive_group_loss(ego, exo, s, bias if with_bias else 0.0)
    assert math.isclose(fast.item(), slow.item(), rel_tol=1e-12)
    inputs = [ego, exo, s] + ([bias] if with_bias else [])
    for a, b in zip(torch.autograd.grad(fast, inputs), torch.autograd.grad(slow, inputs)):
        assert torch.allclose(a, b, atol=1e-12)


def test_auxiliary_terms_weight_every_layer_but_the_last():
    total, terms = with_auxiliary([torch.tensor(1.0), torch.tensor(2.0), torch.tensor(3.0)], 0.2)
    assert [t.item() for t in terms] == pytest.approx([0.2, 0.4, 3.0]) and total.item() == pytest.approx(3.6)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gathered_gradients(rank, world, port, queue):
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank), WORLD_SIZE=str(world))
    from evgap_torch import distributed

    group = distributed.start("cpu")
    ego_all, exo_all = normalized(8, 4, seed=5).detach(), normalized(8, 4, seed=6).detach()
    share = 8 // world
    ego = ego_all[rank * share:(rank + 1) * share].clone().requires_grad_()
    exo = exo_all[rank * share:(rank + 1) * share].clone().requires_grad_()
    s = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    loss = pair_loss(distributed.gather_with_grad(ego, group), distributed.gather_with_grad(exo, group), s)
    loss.backward()
    # DDP averages gradients over ranks: the parameters' gradients are the mean of what each rank computes.
    # Plain lists: tensors would travel as shared memory that ends with this process.
    queue.put((rank, loss.item(), (ego.grad / world).tolist(), (exo.grad / world).tolist(), s.grad.item()))
    distributed.stop(group)


def test_gathered_step1_loss_over_two_processes_is_the_global_batch_loss():
    context = mp.get_context("spawn")
    queue = context.SimpleQueue()
    port = free_port()
    processes = [context.Process(target=gathered_gradients, args=(rank, 2, port, queue)) for rank in range(2)]
    for process in processes:
        process.start()
    results = sorted(queue.get() for _ in processes)
    for process in processes:
        process.join(60)
    ego, exo = normalized(8, 4, seed=5), normalized(8, 4, seed=6)
    s = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    loss = pair_loss(ego, exo, s)
    loss.backward()
    for rank, value, ego_grad, exo_grad, s_grad in results:
        assert math.isclose(value, loss.item(), rel_tol=1e-12)
        assert torch.allclose(torch.tensor(ego_grad, dtype=torch.float64), ego.grad[rank * 4:(rank + 1) * 4], atol=1e-12)
        assert torch.allclose(torch.tensor(exo_grad, dtype=torch.float64), exo.grad[rank * 4:(rank + 1) * 4], atol=1e-12)
        assert math.isclose(s_grad, s.grad.item(), rel_tol=1e-12)
