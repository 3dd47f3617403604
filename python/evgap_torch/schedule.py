"""The order in which clips are drawn, exactly as main/engine/sampling/schedule.ts draws it.

An epoch: each source's window indices 0..n-1 are shuffled and cut into ceil(n/K) sets of K consecutive shuffled
indices (a short last set is filled up with the first indices of the same order); the sets of all sources are
then shuffled together. Batch b takes sets [b*S, (b+1)*S) with S = ceil(B/K) and keeps their first B clips; the
floor(sets/S) full batches make the epoch. Each clip gets a scale uniform in [scaleMin, scaleMax]. Everything is
derived from (seed, stream, epoch, batch), so a batch is a pure function of its position: a resumed run recomputes
its position from the step number alone.
"""

import math
from dataclasses import dataclass
from typing import List, Sequence

from .jsrandom import random_for, shuffle_in_place

#: The random streams of the two samplers (PAIR_STREAM in pairSampler.ts, GROUP_STREAM in groupSampler.ts).
PAIR_STREAM = 1
GROUP_STREAM = 2
#: The epoch-planning stream's last part in schedule.ts.
_EPOCH_PLAN_PART = 0x5E75


@dataclass(frozen=True)
class ScheduledClip:
    source: int
    """Index of the source (pair source or group scene) in the plan."""
    window: int
    """Window index within the source: scene time start + window * stride."""
    set: int
    """Set number within the batch."""
    scale: float
    """Window length factor: the clip covers window * scale frames."""


@dataclass(frozen=True)
class Position:
    epoch: int
    batch_index: int


def epoch_layout(windows_per_source: Sequence[int], clips_per_set: int, batch_size: int):
    """(sets per epoch, sets per batch, full batches per epoch), as epochLayout."""
    sets_per_epoch = sum(math.ceil(n / clips_per_set) for n in windows_per_source)
    sets_per_batch = math.ceil(batch_size / clips_per_set)
    return sets_per_epoch, sets_per_batch, sets_per_epoch // sets_per_batch


class SetSchedule:
    def __init__(self, windows_per_source: Sequence[int], clips_per_set: int, batch_size: int,
                 scale_min: float, scale_max: float, seed: int, stream: int):
        for source, n in enumerate(windows_per_source):
            if n < clips_per_set:
                raise ValueError(f"source {source}: expected at least clipsPerSet ({clips_per_set}) windows, got {n}")
        self._windows = list(windows_per_source)
        self.clips_per_set = clips_per_set
        self.batch_size = batch_size
        self.scale_min = scale_min
        self.scale_max = scale_max
        self.seed = seed
        self.stream = stream
        self.sets_per_epoch, self.sets_per_batch, self.batches_per_epoch = epoch_layout(
            self._windows, clips_per_set, batch_size)
        self._epoch = -1
        self._set_source: List[int] = []
        self._set_windows: List[List[int]] = []

    def position_of_step(self, step: int) -> Position:
        """The batch an optimizer step draws: batches follow one another from (0, 0), epoch after epoch."""
        if self.batches_per_epoch < 1:
            raise ValueError("the schedule has no full batch")
        return Position(step // self.batches_per_epoch, step % self.batches_per_epoch)

    def check_position(self, position: Position) -> None:
        if position.epoch < 0 or not (0 <= position.batch_index < self.batches_per_epoch):
            raise ValueError(f"expected epoch >= 0 and 0 <= batchIndex < {self.batches_per_epoch}, "
                             f"got epoch {position.epoch}, batchIndex {position.batch_index}")

    def batch(self, position: Position) -> List[ScheduledClip]:
        """The B clips of a batch, in order."""
        self.check_position(position)
        self._plan_epoch(position.epoch)
        k = self.clips_per_set
        scales = random_for(self.seed, self.stream, position.epoch, position.batch_index)
        clips = []
        for i in range(self.batch_size):
            set_in_batch = i // k
            epoch_set = position.batch_index * self.sets_per_batch + set_in_batch
            clips.append(ScheduledClip(
                source=self._set_source[epoch_set],
                window=self._set_windows[epoch_set][i % k],
                set=set_in_batch,
                scale=self.scale_min + (self.scale_max - self.scale_min) * scales.uniform(),
            ))
        return clips

    def _plan_epoch(self, epoch: int) -> None:
        if epoch == self._epoch:
            return
        k = self.clips_per_set
        random = random_for(self.seed, self.stream, epoch, _EPOCH_PLAN_PART)
        set_source: List[int] = []
        set_windows: List[List[int]] = []
        for source, n in enumerate(self._windows):
            order = shuffle_in_place(list(range(n)), random)
            for first in range(0, n, k):
                set_source.append(source)
                set_windows.append([order[(first + j) % n] for j in range(k)])
        set_order = shuffle_in_place(list(range(self.sets_per_epoch)), random)
        self._set_source = [set_source[i] for i in set_order]
        self._set_windows = [set_windows[i] for i in set_order]
        self._epoch = epoch
