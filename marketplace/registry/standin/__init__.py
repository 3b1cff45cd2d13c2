"""The stand-in OCOP registry: the project's only fake, served over real HTTP.

See `server.py` for why it exists and `faults.py` for the failures it can
play. `python -m marketplace.registry.standin --help` runs it by hand.
"""

from .faults import MALFORMATIONS, Faults
from .server import ServedRequest, StandinServer, build_page

__all__ = ["MALFORMATIONS", "Faults", "ServedRequest", "StandinServer", "build_page"]
