"""Feature readers: .npy tracks in both layouts, C and Fortran order, float16 and float32; LMDB tracks in
Assembly101's key format written by the reference LMDB library (python3-lmdb), with clear errors for what is
missing or malformed."""

import os

import lmdb
import numpy as np
import pytest

from evgap_torch.features import FeatureError, LmdbTrack, NpyTrack, check_tracks, lmdb_frame_key, open_tracks

FRAMES, DIM = 7, 3
VALUES = np.arange(FRAMES * DIM, dtype=np.float32).reshape(FRAMES, DIM) / 8  # [T, F], exact in float16


@pytest.mark.parametrize("layout", ["TF", "FT"])
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
@pytest.mark.parametrize("fortran", [False, True])
def test_npy_track_reads_frames_in_every_layout(tmp_path, layout, dtype, fortran):
    matrix = (VALUES if layout == "TF" else VALUES.T).astype(dtype)
    path = str(tmp_path / "track.npy")
    np.save(path, np.asfortranarray(matrix) if fortran else matrix)
    track = NpyTrack(path, layout, FRAMES, DIM)
    track.check()
    frames = track.read(2, 5)
    assert frames.dtype == np.float32 and frames.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(frames, VALUES[2:5])


def test_npy_track_refuses_a_matrix_of_another_shape(tmp_path):
    path = str(tmp_path / "track.npy")
    np.save(path, VALUES)
    with pytest.raises(FeatureError, match=r"expected a matrix of shape \[3, 7\] \(layout FT\), the file holds \[7, 3\]"):
        NpyTrack(path, "FT", FRAMES, DIM).check()
    with pytest.raises(FeatureError, match="no such file"):
        NpyTrack(str(tmp_path / "missing.npy"), "TF", FRAMES, DIM).check()


def write_environment(folder, prefix, frames, skip=(), value_bytes=None):
    os.makedirs(folder)
    environment = lmdb.open(folder, map_size=1 << 24)
    with environment.begin(write=True) as txn:
        for frame in range(frames):
            if frame in skip:
                continue
            value = value_bytes if value_bytes is not None else VALUES[frame].astype("<f4").tobytes()
            txn.put(lmdb_frame_key(prefix, frame + 1), value)
    environment.close()


def test_lmdb_track_reads_assembly101_keys(tmp_path):
    folder = str(tmp_path / "C10095_rgb")
    prefix = "nusar-2021_action_both_9044/C10095_rgb/C10095_rgb_"
    write_environment(folder, prefix, FRAMES)
    assert lmdb_frame_key(prefix, 12) == f"{prefix}0000000012.jpg".encode()
    track = LmdbTrack(folder, prefix, FRAMES, DIM)
    track.check()
    np.testing.assert_array_equal(track.read(1, 6), VALUES[1:6])


def test_lmdb_track_names_a_missing_key_and_a_wrong_value_size(tmp_path):
    prefix = "seq/v/v_"
    write_environment(str(tmp_path / "gap"), prefix, FRAMES, skip=(3,))
    with pytest.raises(FeatureError, match=r"key seq/v/v_0000000004\.jpg is missing"):
        LmdbTrack(str(tmp_path / "gap"), prefix, FRAMES, DIM).read(0, FRAMES)
    write_environment(str(tmp_path / "short"), prefix, FRAMES, value_bytes=b"\0" * 8)
    with pytest.raises(FeatureError, match=r"expected 12 bytes \(3 float32\), got 8"):
        LmdbTrack(str(tmp_path / "short"), prefix, FRAMES, DIM).read(0, 1)


def test_check_tracks_lists_every_track_that_cannot_be_read(tmp_path):
    tracks = [{"dataset": "d", "path": f"s/{name}.npy", "layout": "TF", "frames": FRAMES, "dim": DIM} for name in "abc"]
    tracks.append({"dataset": "d", "lmdb": {"environment": "lmdb/v", "keyPrefix": "s/v/v_"}, "frames": FRAMES, "dim": DIM})
    readers = open_tracks(tracks, {"d": str(tmp_path)})
    with pytest.raises(FeatureError) as error:
        check_tracks(readers)
    message = str(error.value)
    assert message.startswith("4 of 4 feature tracks cannot be read:")
    assert f"{tmp_path}/s/b.npy: no such file" in message
    assert f"{tmp_path}/lmdb/v: not an LMDB environment (no data.mdb)" in message
    with pytest.raises(FeatureError, match="no root for dataset 'd'"):
        open_tracks(tracks, {})
