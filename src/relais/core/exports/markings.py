"""The marking an export carries: the highest marking among the exported rows."""

from relais.core.markings import MARKING_LEVEL, Marking


def has_marking_field(model) -> bool:
    return any(f.name == "marking" for f in model._meta.concrete_fields)


def highest_marking(queryset) -> str:
    """The highest marking among the rows of `queryset` (one query), « non protégé » if none."""
    if not has_marking_field(queryset.model):
        return Marking.NON_PROTEGE
    restricted = [m for m, level in MARKING_LEVEL.items() if level > 0]
    if queryset.filter(marking__in=restricted).exists():
        return Marking.DIFFUSION_RESTREINTE
    return Marking.NON_PROTEGE


def marking_label(marking: str) -> str:
    """« Diffusion restreinte » or « Non protégé »."""
    try:
        return Marking(marking).label
    except ValueError:
        return Marking.NON_PROTEGE.label


def is_restricted(marking: str) -> bool:
    return MARKING_LEVEL.get(marking, 0) > 0
