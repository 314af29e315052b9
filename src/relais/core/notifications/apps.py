from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    name = "relais.core.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Modules may register their deadline sources in `<app>/deadlines.py`.
        autodiscover_modules("deadlines")
