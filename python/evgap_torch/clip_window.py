"""The geometry of one clip, exactly as main/engine/sampling/clipWindow.ts computes it.

A window of length L (= w1 * scale) starting at scene time t covers frames [t, t + L). Token k of w1 reads scene
time t + (k + 0.5) * L / w1, which in view v is frame position offset_v + timeScale_v * (t + (k + 0.5) * L / w1)
- 0.5, clamped to the window's frames, read by linear interpolation between its two neighbouring frames
('linear') or from the nearest frame ('nearest'). The arithmetic is the same sequence of IEEE double operations
as the TypeScript, so both engines produce the same positions and, after rounding to float32, the same values.
"""

import math
from typing import List, Tuple

import numpy as np


def js_round(x: float) -> int:
    """JavaScript's Math.round: the nearest integer, halves rounded up (Python's round() rounds halves to even)."""
    below = math.floor(x)
    return below + 1 if x - below >= 0.5 else below


def view_frame_span(offset: float, time_scale: float, t: float, length: float) -> Tuple[int, int]:
    """Frames [first, end) of a view that a window [t, t + length) of scene time touches (viewFrameSpan)."""
    first = math.floor(offset + time_scale * t)
    end = max(first + 1, math.ceil(offset + time_scale * (t + length)))
    return first, end


def token_positions(offset: float, time_scale: float, t: float, length: float, tokens: int) -> List[float]:
    """The fractional frame position each token reads, clamped to the window's frames (tokenPositions)."""
    first, end = view_frame_span(offset, time_scale, t, length)
    positions = []
    for k in range(tokens):
        p = offset + time_scale * (t + ((k + 0.5) * length) / tokens) - 0.5
        positions.append(min(end - 1, max(first, p)))
    return positions


def resample_rows(rows: np.ndarray, first_frame: int, positions: List[float], mode: str) -> np.ndarray:
    """[tokens, F] float32 read from `rows` ([n, F], its first row is frame `first_frame`) at the positions."""
    last_row = rows.shape[0] - 1
    out = np.empty((len(positions), rows.shape[1]), dtype=np.float32)
    if mode == "nearest":
        for k, position in enumerate(positions):
            out[k] = rows[min(last_row, max(0, js_round(position - first_frame)))]
        return out
    if mode != "linear":
        raise ValueError(f"expected resample 'linear' or 'nearest', got {mode!r}")
    wide = rows.astype(np.float64)
    for k, position in enumerate(positions):
        p = position - first_frame
        below = min(last_row, max(0, math.floor(p)))
        above = min(last_row, below + 1)
        weight = min(1.0, max(0.0, p - below))
        # a + w * (b - a) in doubles, then rounded to float32: the TypeScript's expression and rounding.
        out[k] = wide[below] + weight * (wide[above] - wide[below])
    return out
