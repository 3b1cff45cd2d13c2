"""`manage.py media_store_prepare`: make the media bucket ready before the
web processes take uploads (compose's one-off `migrate` service runs it).

With media on local disk there is nothing to prepare, and it says so.
"""

from django.core.files.storage import storages
from django.core.management.base import BaseCommand

from marketplace.core.storages import MediaStorage


class Command(BaseCommand):
    help = "Create the media bucket if missing and make its public prefixes readable (idempotent)."

    def handle(self, *args, **options):
        prepared = set()
        for alias in ("default", "private"):
            storage = storages[alias]
            if not isinstance(storage, MediaStorage) or storage.bucket_name in prepared:
                continue
            created = storage.bucket_prepare()
            prepared.add(storage.bucket_name)
            self.stdout.write(
                f"media bucket {storage.bucket_name}: {'created' if created else 'present'}, "
                f"public read on {', '.join(storage.public_prefixes)} under "
                f"'{storage.location or '/'}'"
            )
        if not prepared:
            self.stdout.write("media on local disk: nothing to prepare")
