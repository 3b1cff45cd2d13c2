"""A search page's floor: what the shop's own views cost with nothing rendered
(tests/bench/search_floor.py)."""
