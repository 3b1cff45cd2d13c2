from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo seeding behind `make run`: an app so that `manage.py
    demo_setup` is found. It has no models and nothing user-facing."""

    name = "marketplace.demo"
    label = "demo"
