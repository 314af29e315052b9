"""The roles of ARCHITECTURE.md §1. Scope = role + unit."""

from django.db import models


class Role(models.TextChoices):
    PILOTAGE = "pilotage", "Pilotage"
    CHARGE_MISSION = "charge_mission", "Chargé de mission"
    ANALYSTE = "analyste", "Analyste"
    ATTACHE = "attache", "Attaché de sécurité intérieure"
    CORRESPONDANT = "correspondant", "Correspondant"
    LECTEUR = "lecteur", "Lecteur"
    ADMINISTRATEUR = "administrateur", "Administrateur"


#: DCI headquarters staff who work on the DCI's records.
HEADQUARTERS_ROLES = frozenset({Role.PILOTAGE, Role.CHARGE_MISSION, Role.ANALYSTE})
#: Roles that never write business records.
READ_ONLY_ROLES = frozenset({Role.LECTEUR})
