"""Demo-only values for `make run`: the operator account and the prices the
demo gives synced products so the shop is alive. Product data itself comes
from the bundled Hanoi registry snapshot, through the real sync."""

from decimal import Decimal

OPERATOR_USERNAME = "operator"
OPERATOR_EMAIL = "operator@ocop.local"

# (lowest, highest) price in đồng by the registry's type code
PRICE_RANGES = {
    "food": (Decimal("35000"), Decimal("250000")),
    "drink": (Decimal("30000"), Decimal("450000")),
    "herbs": (Decimal("60000"), Decimal("600000")),
    "cloth": (Decimal("250000"), Decimal("2500000")),
    "keepsake": (Decimal("150000"), Decimal("3500000")),
    "travel": (Decimal("150000"), Decimal("1200000")),
}

# Tile colours for generated demo images, by type code
COLORS = {
    "food": (120, 150, 60),
    "drink": (70, 120, 170),
    "herbs": (60, 130, 100),
    "cloth": (160, 50, 90),
    "keepsake": (176, 74, 43),
    "travel": (200, 140, 40),
}
