"""`manage.py search_index --rebuild`: a fresh index behind the alias."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search.client import OpenSearchNotConfigured, opensearch_client
from search.indexing import ALIAS, index_rebuild, indexable_products


class Command(BaseCommand):
    help = (
        "Xây lại chỉ mục tìm kiếm sản phẩm rồi chuyển alias sang chỉ mục mới (tìm kiếm không "
        "gián đoạn). Rebuild the product index and swap the alias."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Build a new index and swap.")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Only when no index exists yet (for container start-up).",
        )

    def handle(self, *args, rebuild=False, if_missing=False, **options):
        if not rebuild:
            raise CommandError("Nothing to do: pass --rebuild")
        try:
            client = opensearch_client(timeout=60)
        except OpenSearchNotConfigured as exc:
            raise CommandError(f"{exc}; the database backend needs no index") from exc
        if if_missing and client.indices.exists_alias(name=ALIAS):
            self.stdout.write(f"The index {ALIAS} exists; nothing to do.")
            return
        bar = tqdm(total=indexable_products().count(), desc="Lập chỉ mục", unit=" sp")
        name = index_rebuild(client=client, progress=lambda done: bar.update(done - bar.n))
        bar.close()
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {bar.n} products into {name}; alias swapped.")
        )
