"""The lifecycles of mission b: the action (proposée → instruite → avis du MEAE → programmée →
en cours → réalisée → évaluée, with annulée and reportée) and the yearly programme (en
préparation → soumis à l'avis du MEAE → adopté).

Article 1, b: the DCI programmes, implements and follows the actions « en liaison avec le
ministère des affaires étrangères et les organismes concourant au financement de ces actions ».
The MEAE's opinion is therefore a recorded step for the actions that rest on b (those of the
police and the gendarmerie): such an action reaches « programmée » only from « avis MEAE » once
the opinion is recorded (`record_opinion`, a transition that keeps the state and writes the
opinion in the log), and only when it is not unfavourable, or by resuming a postponed action
whose opinion is already recorded. The other letters (c to g, second paragraph) name no liaison
with the MEAE: for those actions the opinion is optional — « Programmer sans avis du MEAE »
(`program_directly`) leads from « instruite » to « programmée », and is neither offered nor
accepted for an action resting on b (its guard); an opinion asked for all the same
is recorded as above, and an unfavourable one still stops the action.
"""

from django.db import models

from relais.accounts.roles import Role
from relais.core.workflow.engine import Transition, Workflow


class ActionStatus(models.TextChoices):
    """States of an action; the codes are those of the API."""

    PROPOSED = "proposed", "proposée"
    UNDER_REVIEW = "under_review", "instruite"
    MEAE_OPINION = "meae_opinion", "avis MEAE"
    PROGRAMMED = "programmed", "programmée"
    IN_PROGRESS = "in_progress", "en cours"
    COMPLETED = "completed", "réalisée"
    EVALUATED = "evaluated", "évaluée"
    CANCELLED = "cancelled", "annulée"
    POSTPONED = "postponed", "reportée"


class MeaeOpinion(models.TextChoices):
    FAVOURABLE = "favorable", "favorable"
    RESERVED = "reserve", "réservé"
    UNFAVOURABLE = "defavorable", "défavorable"


class ProgrammeStatus(models.TextChoices):
    PREPARATION = "preparation", "en préparation"
    SUBMITTED = "submitted", "soumis à l'avis du MEAE"
    ADOPTED = "adopted", "adopté"


#: States in which an action is still to be carried out (open work).
OPEN_STATES = frozenset(
    {
        ActionStatus.PROPOSED,
        ActionStatus.UNDER_REVIEW,
        ActionStatus.MEAE_OPINION,
        ActionStatus.PROGRAMMED,
        ActionStatus.IN_PROGRESS,
        ActionStatus.POSTPONED,
    }
)
#: States of an action that was carried out.
DONE_STATES = frozenset({ActionStatus.COMPLETED, ActionStatus.EVALUATED})

HEADQUARTERS = frozenset({Role.PILOTAGE, Role.CHARGE_MISSION})
FIELD = frozenset({Role.PILOTAGE, Role.CHARGE_MISSION, Role.ATTACHE})


# --- Guards -------------------------------------------------------------------------------------


def opinion_required(action, user):
    """Refuses the step that skips the MEAE for an action resting on b (the engine runs guards
    before offering a button: it is not shown either)."""
    if action.needs_meae_opinion():
        return (
            "Article 1, b : les actions de coopération technique de la police et de la "
            "gendarmerie nationales sont programmées « en liaison avec le ministère des affaires "
            "étrangères » : soumettez l'action à l'avis du MEAE avant de la programmer."
        )
    return None


def opinion_recorded(action, user):
    if not action.meae_opinion and action.needs_meae_opinion():
        return (
            "L'avis du MEAE doit être enregistré (favorable, réservé ou défavorable, avec son "
            "commentaire) avant de programmer l'action."
        )
    if action.meae_opinion == MeaeOpinion.UNFAVOURABLE:
        return (
            "L'avis du MEAE est défavorable : l'action ne peut pas être programmée. Annulez-la "
            "ou reportez-la."
        )
    return None


def opinion_not_yet_recorded(action, user):
    if action.meae_opinion:
        return (
            "L'avis du MEAE est déjà enregistré : reprenez l'action à l'état « programmée » "
            "(ou annulez-la)."
        )
    return None


def end_not_before_start(action, user):
    if action.actual_end and action.actual_start and action.actual_end < action.actual_start:
        return "La date réelle de fin précède la date réelle de début."
    return None


def has_evaluation(action, user):
    from relais.cooperation.models import Evaluation

    if not Evaluation.objects.filter(action_id=action.pk).exists():
        return "Saisissez l'évaluation de l'action (objectifs atteints, appréciation, enseignements) avant de la clore."
    return None


def _action_recipients(action):
    return action.followers()


ACTION_WORKFLOW = Workflow(
    "cooperation.CooperationAction",
    field="status",
    notify=_action_recipients,
    transition_url_name="cooperation:action-transition",
    page_url_name="cooperation:action-workflow",
    badges={
        ActionStatus.PROPOSED: "new",
        ActionStatus.MEAE_OPINION: "warning",
        ActionStatus.PROGRAMMED: "info",
        ActionStatus.IN_PROGRESS: "info",
        ActionStatus.COMPLETED: "success",
        ActionStatus.EVALUATED: "success",
        ActionStatus.CANCELLED: "error",
        ActionStatus.POSTPONED: "warning",
    },
    transitions=[
        Transition(
            name="review",
            source=[ActionStatus.PROPOSED],
            target=ActionStatus.UNDER_REVIEW,
            label="Instruire",
            roles=HEADQUARTERS,
            description="La DCI (administration centrale) prend la demande en instruction.",
        ),
        Transition(
            name="request_opinion",
            source=[ActionStatus.UNDER_REVIEW],
            target=ActionStatus.MEAE_OPINION,
            label="Soumettre à l'avis du MEAE",
            roles=HEADQUARTERS,
        ),
        Transition(
            name="record_opinion",
            source=[ActionStatus.MEAE_OPINION],
            target=ActionStatus.MEAE_OPINION,
            label="Enregistrer l'avis du MEAE",
            roles=HEADQUARTERS,
            comment_required=True,
            fields=("meae_opinion", "meae_opinion_on"),
            required_fields=("meae_opinion",),
            description="L'avis (favorable, réservé ou défavorable) et son commentaire.",
        ),
        Transition(
            name="program_directly",
            source=[ActionStatus.UNDER_REVIEW],
            target=ActionStatus.PROGRAMMED,
            label="Programmer sans avis du MEAE",
            roles=HEADQUARTERS,
            guard=opinion_required,
            button="secondary",
            description="L'avis du MEAE n'est requis que pour les actions fondées sur le b "
            "(police et gendarmerie).",
        ),
        Transition(
            name="program",
            source=[ActionStatus.MEAE_OPINION],
            target=ActionStatus.PROGRAMMED,
            label="Programmer",
            roles=HEADQUARTERS,
            guard=opinion_recorded,
        ),
        Transition(
            name="start",
            source=[ActionStatus.PROGRAMMED],
            target=ActionStatus.IN_PROGRESS,
            label="Démarrer",
            roles=FIELD,
            fields=("actual_start",),
            required_fields=("actual_start",),
        ),
        Transition(
            name="complete",
            source=[ActionStatus.IN_PROGRESS],
            target=ActionStatus.COMPLETED,
            label="Constater la réalisation",
            roles=FIELD,
            guard=end_not_before_start,
            fields=("actual_end",),
            required_fields=("actual_end",),
        ),
        Transition(
            name="evaluate",
            source=[ActionStatus.COMPLETED],
            target=ActionStatus.EVALUATED,
            label="Clore l'évaluation",
            roles=FIELD,
            guard=has_evaluation,
        ),
        Transition(
            name="postpone",
            source=[ActionStatus.UNDER_REVIEW, ActionStatus.MEAE_OPINION, ActionStatus.PROGRAMMED],
            target=ActionStatus.POSTPONED,
            label="Reporter",
            roles=FIELD,
            comment_required=True,
            fields=("postponed_to",),
            required_fields=("postponed_to",),
            button="secondary",
            description="Le motif (commentaire) et la nouvelle date sont obligatoires.",
        ),
        Transition(
            name="resume_review",
            source=[ActionStatus.POSTPONED],
            target=ActionStatus.UNDER_REVIEW,
            label="Reprendre l'instruction",
            roles=HEADQUARTERS,
            guard=opinion_not_yet_recorded,
            button="secondary",
        ),
        Transition(
            name="resume",
            source=[ActionStatus.POSTPONED],
            target=ActionStatus.PROGRAMMED,
            label="Reprogrammer",
            roles=HEADQUARTERS,
            guard=opinion_recorded,
            fields=("planned_start", "planned_end"),
            button="secondary",
        ),
        Transition(
            name="cancel",
            source=[
                ActionStatus.PROPOSED,
                ActionStatus.UNDER_REVIEW,
                ActionStatus.MEAE_OPINION,
                ActionStatus.PROGRAMMED,
                ActionStatus.POSTPONED,
            ],
            target=ActionStatus.CANCELLED,
            label="Annuler",
            roles=HEADQUARTERS,
            comment_required=True,
            button="tertiary",
        ),
    ],
)


def programme_opinion_not_unfavourable(programme, user):
    if programme.meae_opinion == MeaeOpinion.UNFAVOURABLE:
        return "L'avis du MEAE est défavorable : renvoyez la programmation en préparation."
    return None


PROGRAMME_WORKFLOW = Workflow(
    "cooperation.Programme",
    field="status",
    notify=lambda programme: programme.followers(),
    transition_url_name="cooperation:programme-transition",
    page_url_name="cooperation:programme-workflow",
    badges={
        ProgrammeStatus.PREPARATION: "new",
        ProgrammeStatus.SUBMITTED: "warning",
        ProgrammeStatus.ADOPTED: "success",
    },
    transitions=[
        Transition(
            name="submit",
            source=[ProgrammeStatus.PREPARATION],
            target=ProgrammeStatus.SUBMITTED,
            label="Soumettre à l'avis du MEAE",
            roles=HEADQUARTERS,
        ),
        Transition(
            name="adopt",
            source=[ProgrammeStatus.SUBMITTED],
            target=ProgrammeStatus.ADOPTED,
            label="Adopter (avis du MEAE reçu)",
            roles={Role.PILOTAGE},
            guard=programme_opinion_not_unfavourable,
            comment_required=True,
            fields=("meae_opinion", "meae_opinion_on"),
            required_fields=("meae_opinion",),
        ),
        Transition(
            name="rework",
            source=[ProgrammeStatus.SUBMITTED],
            target=ProgrammeStatus.PREPARATION,
            label="Renvoyer en préparation",
            roles=HEADQUARTERS,
            comment_required=True,
            button="secondary",
        ),
    ],
)
