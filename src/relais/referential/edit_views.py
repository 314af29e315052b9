"""Edit pages of the referential for administrators (optimistic locking, audit, markings).

STUB — implemented by the shared-mechanisms work (audit/locking). URL names, used by detail pages:
referential:unit-edit (code), referential:person-edit (pk), referential:post-edit (code),
referential:partner-edit (pk).
"""

from django.http import Http404


def unit_edit(request, code):
    raise Http404


def post_edit(request, code):
    raise Http404


def person_edit(request, pk):
    raise Http404


def partner_edit(request, pk):
    raise Http404
