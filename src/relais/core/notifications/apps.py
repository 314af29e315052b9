from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "relais.core.notifications"
    label = "notifications"
    verbose_name = "Notifications"
