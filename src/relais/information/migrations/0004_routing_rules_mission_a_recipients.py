"""Routing rules propose only the recipients letter a names: « leur transmission aux directions et
services concernés de la police et de la gendarmerie nationales ».

Units outside the police and the gendarmerie (DGEF, its immigration directorate, the DGSCGC's
crisis centre…) are taken out of every rule; the rules proposed at installation get the units
they propose now (irregular immigration and document fraud → the border police). Frozen here:
a migration must not change with the code. Disseminations already made stay as they were (the
history of what was sent).
"""

from django.db import migrations

#: Roots of the recipients of mission a: the police, the gendarmerie, and the DCI (their joint
#: directorate; not its network of posts abroad).
POLICE_GENDARMERIE = ("DGPN", "DGGN")
DCI, NETWORK = "DCI", "DCI-RESEAU"
SEEDED_NOTE = "Règle proposée à l'installation."
SEEDS = {
    "irregular_immigration": ("DCPAF",),
    "document_fraud": ("DCPAF", "PJGN"),
    "nationals_security": ("DCI-CVO", "DCI-SDCMP-CRISES"),
}


def forwards(apps, schema_editor):
    Unit = apps.get_model("referential", "Unit")
    RoutingRule = apps.get_model("information", "RoutingRule")
    roots = list(
        Unit.objects.filter(beneficiary__in=POLICE_GENDARMERIE).values_list("path", flat=True)
    ) + list(Unit.objects.filter(code=DCI).values_list("path", flat=True))

    def eligible(unit) -> bool:
        return (
            any(unit.path.startswith(root) for root in roots)
            and not unit.is_intelligence
            and f"/{NETWORK}/" not in unit.path
        )

    seeds = {u.code: u for u in Unit.objects.filter(code__in={c for v in SEEDS.values() for c in v})}
    for rule in RoutingRule.objects.select_related("theme").prefetch_related("units"):
        refused = [u for u in rule.units.all() if not eligible(u)]
        if refused:
            rule.units.remove(*refused)
        if rule.note == SEEDED_NOTE and rule.country_id is None and rule.theme.code in SEEDS:
            rule.units.add(*[seeds[c] for c in SEEDS[rule.theme.code] if c in seeds])


class Migration(migrations.Migration):
    dependencies = [
        ("information", "0003_queue_inbox_board_indexes"),
        ("referential", "0002_assignment_status"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
