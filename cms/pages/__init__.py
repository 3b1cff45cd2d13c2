"""Wagtail page types, one module per section; `cms/models.py` imports them
so Django finds the models."""
