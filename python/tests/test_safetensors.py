"""The safetensors writer and reader: the app's layout (8-byte length, JSON header padded to 8 bytes, float32 data),
scalars of shape [], F16 and BF16 read back as float32, and malformed files refused with the file named."""

import json
import struct

import numpy as np
import pytest
import torch

from evgap_torch import safetensors


def test_round_trip_keeps_names_order_shapes_values_and_metadata():
    tensors = {"b.weight": torch.arange(6.0).reshape(2, 3), "a": torch.tensor(0.25), "c": torch.zeros(0)}
    data = safetensors.encode(tensors, {"format": "pt", "evgap.encoder_config": json.dumps({"heads": 4})})
    (length,) = struct.unpack("<Q", data[:8])
    assert length % 8 == 0
    header = json.loads(data[8:8 + length])
    assert list(header) == ["__metadata__", "b.weight", "a", "c"]
    assert header["a"] == {"dtype": "F32", "shape": [], "data_offsets": [24, 28]}
    read, metadata = safetensors.decode(data, "test")
    assert list(read) == list(tensors) and metadata["format"] == "pt"
    for name, tensor in tensors.items():
        assert read[name].shape == tensor.shape and torch.equal(read[name], tensor)


def raw_file(entries, body):
    header = json.dumps(entries).encode()
    return struct.pack("<Q", len(header)) + header + body


def test_reads_half_precision_as_float32():
    values = np.array([1.5, -2.0, 0.125], dtype="<f2")
    bf16 = (np.array([1.5, -2.0, 0.125], dtype="<f4").view("<u4") >> 16).astype("<u2")
    data = raw_file({"h": {"dtype": "F16", "shape": [3], "data_offsets": [0, 6]},
                     "b": {"dtype": "BF16", "shape": [3], "data_offsets": [6, 12]}}, values.tobytes() + bf16.tobytes())
    read, _ = safetensors.decode(data, "half")
    assert read["h"].tolist() == [1.5, -2.0, 0.125] and read["b"].tolist() == [1.5, -2.0, 0.125]


@pytest.mark.parametrize("data,message", [
    (b"\x01\x02", "expected at least 8 bytes"),
    (struct.pack("<Q", 999) + b"{}", "header length 999 exceeds the file"),
    (raw_file({"x": {"dtype": "I8", "shape": [1], "data_offsets": [0, 1]}}, b"\0"), "expected dtype F32, F64, F16 or BF16"),
    (raw_file({"x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}, b"\0" * 4), "do not hold shape"),
    (raw_file({"x": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, b"\0" * 8), "cover all 8 data bytes"),
])
def test_refuses_malformed_files_naming_them(data, message):
    with pytest.raises(safetensors.SafetensorsError, match=f"^bad.safetensors: .*{message}"):
        safetensors.decode(data, "bad.safetensors")
