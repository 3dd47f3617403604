"""Seeded random numbers exactly as EVGAP Studio's TypeScript draws them, so the same seed draws the same batches.

Mirrors main/random/seededRandom.ts (the mulberry32 generator SeededRandom, its int and shuffle, deriveSeed and
randomFor), whose header states the arithmetic exactly. JavaScript's bitwise operators work on 32-bit integers
(Math.imul multiplies modulo 2**32, `>>>` shifts an unsigned 32-bit value); every intermediate here is kept as an
unsigned 32-bit value, which gives the same bits, and the floats that come out are the same IEEE doubles.
"""

import math

MASK32 = 0xFFFFFFFF


def imul(a: int, b: int) -> int:
    """JavaScript's Math.imul, as an unsigned 32-bit value."""
    return ((a & MASK32) * (b & MASK32)) & MASK32


def to_uint32(value: float) -> int:
    """JavaScript's `Math.trunc(value) >>> 0`."""
    return int(value) & MASK32


class SeededRandom:
    """Uniform floats in [0, 1) from mulberry32, seeded as SeededRandom(seed) in main/random/seededRandom.ts."""

    __slots__ = ("_state",)

    def __init__(self, seed: int):
        self._state = to_uint32(seed) ^ 0x9E3779B9

    def uniform(self) -> float:
        self._state = (self._state + 0x6D2B79F5) & MASK32
        t = self._state
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & MASK32
        return (t ^ (t >> 14)) / 4294967296


def derive_seed(*parts: int) -> int:
    """A 32-bit seed mixed from integer parts (murmur3's finalizer per part), as deriveSeed in sampling/random.ts."""
    h = 0x811C9DC5
    for part in parts:
        k = to_uint32(part)
        k = imul(k ^ (k >> 16), 0x85EBCA6B)
        k = imul(k ^ (k >> 13), 0xC2B2AE35)
        k ^= k >> 16
        h = imul(h ^ k, 0x01000193)
        h = h ^ (h >> 15)
    return h


def random_for(*parts: int) -> SeededRandom:
    """The generator of the stream named by `parts` (randomFor)."""
    return SeededRandom(derive_seed(*parts))


def random_int(random: SeededRandom, n: int) -> int:
    """An integer uniform in [0, n) (randomInt)."""
    return min(n - 1, math.floor(random.uniform() * n))


def shuffle_in_place(values: list, random: SeededRandom) -> list:
    """Fisher–Yates, drawing exactly as shuffleInPlace does; returns `values`."""
    for i in range(len(values) - 1, 0, -1):
        j = random_int(random, i + 1)
        values[i], values[j] = values[j], values[i]
    return values
