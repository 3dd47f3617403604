"""The safetensors file format (https://github.com/huggingface/safetensors, "Format"), written and read here so the
job needs no extra package: an 8-byte little-endian header length N, N bytes of JSON mapping each tensor name to
{dtype, shape, data_offsets: [begin, end]} plus an optional "__metadata__" string map, then the little-endian data.
The header is padded with spaces so the data starts 8-byte aligned (as main/engine/weights/safetensors.ts does).
Writing emits F32; reading accepts F32, F64, F16 and BF16 and checks that the tensors cover the data exactly.
"""

import json
import struct
from typing import Dict, Tuple

import numpy as np
import torch

_NUMPY_DTYPES = {"F32": "<f4", "F64": "<f8", "F16": "<f2"}
_BYTES = {"F32": 4, "F64": 8, "F16": 2, "BF16": 2}
_MAX_HEADER = 100_000_000


class SafetensorsError(ValueError):
    pass


def encode(tensors: Dict[str, torch.Tensor], metadata: Dict[str, str]) -> bytes:
    """Safetensors bytes of the tensors as float32, in the dict's order, with string metadata."""
    header: Dict[str, object] = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    chunks = []
    offset = 0
    for name, tensor in tensors.items():
        data = tensor.detach().to("cpu", torch.float32).contiguous().numpy().astype("<f4", copy=False).tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    padded = text + b" " * (-len(text) % 8)
    return struct.pack("<Q", len(padded)) + padded + b"".join(chunks)


def decode(data: bytes, source: str) -> Tuple[Dict[str, torch.Tensor], Dict[str, str]]:
    """(float32 tensors by name, metadata) of safetensors bytes; `source` names the file in errors."""
    if len(data) < 8:
        raise SafetensorsError(f"{source}: expected at least 8 bytes, got {len(data)}")
    (length,) = struct.unpack("<Q", data[:8])
    if length > _MAX_HEADER or length > len(data) - 8:
        raise SafetensorsError(f"{source}: header length {length} exceeds the file ({len(data)} bytes)")
    try:
        header = json.loads(data[8:8 + length].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SafetensorsError(f"{source}: header is not valid UTF-8 JSON ({error})") from error
    if not isinstance(header, dict):
        raise SafetensorsError(f"{source}: expected the header to be a JSON object")
    body = memoryview(data)[8 + length:]
    metadata = header.pop("__metadata__", {}) or {}
    tensors: Dict[str, torch.Tensor] = {}
    covered = []
    for name, entry in header.items():
        dtype, shape, (begin, end) = entry.get("dtype"), entry.get("shape"), entry.get("data_offsets", (0, -1))
        if dtype not in _BYTES:
            raise SafetensorsError(f"{source}: {name}: expected dtype F32, F64, F16 or BF16, got {dtype!r}")
        count = int(np.prod(shape)) if shape else 1
        if end - begin != count * _BYTES[dtype] or end > len(body):
            raise SafetensorsError(f"{source}: {name}: data_offsets [{begin}, {end}] do not hold shape {shape} {dtype}")
        raw = body[begin:end]
        if dtype == "BF16":
            bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            values = bits.view(np.float32)
        else:
            values = np.frombuffer(raw, dtype=_NUMPY_DTYPES[dtype]).astype(np.float32)
        tensors[name] = torch.from_numpy(values.copy()).reshape(shape)
        covered.append((begin, end))
    position = 0
    for begin, end in sorted(covered):
        if begin != position:
            raise SafetensorsError(f"{source}: expected data to start at byte {position}, got {begin}")
        position = end
    if position != len(body):
        raise SafetensorsError(f"{source}: expected the tensors to cover all {len(body)} data bytes, they cover {position}")
    return tensors, metadata


def read_file(path: str) -> Tuple[Dict[str, torch.Tensor], Dict[str, str]]:
    with open(path, "rb") as file:
        return decode(file.read(), path)
