"""`manage.py messages_update` (or `make messages`): refresh both catalogues.

Use it instead of `makemessages`: it knows which catalogue each id belongs
in (Vietnamese ids to `locale/en`, Oscar's English ids to `locale/vi` where
Oscar lacks them) and writes the .mo files Django reads beside the .po
files translators edit, so the two never drift apart.
"""

from django.core.management.base import BaseCommand

from marketplace.translations.catalogues import (
    catalogue_path,
    update_catalogues,
    update_script_catalogue,
)


class Command(BaseCommand):
    help = "Cập nhật locale/en và locale/vi theo các chuỗi đang dùng (thay cho makemessages)."

    def handle(self, *args, **options):
        missing = update_catalogues()
        for language, count in missing.items():
            path = catalogue_path(language).relative_to(catalogue_path(language).parents[3])
            state = f"{count} chưa dịch" if count else "đủ"
            self.stdout.write(f"{path}: {state}")
        count = update_script_catalogue()
        state = f"{count} chưa dịch" if count else "đủ"
        self.stdout.write(f"locale/vi/LC_MESSAGES/djangojs.po (Wagtail admin scripts): {state}")
