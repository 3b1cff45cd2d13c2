"""The stand-in payOS's merchant keys: public, in this repository.

Anyone can sign a webhook with them, so a production site must never accept
them (marketplace/settings/production.py refuses to start with them unless
PAYOS_ALLOW_STANDIN says the site is a test deployment). Standard library
only: the settings import this module.
"""

STANDIN_CLIENT_ID = "standin-client"
STANDIN_API_KEY = "standin-api-key"
STANDIN_CHECKSUM_KEY = "standin-checksum-key"
STANDIN_KEYS = frozenset({STANDIN_CLIENT_ID, STANDIN_API_KEY, STANDIN_CHECKSUM_KEY})

# Where the SDK talks to payOS itself (its default when PAYOS_BASE_URL is empty).
PAYOS_API_URL = "https://api-merchant.payos.vn"
