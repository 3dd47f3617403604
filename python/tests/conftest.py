"""pytest setup for evgap_torch's own tests: the package is imported from python/ (run `python3 -m pytest python/tests`
from the repository root; `npm test` does it through test/python/pytest.test.ts)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
