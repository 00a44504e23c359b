"""Access-matrix rows for equipment, gathered from the matrix_*.py files of this folder."""

import importlib
from pathlib import Path

ROWS: list = []
for _path in sorted(Path(__file__).parent.glob("matrix_*.py")):
    ROWS.extend(importlib.import_module(f"tests.equipment.{_path.stem}").ROWS)
