"""The embedded default's demo: the data `make run` seeds and the code that seeds it.

This room sits on the top floor: it may import every other room (catalogue,
cms, registry, search) and none imports it. Its data lives as JSON under
`data/` (pages, operator, prices, the product families and the bundled
Hanoi registry snapshot); `manage.py demo_setup` loads it through the same
services production uses, as Wagtail's bakerydemo does with
`load_initial_data`.
"""
