"""The domains agreements cover (context.md: the « new generation » model text of 2007)."""

from django.db import migrations

DOMAINS = [
    ("terrorism", "Terrorisme"),
    ("organised_crime", "Criminalité organisée"),
    ("arms_nrbc", "Trafic d'armes et de matières NRBC"),
    ("irregular_immigration", "Immigration irrégulière"),
    ("human_trafficking", "Traite des êtres humains"),
    ("drugs", "Trafic de stupéfiants"),
    ("money_laundering", "Blanchiment"),
    ("counterfeiting", "Contrefaçon et fausse monnaie"),
    ("cybercrime", "Cybercriminalité"),
    ("document_fraud", "Fraude documentaire"),
    ("border_management", "Gestion des frontières"),
    ("public_order", "Ordre public"),
    ("road_safety", "Sécurité routière"),
    ("civil_security", "Sécurité civile"),
    ("training", "Formation"),
    ("local_government", "Administration territoriale"),
]


def add_domains(apps, schema_editor):
    Domain = apps.get_model("agreements", "Domain")
    for order, (code, label) in enumerate(DOMAINS, start=1):
        Domain.objects.get_or_create(code=code, defaults={"label": label, "order": order})


def remove_domains(apps, schema_editor):
    Domain = apps.get_model("agreements", "Domain")
    Domain.objects.filter(code__in=[code for code, _ in DOMAINS]).delete()


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_agreements_negotiation_follow_up")]

    operations = [migrations.RunPython(add_domains, remove_domains)]
