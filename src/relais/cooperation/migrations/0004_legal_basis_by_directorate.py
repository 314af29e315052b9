"""Every cooperation action on the parts of article 1 the text gives it, and the beneficiary
directorate chosen from the whole organisation tree of the ministry.

Until now every action carried b, including the administrative and governance actions of the SG
and the DGCL (c, d), and no record carried either opening paragraph. The letters below are
those of the competence assessment for article 1 as encoded at version 2013-08-12.1 (frozen
here: a migration must not change with the code):

- technical cooperation of the police and the gendarmerie (DGPN, DGGN and their services):
  first paragraph and b;
- technical cooperation of the DGSCGC, the DGEF, the DSCR: second paragraph and e, f, g;
- technical cooperation of the SG, the DGCL or any other directorate of the ministry: second
  paragraph (« au profit notamment »);
- administrative and governance cooperation of the SG: c; of the DGCL: d.

Programmes (the programming b gives the DCI for the police and the gendarmerie) gain the first
paragraph beside b.
"""

import django.db.models.deletion
from django.db import migrations, models

TECHNICAL = {
    "DGPN": ("preamble-1", "b"),
    "DGGN": ("preamble-1", "b"),
    "DGSCGC": ("preamble-2", "e"),
    "DGEF": ("preamble-2", "f"),
    "DSCR": ("preamble-2", "g"),
}
ADMINISTRATIVE = {"SG": ("c",), "DGCL": ("d",)}
ACTION_LETTERS = ("preamble-1", "preamble-2", "b", "c", "d", "e", "f", "g")
BATCH = 2000


def _letters(beneficiary: str, kind: str):
    if kind == "administrative_governance":
        return ADMINISTRATIVE.get(beneficiary)  # None: leave a record the text does not cover
    return TECHNICAL.get(beneficiary, ("preamble-2",))


def forwards(apps, schema_editor):
    Mission = apps.get_model("legal", "Mission")
    Unit = apps.get_model("referential", "Unit")
    Action = apps.get_model("cooperation", "CooperationAction")
    Programme = apps.get_model("cooperation", "Programme")
    missions = dict(Mission.objects.filter(code__in=ACTION_LETTERS).values_list("code", "pk"))
    if not missions:
        return  # a new database: the missions are synced after migrate, and no record exists
    named = list(Unit.objects.exclude(beneficiary="").values_list("path", "beneficiary"))

    def beneficiary_of(path: str) -> str:
        return next((code for prefix, code in named if path.startswith(prefix)), "")

    Through = Action.missions.through
    all_ids = list(missions.values())
    groups = Action.objects.values_list(
        "directorate_id", "directorate__path", "cooperation_kind"
    ).distinct()
    for directorate_id, path, kind in groups:
        letters = _letters(beneficiary_of(path or ""), kind)
        if letters is None:
            continue
        wanted = [missions[code] for code in letters if code in missions]
        actions = Action.objects.filter(directorate_id=directorate_id, cooperation_kind=kind)
        Through.objects.filter(
            cooperationaction_id__in=actions.values("pk"), mission_id__in=all_ids
        ).exclude(mission_id__in=wanted).delete()
        for mission_id in wanted:
            having = Through.objects.filter(mission_id=mission_id).values("cooperationaction_id")
            missing = actions.exclude(pk__in=having).values_list("pk", flat=True)
            rows = [Through(cooperationaction_id=pk, mission_id=mission_id) for pk in missing]
            Through.objects.bulk_create(rows, batch_size=BATCH)

    if "preamble-1" in missions:
        Link = Programme.missions.through
        having = Link.objects.filter(mission_id=missions["preamble-1"]).values("programme_id")
        missing = Programme.objects.exclude(pk__in=having).values_list("pk", flat=True)
        Link.objects.bulk_create(
            [Link(programme_id=pk, mission_id=missions["preamble-1"]) for pk in missing],
            batch_size=BATCH,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0003_action_agreement"),
        ("legal", "0001_missions"),
        ("referential", "0002_assignment_status"),
    ]

    operations = [
        migrations.AlterField(
            model_name="cooperationaction",
            name="directorate",
            field=models.ForeignKey(
                help_text="La direction du ministère dont c'est la coopération (DGPN, DGGN, SG, "
                "DLPAJ…), choisie dans l'organigramme.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cooperation_actions",
                to="referential.unit",
                verbose_name="direction bénéficiaire",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
    ]
