"""The registry's writes, one import away: what tasks, commands and
screens call.

Each lives in the module of its job, which says why it works as it does:
- `sync.py`: `certificate_sync` (crawl a source, then apply it) and
  `decision_list_import` (an operator's uploaded province list);
  `runs.py`: `sync_progress`, how far a running sync has got;
- `apply.py`: upserting validated records into producers, certificates and
  (through `catalogue.services`) the products that sell them;
- `rejections.py`: records that could not be read, kept once each;
- `producers.py`: creating producers with their partners, and
  `producers_heal`, which splits rows that merged two producers;
- `photos.py`: `photos_fetch`, the product photos records name, fetched
  after the sync committed;
- `expiry.py`: `expiry_warnings_send`, mail before a certificate expires.
"""

from marketplace.registry.expiry import expiry_warnings_send
from marketplace.registry.photos import PhotoFetchResult, photo_check, photos_fetch
from marketplace.registry.producers import producers_heal
from marketplace.registry.rejections import rejections_store
from marketplace.registry.runs import PROGRESS_KEY, sync_progress
from marketplace.registry.sync import certificate_sync, decision_list_import

__all__ = [
    "PROGRESS_KEY",
    "PhotoFetchResult",
    "certificate_sync",
    "decision_list_import",
    "expiry_warnings_send",
    "photo_check",
    "photos_fetch",
    "producers_heal",
    "rejections_store",
    "sync_progress",
]
