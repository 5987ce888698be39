from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for ``make run`` (``manage.py load_demo``): the top floor, it may import
    every app and none imports it."""

    name = "demo"
