"""`manage.py cms_sections`: the fairs, events and villages sections, the
Organizers and Moderators groups and the moderation workflow."""

from django.core.management.base import BaseCommand

from cms.services import cms_sections_ensure


class Command(BaseCommand):
    help = (
        "Tạo các mục Hội chợ, Sự kiện, Làng nghề, nhóm Organizers, Moderators "
        "và quy trình kiểm duyệt (chạy lại an toàn)."
    )

    def handle(self, *args, **options):
        result = cms_sections_ensure()
        created = ", ".join(result["created"]) or "nothing new"
        self.stdout.write(
            self.style.SUCCESS(
                f"CMS sections ready under '{result['home'].title}': "
                f"{result['fairs'].get_url()}, {result['events'].get_url()}, "
                f"{result['villages'].get_url()}; created: {created}."
            )
        )
