"""The domains of technical cooperation seen at the DCI (shared/reference/context.md), with
their OECD DAC sector codes for IATI files."""

from django.db import migrations

DOMAINS = [
    ("judicial_police", "Police judiciaire (stupéfiants, terrorisme)", "15210"),
    ("intervention", "Unités d'intervention", "15210"),
    ("forensics", "Police technique et scientifique", "15130"),
    ("public_order", "Ordre public et maintien de l'ordre", "15210"),
    ("border_document_fraud", "Frontières et fraude documentaire", "15190"),
    ("irregular_immigration", "Immigration irrégulière", "15190"),
    ("road_safety", "Sécurité routière et secours", "15210"),
    ("civil_protection", "Sécurité civile et lutte contre l'incendie", "74020"),
    ("local_administration", "Administration territoriale et collectivités locales", "15112"),
    ("cyber", "Cybercriminalité et cybersécurité", "15210"),
    ("anti_corruption", "Lutte contre la corruption", "15113"),
    ("governance", "Gouvernance et administration de la sécurité", "15210"),
]


def forwards(apps, schema_editor):
    Domain = apps.get_model("cooperation", "Domain")
    for order, (code, label, dac) in enumerate(DOMAINS, start=1):
        Domain.objects.update_or_create(
            code=code, defaults={"label": label, "dac_code": dac, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0001_programmes_actions_funding")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
