"""The bundled Hanoi demo snapshot and the generator that writes it.

`hanoi_snapshot.json` is what the stand-in registry serves by default;
regenerate it with `python -m marketplace.registry.demo.build_snapshot`.
"""

from pathlib import Path

SNAPSHOT_PATH = Path(__file__).resolve().with_name("hanoi_snapshot.json")

__all__ = ["SNAPSHOT_PATH"]
