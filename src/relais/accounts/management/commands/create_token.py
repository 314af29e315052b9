"""`relais create-token USERNAME`: print a new API token for that user, and nothing else."""

from django.core.management.base import BaseCommand, CommandError

from relais.accounts.models import User
from relais.accounts.services import create_api_token


class Command(BaseCommand):
    help = "Crée un jeton d'API pour l'utilisateur et l'écrit seul sur la sortie standard."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Jeton créé en ligne de commande")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Aucun utilisateur « {username} ».")
        if not user.is_active:
            raise CommandError(f"Le compte « {username} » est désactivé.")
        _token, raw = create_api_token(user, name)
        self.stdout.write(raw)
