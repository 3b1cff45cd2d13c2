from django.apps import AppConfig


class ProducersConfig(AppConfig):
    """Producer accounts: who may act for which chủ thể."""

    name = "marketplace.producers"
    label = "producers"
    verbose_name = "Tài khoản chủ thể"
