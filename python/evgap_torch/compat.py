"""What evgap_torch needs from its environment, checked before anything else is imported: PyTorch 1.13 or newer
(numpy comes with it; lmdb only for LMDB features, checked when a track needs it)."""

import re
from typing import Optional, Tuple

MIN_TORCH = (1, 13)


def parse_version(text: str) -> Optional[Tuple[int, int]]:
    """(major, minor) of a version string such as '1.13.0a0+gitunknown' or '2.3.1+cu121'."""
    match = re.match(r"^(\d+)\.(\d+)", text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def torch_problem() -> Optional[str]:
    """Why the installed torch cannot run a job, or None."""
    try:
        import torch
    except ImportError:
        return "evgap_torch needs PyTorch 1.13 or newer, and this Python has no torch module (Debian: python3-torch)"
    version = getattr(torch, "__version__", "unknown")
    parsed = parse_version(str(version))
    if parsed is None or parsed < MIN_TORCH:
        wanted = ".".join(map(str, MIN_TORCH))
        return f"evgap_torch needs PyTorch {wanted} or newer, this Python has torch {version} ({torch.__file__})"
    return None
