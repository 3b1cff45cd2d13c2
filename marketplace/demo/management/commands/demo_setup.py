"""`manage.py demo_setup`: the embedded default's demo content and operator."""

from django.conf import settings
from django.core.management.base import BaseCommand

from marketplace.demo import content
from marketplace.demo.services import demo_site_setup


class Command(BaseCommand):
    help = (
        "Tạo trang chủ, tài khoản quản trị và đồng bộ bản chụp OCOP Hà Nội qua máy chủ thay thế "
        "(chạy lại an toàn)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--operator-password",
            default="ocop-demo-2026",
            help="Password for the demo operator account (demo only).",
        )

    def handle(self, *args, operator_password: str, **options):
        result = demo_site_setup(operator_password=operator_password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {result.products_created} products synced from the registry "
                f"snapshot, {result.products_priced} given demo prices. "
                f"Operator: {content.OPERATOR_EMAIL} / "
                f"{operator_password if result.operator_created else '(unchanged)'} "
                f"at {settings.SITE_URL.rstrip('/')}/dashboard/ and /cms-admin/"
            )
        )
