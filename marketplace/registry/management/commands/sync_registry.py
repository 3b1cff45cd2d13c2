"""`manage.py sync_registry [--source URL|FILE] [--dry-run] [--no-photos]`."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from marketplace.registry.services import certificate_sync, photos_fetch
from marketplace.registry.sources import registry_source


class Command(BaseCommand):
    help = (
        "Đồng bộ chứng nhận OCOP từ hệ thống quốc gia, bản chụp JSON hoặc danh sách quyết định "
        "(CSV/XLSX). Sync OCOP certificates from the registry, a snapshot or a decision list."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", help="Registry URL, snapshot .json, or decision list .csv/.xlsx"
        )
        parser.add_argument("--dry-run", action="store_true", help="Count changes, then roll back.")
        parser.add_argument(
            "--no-photos", action="store_true", help="Do not download the records' photos now."
        )

    def handle(self, *args, source=None, dry_run=False, no_photos=False, **options):
        try:
            client, full = registry_source(source)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        bar = tqdm(desc="Thu thập", unit=" bản ghi", disable=options["verbosity"] == 0)

        def progress(fetched: int, expected: int | None) -> None:
            if expected and bar.total != expected:
                bar.total = expected
            bar.update(fetched - bar.n)

        run = certificate_sync(
            client=client, dry_run=dry_run, reconcile_absences=full, progress=progress
        )
        bar.close()
        line = f"{run.status}{' (dry run)' if dry_run else ''}: {run.summary()}"
        if run.duration_seconds is not None:
            line += f" in {run.duration_seconds:.1f}s"
        if run.alert:
            line += f" | {run.alert}"
        if run.error:
            line += f" | {run.error}"
        style = self.style.SUCCESS if run.status == "succeeded" else self.style.WARNING
        self.stdout.write(style(line))
        if run.status == "failed":
            raise CommandError("sync failed; nothing was changed")
        if not (dry_run or no_photos) and hasattr(client, "fetch_image"):
            self._photos(client, run, quiet=options["verbosity"] == 0)

    def _photos(self, client, run, *, quiet: bool) -> None:
        bar = tqdm(desc="Ảnh sản phẩm", unit=" ảnh", disable=quiet)

        def progress(done: int, total: int | None) -> None:
            bar.total = total
            bar.update(done - bar.n)

        result = photos_fetch(client=client, run=run, progress=progress)
        bar.close()
        self.stdout.write(result.summary())
