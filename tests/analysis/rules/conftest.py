"""Makes `rule_helpers` (cell builders for the rule tables) importable from these tests."""

from __future__ import annotations

import sys
from pathlib import Path

# --import-mode=importlib does not put test folders on sys.path.
sys.path.insert(0, str(Path(__file__).parent))
