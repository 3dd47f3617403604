"""Step-1 pair batches and step-2 group batches from a job's sampling plan, as pairSampler.ts and groupSampler.ts
draw them.

The plan (sampling-plan.json, written by `evgap export job`) is the app's own planning already done: the scenes
that take part with their participating views (offsets, time scales, frame counts, feature tracks), each scene's
first window start and number of windows, the step-1 pair sources and the step-2 group scenes. What is left is
the schedule (schedule.py) and reading each clip (clip_window.py), so both engines draw the same clips.

A batch's clips are a list of ScheduledClip, one per pair (step 1) or group (step 2); `rows(position, rank,
world)` reads one rank's contiguous share of them. The clip list is computed whole on every rank (it is cheap),
so every rank agrees on the global batch and reads only its part. A per-batch mix of several datasets would be
another way of making the clip list; the reading stays the same.
"""

from dataclasses import dataclass
from typing import List, Tuple

import numpy as np

from .clip_window import resample_rows, token_positions, view_frame_span
from .features import FeatureError
from .schedule import GROUP_STREAM, PAIR_STREAM, Position, ScheduledClip, SetSchedule


@dataclass(frozen=True)
class PlannedView:
    name: str
    offset: int
    time_scale: float
    track: int


@dataclass(frozen=True)
class ClipRecord:
    """What one clip of a batch is: for the parity checks and for logs."""
    source: int
    scene: str
    ego: Tuple[str, ...]
    exo: Tuple[str, ...]
    time: int
    scale: float
    set: int


def _views(entries: List[dict]) -> List[PlannedView]:
    return [PlannedView(v["name"], v["syncOffsetFrames"], v.get("timeScale", 1), v["track"]) for v in entries]


class ClipSampler:
    """Batches of one pre-training step; `step` 1 (pairs) or 2 (groups)."""

    def __init__(self, plan: dict, readers: List[object]):
        sampling = plan["sampling"]
        self.step = plan["step"]
        self.tokens = sampling["window"]
        self.stride = sampling["stride"]
        self.resample = sampling["resample"]
        self.dim = plan["dim"]
        self.batch_size = plan["batchSize"]
        self._readers = readers
        scenes = plan["scenes"]
        if self.step == 1:
            # Each source: the scene, its one ego view and its one exo view.
            self._sources = [(scenes[p["scene"]], _views([scenes[p["scene"]]["ego"][p["ego"]]]),
                              _views([scenes[p["scene"]]["exo"][p["exo"]]])) for p in plan["pairSources"]]
        else:
            self._sources = [(scenes[s], _views(scenes[s]["ego"]), _views(scenes[s]["exo"])) for s in plan["groupScenes"]]
        self.ego_per_clip = len(self._sources[0][1]) if self._sources else 0
        self.exo_per_clip = len(self._sources[0][2]) if self._sources else 0
        self.schedule = SetSchedule(
            [scene["windows"] for scene, _, _ in self._sources],
            sampling["clipsPerSet"], self.batch_size, sampling["scaleMin"], sampling["scaleMax"],
            plan["seed"], PAIR_STREAM if self.step == 1 else GROUP_STREAM)
        if self.schedule.batches_per_epoch != plan["batchesPerEpoch"]:
            raise ValueError(f"the plan says {plan['batchesPerEpoch']} batches per epoch, its sources make "
                             f"{self.schedule.batches_per_epoch}")

    @property
    def batches_per_epoch(self) -> int:
        return self.schedule.batches_per_epoch

    def clips(self, position: Position) -> List[ClipRecord]:
        return [self._record(clip) for clip in self.schedule.batch(position)]

    def rows(self, position: Position, rank: int = 0, world: int = 1) -> Tuple[np.ndarray, np.ndarray]:
        """This rank's share of the batch: ego [b, M, w1, F] and exo [b, N, w1, F] float32, b = B / world
        (M = N = 1 for pairs), from clips [rank * b, (rank + 1) * b) of the global batch."""
        if self.batch_size % world != 0:
            raise ValueError(f"a batch of {self.batch_size} cannot be split evenly over {world} processes")
        share = self.batch_size // world
        clips = self.schedule.batch(position)[rank * share:(rank + 1) * share]
        ego = np.empty((share, self.ego_per_clip, self.tokens, self.dim), dtype=np.float32)
        exo = np.empty((share, self.exo_per_clip, self.tokens, self.dim), dtype=np.float32)
        for i, clip in enumerate(clips):
            scene, ego_views, exo_views = self._sources[clip.source]
            time = scene["start"] + clip.window * self.stride
            length = self.tokens * clip.scale
            for m, view in enumerate(ego_views):
                ego[i, m] = self._read_clip(view, time, length)
            for n, view in enumerate(exo_views):
                exo[i, n] = self._read_clip(view, time, length)
        return ego, exo

    def _read_clip(self, view: PlannedView, t: int, length: float) -> np.ndarray:
        first, end = view_frame_span(view.offset, view.time_scale, t, length)
        reader = self._readers[view.track]
        if first < 0 or end > reader.frames:
            raise FeatureError(f"{reader.describe()} (view {view.name}): the plan asks for frames [{first}, {end}) "
                               f"of a track of {reader.frames}")
        rows = reader.read(first, end)
        return resample_rows(rows, first, token_positions(view.offset, view.time_scale, t, length, self.tokens),
                             self.resample)

    def _record(self, clip: ScheduledClip) -> ClipRecord:
        scene, ego_views, exo_views = self._sources[clip.source]
        return ClipRecord(clip.source, scene["name"], tuple(v.name for v in ego_views), tuple(v.name for v in exo_views),
                          scene["start"] + clip.window * self.stride, clip.scale, clip.set)
