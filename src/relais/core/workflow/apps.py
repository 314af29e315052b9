from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "relais.core.workflow"
    label = "workflow"
    verbose_name = "Circuits de validation"
