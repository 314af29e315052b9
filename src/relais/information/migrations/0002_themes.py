"""The themes of operational information (API codes), five-year retention by default."""

from django.db import migrations

THEMES = (
    ("terrorism", "Terrorisme (coopération policière)"),
    ("organised_crime", "Criminalité organisée"),
    ("drugs", "Trafic de stupéfiants"),
    ("irregular_immigration", "Immigration irrégulière"),
    ("document_fraud", "Fraude documentaire"),
    ("human_trafficking", "Traite des êtres humains"),
    ("cybercrime", "Cybercriminalité"),
    ("arms_trafficking", "Trafic d'armes"),
    ("public_order", "Ordre public"),
    ("nationals_security", "Sécurité des ressortissants français"),
    ("other", "Autre"),
)


def create_themes(apps, schema_editor):
    Theme = apps.get_model("information", "Theme")
    for order, (code, label) in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("information", "0001_reports_disseminations_analysis")]

    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
