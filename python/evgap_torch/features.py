"""Per-frame feature tracks as the EVGAP Studio catalog records them, read a frame range at a time.

Two storages (main/features/ in the app):
- .npy files, float32 or float16, whose 2-D matrix is [frames, F] (layout 'TF') or [F, frames] (layout 'FT',
  Assembly101's features.npy), in C or Fortran order: numpy's memory map gives the logical matrix either way.
- LMDB environments the way Assembly101 ships its TSM features: one entry per frame, key
  `{sequence}/{view}/{view}_{frame:010d}.jpg` (frames counted from 1), value the raw little-endian float32 bytes of
  one feature vector (main/features/lmdbTrack.ts). Needs the `lmdb` module, imported only when such a track exists.

Track paths in a job are relative to their dataset's root, which can be re-pointed when the job runs (the data
usually sits elsewhere on a cluster); `check` verifies every track before training starts.
"""

import os
from typing import Dict, List, Optional

import numpy as np

_LMDB_FIRST_KEY_FRAME = 1
_LMDB_FRAME_DIGITS = 10


class FeatureError(Exception):
    """A track is missing, unreadable, or not what the job says it is; the message names the file."""


def lmdb_frame_key(prefix: str, key_frame: int) -> bytes:
    return f"{prefix}{key_frame:0{_LMDB_FRAME_DIGITS}d}.jpg".encode("utf-8")


class NpyTrack:
    def __init__(self, path: str, layout: str, frames: int, dim: int):
        self.path, self.layout, self.frames, self.dim = path, layout, frames, dim
        self._matrix: Optional[np.ndarray] = None

    def describe(self) -> str:
        return self.path

    def check(self) -> None:
        if not os.path.isfile(self.path):
            raise FeatureError(f"{self.path}: no such file")
        matrix = self._open()
        if matrix.ndim != 2 or matrix.dtype.kind != "f" or matrix.dtype.itemsize not in (2, 4):
            raise FeatureError(f"{self.path}: expected a 2-D float16 or float32 matrix, got {matrix.dtype} {list(matrix.shape)}")
        expected = (self.frames, self.dim) if self.layout == "TF" else (self.dim, self.frames)
        if tuple(matrix.shape) != expected:
            raise FeatureError(f"{self.path}: expected a matrix of shape {list(expected)} (layout {self.layout}), "
                               f"the file holds {list(matrix.shape)}")

    def read(self, start: int, end: int) -> np.ndarray:
        """Frames [start, end) as a [end - start, F] float32 array."""
        matrix = self._open()
        block = matrix[start:end] if self.layout == "TF" else matrix[:, start:end].T
        return np.ascontiguousarray(block, dtype=np.float32)

    def _open(self) -> np.ndarray:
        if self._matrix is None:
            try:
                self._matrix = np.load(self.path, mmap_mode="r", allow_pickle=False)
            except (OSError, ValueError) as error:
                raise FeatureError(f"{self.path}: cannot read as .npy ({error})") from error
        return self._matrix


class LmdbTrack:
    _environments: Dict[str, object] = {}

    def __init__(self, environment: str, key_prefix: str, frames: int, dim: int):
        self.environment, self.key_prefix, self.frames, self.dim = environment, key_prefix, frames, dim

    def describe(self) -> str:
        return f"{self.environment} {self.key_prefix}"

    def check(self) -> None:
        if not os.path.isfile(os.path.join(self.environment, "data.mdb")):
            raise FeatureError(f"{self.environment}: not an LMDB environment (no data.mdb)")
        for frame in (0, self.frames - 1):
            self.read(frame, frame + 1)

    def read(self, start: int, end: int) -> np.ndarray:
        out = np.empty((end - start, self.dim), dtype=np.float32)
        with self._open().begin(buffers=True) as txn:
            for frame in range(start, end):
                key = lmdb_frame_key(self.key_prefix, frame + _LMDB_FIRST_KEY_FRAME)
                value = txn.get(key)
                if value is None:
                    raise FeatureError(f"{self.environment}: key {key.decode()} is missing")
                if len(value) != self.dim * 4:
                    raise FeatureError(f"{self.environment} key {key.decode()}: expected {self.dim * 4} bytes "
                                       f"({self.dim} float32), got {len(value)}")
                out[frame - start] = np.frombuffer(value, dtype="<f4")
        return out

    def _open(self):
        environment = LmdbTrack._environments.get(self.environment)
        if environment is None:
            try:
                import lmdb
            except ImportError as error:
                raise FeatureError(f"{self.environment}: LMDB features need the Python module lmdb "
                                   "(Debian: python3-lmdb; pip: lmdb)") from error
            try:
                environment = lmdb.open(self.environment, readonly=True, lock=False, readahead=False,
                                        subdir=True, max_readers=512)
            except lmdb.Error as error:
                raise FeatureError(f"{self.environment}: cannot open the LMDB environment ({error})") from error
            LmdbTrack._environments[self.environment] = environment
        return environment


def open_tracks(tracks: List[dict], roots: Dict[str, str]) -> List[object]:
    """The job's track list (sampling plan `tracks`) as readers, each path joined to its dataset's root."""
    readers = []
    for index, track in enumerate(tracks):
        root = roots.get(track["dataset"])
        if root is None:
            raise FeatureError(f"tracks[{index}]: no root for dataset {track['dataset']!r}")
        if "lmdb" in track:
            lmdb_track = track["lmdb"]
            readers.append(LmdbTrack(os.path.join(root, *lmdb_track["environment"].split("/")),
                                     lmdb_track["keyPrefix"], track["frames"], track["dim"]))
        else:
            readers.append(NpyTrack(os.path.join(root, *track["path"].split("/")), track["layout"],
                                    track["frames"], track["dim"]))
    return readers


def check_tracks(readers: List[object], shown: int = 10) -> None:
    """Raises FeatureError listing the tracks that are missing or do not match the job (the first `shown`)."""
    problems = []
    for reader in readers:
        try:
            reader.check()
        except FeatureError as error:
            problems.append(str(error))
    if problems:
        listed = "\n  ".join(problems[:shown])
        more = f"\n  ... and {len(problems) - shown} more" if len(problems) > shown else ""
        raise FeatureError(f"{len(problems)} of {len(readers)} feature tracks cannot be read:\n  {listed}{more}\n"
                           "Point each dataset at the folder that holds its files with --root NAME=PATH.")
