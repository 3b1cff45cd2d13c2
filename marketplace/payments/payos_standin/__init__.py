"""A stand-in payOS server on loopback: the one fake besides the registry's.

payOS cannot be reached from development machines or CI, and its sandbox
would need real keys, so `make run` and the tests talk to this server through
the real `payos` SDK over HTTP. It answers payOS's API shape (create, get and
cancel a payment request, confirm a webhook URL) with the codes and
signatures the SDK checks, plays the bank (`pay` settles a request and sends
the signed webhook, in full, short, late, twice or never), and misbehaves on
request (delay, 5xx, refusal, bad signatures). Standard library only.
"""

from .server import PayosStandin, StandinFaults

__all__ = ["PayosStandin", "StandinFaults"]
