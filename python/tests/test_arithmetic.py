"""JavaScript's number semantics that the sampler mirrors: Math.round (halves up, not to even), 32-bit Math.imul
and the unsigned shifts of mulberry32 and deriveSeed, checked against values computed by hand from their
definitions (the app-side comparison of whole batches is test/main/jobs/samplingParity.test.ts)."""

from evgap_torch.clip_window import js_round, view_frame_span
from evgap_torch.jsrandom import SeededRandom, derive_seed, imul, random_int, shuffle_in_place


def test_js_round_rounds_halves_up():
    assert [js_round(x) for x in (0.5, 1.5, 2.5, -0.5, -1.5, 0.49999999999999994, 2.4999)] == [1, 2, 3, 0, -1, 0, 2]


def test_imul_wraps_like_javascript():
    assert imul(0xFFFFFFFF, 5) == (-5) & 0xFFFFFFFF  # Math.imul(-1, 5) === -5
    assert imul(0x7FFFFFFF, 0x7FFFFFFF) == 1  # (2^31 - 1)^2 mod 2^32


def test_mulberry32_first_draw_by_hand():
    # seed 0: state = 0 ^ 0x9e3779b9, then one mulberry32 step written out with Python's big integers.
    state = (0x9E3779B9 + 0x6D2B79F5) % 2**32
    t = ((state ^ (state >> 15)) * (state | 1)) % 2**32
    t ^= (t + ((t ^ (t >> 7)) * (t | 61)) % 2**32) % 2**32
    assert SeededRandom(0).uniform() == (t ^ (t >> 14)) / 2**32


def test_streams_are_deterministic_and_distinct():
    assert derive_seed(1, 1, 0, 0) == derive_seed(1, 1, 0, 0)
    assert len({derive_seed(1, stream, epoch, 0) for stream in (1, 2) for epoch in range(50)}) == 100
    values = shuffle_in_place(list(range(20)), SeededRandom(3))
    assert sorted(values) == list(range(20)) and values != list(range(20))
    assert all(0 <= random_int(SeededRandom(s), 7) < 7 for s in range(100))


def test_window_span_with_offset_and_fractional_length():
    assert view_frame_span(offset=6, time_scale=1, t=10, length=15.2) == (16, 32)
    assert view_frame_span(offset=-3, time_scale=0.5, t=9, length=20) == (1, 12)
