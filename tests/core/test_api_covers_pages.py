"""The API covers every page (issue 11): each named page of the URL conf is declared here with
the API URL names that do what it does, or in `NOT_IN_API` with the reason it has no
counterpart. A new page without an entry fails; so does an entry naming an API route that does
not exist, or a page that no longer exists.

Read a line as: what the page at `agreements:round-create` lets a user do, a client does with
`api:agreement-round-list` (`POST /api/v1/agreements/<id>/rounds/`).
"""

from django.urls import URLPattern, URLResolver, get_resolver

#: page URL name → the API URL names doing what the page does.
PAGES_IN_API = {
    # Account
    "accounts:account": ["api:me"],
    # « L'article 1 »
    "legal:article": ["api:legal-missions"],
    "legal:assess": ["api:legal-assess"],
    # Organisation (referential)
    "referential:units": ["api:unit-list"],
    "referential:unit-detail": ["api:unit-detail"],
    "referential:unit-edit": ["api:unit-detail"],  # PUT/PATCH
    "referential:posts": ["api:post-list"],
    "referential:post-detail": ["api:post-detail"],
    "referential:post-edit": ["api:post-detail"],
    "referential:countries": ["api:country-list", "api:zone-list"],
    "referential:partners": ["api:partner-list"],
    "referential:partner-detail": ["api:partner-detail"],
    "referential:partner-edit": ["api:partner-detail"],
    "referential:people": ["api:person-list"],
    "referential:person-detail": ["api:person-detail"],
    "referential:person-edit": ["api:person-detail"],
    "referential_workflow:assignment-workflow": ["api:assignment-transitions"],
    "referential_workflow:assignment-transition": ["api:assignment-transition"],
    # Country sheets
    "countries:overview": ["api:country-list"],
    "countries:sheet": ["api:country-sheet"],
    # Search, audit
    "search:results": ["api:search"],
    "audit:list": ["api:audit-events"],
    # Mission k: agreements and their children
    "agreements:list": ["api:agreement-list"],
    "agreements:by-country": ["api:agreement-list"],  # ?country=
    "agreements:my-directorate": ["api:agreement-list"],  # ?directorate=
    "agreements:create": ["api:agreement-list"],  # POST
    "agreements:detail": ["api:agreement-detail"],
    "agreements:edit": ["api:agreement-detail"],
    "agreements:workflow": ["api:agreement-transitions"],
    "agreements:transition": ["api:agreement-transition"],
    "agreements:round-create": ["api:agreement-round-list"],
    "agreements:round-edit": ["api:agreement-round-detail"],
    "agreements:version-create": ["api:agreement-version-list"],
    "agreements:version-download": ["api:agreement-version-document"],
    "agreements:version-compare": ["api:agreement-version-compare"],
    "agreements:comment-request-create": ["api:agreement-comment-request-list"],
    "agreements:comment-answer": ["api:agreement-comment-request-answer"],
    "agreements:renewal-create": ["api:agreement-renewal-list"],
    "agreements:committee-create": ["api:agreement-committee-list"],
    "agreements:meeting-create": ["api:agreement-meeting-list"],
    # DELETE on each kind of part the page deletes (round, committee, meeting, request).
    "agreements:part-delete": [
        "api:agreement-round-detail",
        "api:agreement-committee-detail",
        "api:agreement-meeting-detail",
        "api:agreement-comment-request-detail",
    ],
    # Missions b to g: actions, programmes and their children, other donors
    "cooperation:actions": ["api:cooperation-action-list"],
    "cooperation:action-create": ["api:cooperation-action-list"],
    "cooperation:action-detail": ["api:cooperation-action-detail"],
    "cooperation:action-edit": ["api:cooperation-action-detail"],
    "cooperation:action-workflow": ["api:cooperation-action-transitions"],
    "cooperation:action-transition": ["api:cooperation-action-transition"],
    "cooperation:funding-create": ["api:cooperation-action-funding-list"],
    "cooperation:funding-edit": ["api:cooperation-action-funding-detail"],
    "cooperation:funding-delete": ["api:cooperation-action-funding-detail"],
    "cooperation:evaluation": ["api:cooperation-action-evaluation"],
    "cooperation:comment-create": ["api:cooperation-action-comment-list"],
    # The portfolio of a directorate: its actions (?directorate=) and their funding lines.
    "cooperation:portfolio": ["api:cooperation-action-list", "api:cooperation-funding-list"],
    "cooperation:programmes": ["api:cooperation-programme-list"],
    "cooperation:programme-create": ["api:cooperation-programme-list"],
    "cooperation:programme-detail": ["api:cooperation-programme-detail"],
    "cooperation:programme-edit": ["api:cooperation-programme-detail"],
    "cooperation:programme-funding-create": ["api:cooperation-programme-funding-list"],
    "cooperation:programme-workflow": ["api:cooperation-programme-transitions"],
    "cooperation:programme-transition": ["api:cooperation-programme-transition"],
    "cooperation:iati-export": ["api:cooperation-iati"],
    "cooperation:other-donors": ["api:cooperation-other-donor-list"],
    "cooperation:iati-import": ["api:cooperation-other-donor-import-file"],
    # Mission a: reports, analysis, dissemination
    "information:list": ["api:information-report-list"],
    "information:create": ["api:information-report-list"],
    # A client posts each report of a file (JSON, with base64 attachments in multipart).
    "information:import": ["api:information-report-list"],
    # The analysts' queue, the inbox and the follow-up board are views of the reports list
    # (?status=submitted, validated…; each report carries its disseminations, acknowledgements
    # and feedback as the caller may see them).
    "information:queue": ["api:information-report-list"],
    "information:inbox": ["api:information-report-list"],
    "information:board": ["api:information-report-list"],
    "information:detail": ["api:information-report-detail"],
    "information:edit": ["api:information-report-detail"],
    "information:transition": [
        "api:information-report-submit",
        "api:information-report-validate",
        "api:information-report-send-back",
        "api:information-report-close",
    ],
    "information:disseminate": ["api:information-report-disseminate"],
    "information:acknowledge": ["api:information-report-acknowledge"],
    "information:feedback": ["api:information-report-feedback"],
    "information:regrade": ["api:information-report-regrade"],
    "information:redirect": ["api:information-report-redirect"],
    "information:stix": ["api:information-report-stix"],
    "information:attachment-add": ["api:information-report-attachments"],
    "information:attachment": ["api:information-report-attachment"],
    "information:attachment-remove": ["api:information-report-attachment"],
    "information:note": ["api:information-report-note-list"],
    "information:link": ["api:information-report-link-list"],
    "information:clear-duplicate": ["api:information-report-clear-duplicate"],
    "information:add-to-file": ["api:information-file-reports"],
    "information:synthesis-create": ["api:information-synthesis"],
    "information:files": ["api:information-file-list"],
    "information:file-create": ["api:information-file-list"],
    "information:file-detail": ["api:information-file-detail", "api:information-file-reports"],
    "information:file-edit": ["api:information-file-detail"],
    "information:rules": ["api:information-rule-list"],
    "information:rule-create": ["api:information-rule-list"],
    "information:rule-edit": ["api:information-rule-detail"],
    "information:receipt": ["api:information-receipt-detail"],
    "information:purges": ["api:information-purge-list", "api:information-receipt-list"],
    # Network abroad
    "network:index": ["api:post-list", "api:network-tasking-list"],
    "network:post-detail": ["api:post-detail", "api:network-answer-list"],
    "network:taskings": ["api:network-tasking-list"],
    "network:tasking-create": ["api:network-tasking-list"],
    "network:tasking-detail": ["api:network-tasking-detail"],
    "network:tasking-edit": ["api:network-tasking-detail"],
    "network:tasking-answers": ["api:network-tasking-answers"],
    "network:answer": ["api:network-answer-detail"],
    "network:tasking-remind": ["api:network-tasking-remind"],
    "network:tasking-transition": ["api:network-tasking-transition"],
    "network:reports": ["api:network-report-list"],
    "network:report-create": ["api:network-report-list"],
    "network:report-detail": ["api:network-report-detail"],
    "network:report-edit": ["api:network-report-detail"],
    "network:report-transition": ["api:network-report-transition"],
}

#: Pages with no API counterpart, and why.
NOT_IN_API = {
    "healthz": "sonde de disponibilité pour l'exploitation, hors API métier",
    "core:home": "navigation : sections et compteurs, chacun lié à une liste de l'API",
    "referential:index": "navigation vers les listes de l'organisation",
    "accounts:login": "connexion du navigateur ; l'API s'authentifie par jeton (Bearer)",
    "accounts:logout": "déconnexion du navigateur ; un jeton se révoque dans « Mon compte »",
    "accounts:token-create": (
        "les jetons se créent dans le navigateur, après connexion : un jeton volé ne doit pas "
        "pouvoir en créer d'autres"
    ),
    "accounts:token-revoke": "même raison que la création : géré dans « Mon compte »",
    "calendar:feed": "c'est lui-même un flux machine (iCalendar), authentifié par son jeton",
    "calendar:reset": "renouvelle l'adresse personnelle du flux iCalendar (réglage du compte)",
    "agreements:calendar": (
        "échéances : les dates sont des champs de l'API des accords (expires_on, "
        "notice_deadline, réunions des comités) et le flux iCalendar les publie"
    ),
    "cooperation:calendar": "calendrier : les dates sont des champs des actions de l'API",
    "cooperation:statistics": (
        "agrégats sans enregistrement propre, calculés sur les actions que l'API liste"
    ),
    "information:statistics": (
        "agrégats sans enregistrement propre, calculés sur les fiches que l'API liste"
    ),
    "notifications:inbox": (
        "avis personnels de l'utilisateur (aussi envoyés par courriel), pas des "
        "enregistrements métier ; un système client suit les enregistrements eux-mêmes"
    ),
    "notifications:mark-read": "état de lecture d'un avis personnel (voir notifications:inbox)",
    "notifications:mark-all-read": "état de lecture des avis personnels",
    "notifications:preferences": "réglage personnel des courriels d'avis",
    # Printing: the same record is in the API as JSON.
    "agreements:pdf": "impression PDF d'un accord (JSON : api:agreement-detail)",
    "cooperation:action-pdf": "impression PDF (JSON : api:cooperation-action-detail)",
    "information:pdf": "impression PDF (JSON : api:information-report-detail)",
    "network:report-pdf": "impression PDF (JSON : api:network-report-detail)",
    "countries:sheet_pdf": "impression PDF de la fiche pays (JSON : api:country-sheet)",
    "referential:unit-pdf": "impression PDF (JSON : api:unit-detail)",
    "referential:post-pdf": "impression PDF (JSON : api:post-detail)",
    "referential:person-pdf": "impression PDF (JSON : api:person-detail)",
    "referential:partner-pdf": "impression PDF (JSON : api:partner-detail)",
}


def _names(patterns, namespaces=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join((*namespaces, pattern.name))


def _url_names():
    names = set(_names(get_resolver().url_patterns))
    pages = {n for n in names if not n.startswith(("api:", "admin:"))}
    return pages, names - pages


def test_every_page_is_in_the_api_or_excused():
    pages, _ = _url_names()
    missing = sorted(pages - set(PAGES_IN_API) - set(NOT_IN_API))
    assert not missing, (
        "Pages sans équivalent dans l'API : ajoutez l'endpoint et déclarez-le dans "
        f"PAGES_IN_API, ou justifiez l'exception dans NOT_IN_API : {missing}"
    )


def test_declared_entries_are_real():
    pages, api = _url_names()
    assert not set(PAGES_IN_API) & set(NOT_IN_API), "une page déclarée deux fois"
    stale = sorted((set(PAGES_IN_API) | set(NOT_IN_API)) - pages)
    assert not stale, f"Pages déclarées qui n'existent plus : {stale}"
    unknown = sorted({n for names in PAGES_IN_API.values() for n in names} - api)
    assert not unknown, f"Routes de l'API déclarées qui n'existent pas : {unknown}"
    assert all(PAGES_IN_API.values()) and all(r.strip() for r in NOT_IN_API.values())
