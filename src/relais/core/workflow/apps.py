from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class WorkflowConfig(AppConfig):
    name = "relais.core.workflow"
    label = "workflow"
    verbose_name = "Circuits de validation"

    def ready(self):
        # Each app declares its workflows in `<app>/workflows.py`; import them all at start-up so
        # the registry is complete for generic views, the API and commands.
        autodiscover_modules("workflows")
