"""Information reports rest on the first paragraph of article 1 as well as on a: operational
cooperation of the police and the gendarmerie (« La direction de la coopération internationale
anime, coordonne et met en œuvre les coopérations technique, opérationnelle et institutionnelle
des directions générales de la police et de la gendarmerie nationales »). Existing reports that
carry a gain the first paragraph. Frozen here: a migration must not change with the code.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Mission = apps.get_model("legal", "Mission")
    Report = apps.get_model("information", "InformationReport")
    first = Mission.objects.filter(code="preamble-1").first()
    letter_a = Mission.objects.filter(code="a").first()
    if first is None or letter_a is None:  # a new database: the article is synced after migrate
        return
    Link = Report.missions.through
    have_first = Link.objects.filter(mission_id=first.pk).values("informationreport_id")
    missing = (
        Link.objects.filter(mission_id=letter_a.pk)
        .exclude(informationreport_id__in=have_first)
        .values_list("informationreport_id", flat=True)
    )
    Link.objects.bulk_create(
        [Link(informationreport_id=pk, mission_id=first.pk) for pk in missing.iterator()],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("information", "0004_routing_rules_mission_a_recipients"),
        ("legal", "0001_missions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
