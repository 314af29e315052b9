"""`relais audit verify`: check that the audit chain is intact and agrees with every checkpoint
kept outside the database, then record a new checkpoint (exit 1 naming the first break).
`relais audit checkpoint`: record the chain head in the checkpoint file (daily task)."""

from django.core.management.base import BaseCommand, CommandError

from relais.core.audit.checkpoints import (
    CheckpointError,
    append_checkpoint,
    checkpoint_file,
    current_head,
    read_checkpoints,
)
from relais.core.audit.events import verify_chain
from relais.core.audit.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Journal d'audit. « verify » contrôle la chaîne d'empreintes et les points de contrôle "
        "(code 1 si elle est rompue ou tronquée) ; « checkpoint » inscrit la tête de la chaîne "
        "dans le fichier des points de contrôle."
    )

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(
            dest="subcommand", title="sous-commandes", required=True, metavar="{verify,checkpoint}"
        )
        subcommands.add_parser(
            "verify",
            help="Parcourt la chaîne, la compare aux points de contrôle, signale le premier "
            "événement modifié, supprimé ou inséré, puis inscrit un point de contrôle.",
        )
        subcommands.add_parser(
            "checkpoint",
            help="Inscrit la tête de la chaîne (nombre, dernier événement, empreinte) dans le "
            "fichier des points de contrôle, hors de la base.",
        )

    def handle(self, *args, subcommand=None, **options):
        try:
            if subcommand == "verify":
                return self.verify()
            if subcommand == "checkpoint":
                return self.checkpoint()
        except CheckpointError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        raise CommandError(f"Sous-commande inconnue : {subcommand}")

    def verify(self):
        checkpoints = read_checkpoints()
        problem = verify_chain(checkpoints=checkpoints)
        if problem is not None:
            where = f" (événement n°{problem.event_id})" if problem.event_id else ""
            raise CommandError(f"Chaîne d'audit rompue{where} : {problem.message}", returncode=1)
        head = current_head()
        recorded = append_checkpoint(head)
        self.stdout.write(self.style.SUCCESS(f"Chaîne d'audit intègre : {head}"))
        self.stdout.write(
            f"Points de contrôle concordants : {len(checkpoints)} ; point n°{recorded.line} "
            f"inscrit dans {checkpoint_file()}"
        )

    def checkpoint(self):
        checkpoints = read_checkpoints()
        head = current_head()
        if checkpoints:
            last = checkpoints[-1].head
            kept = AuditEvent.objects.filter(pk=last.last_id).values_list("hash", flat=True).first()
            if head.count < last.count or (last.last_id and kept != last.last_hash):
                raise CommandError(
                    "Chaîne d'audit rompue : elle ne contient plus "
                    f"{checkpoints[-1].describe()} ; lancez « relais audit verify ».",
                    returncode=1,
                )
        recorded = append_checkpoint(head)
        self.stdout.write(
            self.style.SUCCESS(f"Point de contrôle d'audit n°{recorded.line} : {head}")
        )
