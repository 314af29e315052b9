"""Fixtures of mission a: the test organisation plus the recipient services of the routing
rules (OFAST, PJGN under DGGN, DCPAF), a second analyst (four-eyes rule) and `make_report`."""

import pytest

from relais.accounts.roles import Role
from relais.core.markings import Marking
from relais.information import services
from relais.information.models import Theme
from relais.information.workflows import ReportStatus
from relais.referential.models import Beneficiary, UnitKind
from tests.factories import UnitFactory, UserFactory


@pytest.fixture
def a_org(org):
    org.ofast = UnitFactory(
        code="OFAST", name="Office anti-stupéfiants", short_name="OFAST", parent=org.dcpj
    )
    org.dggn = UnitFactory(
        code="DGGN",
        name="Direction générale de la gendarmerie nationale",
        short_name="DGGN",
        kind=UnitKind.DIRECTORATE,
        parent=org.mi,
        beneficiary=Beneficiary.DGGN,
    )
    org.pjgn = UnitFactory(
        code="PJGN",
        name="Pôle judiciaire de la gendarmerie nationale",
        short_name="PJGN",
        parent=org.dggn,
    )
    org.dcpaf = UnitFactory(
        code="DCPAF",
        name="Direction centrale de la police aux frontières",
        short_name="DCPAF",
        parent=org.dgpn,
    )
    return org


@pytest.fixture
def a_users(users, a_org):
    dr = Marking.DIFFUSION_RESTREINTE
    users.analyste2 = UserFactory(
        username="analyste2", role=Role.ANALYSTE, unit=a_org.analysis, clearance=dr
    )
    users.correspondant_ofast = UserFactory(
        username="correspondant.ofast", role=Role.CORRESPONDANT, unit=a_org.ofast, clearance=dr
    )
    users.correspondant_pjgn = UserFactory(
        username="correspondant.pjgn", role=Role.CORRESPONDANT, unit=a_org.pjgn, clearance=dr
    )
    users.attache_np = UserFactory(
        username="attache.np",
        role=Role.ATTACHE,
        unit=a_org.madrid.unit,
        clearance=Marking.NON_PROTEGE,
    )
    return users


def themes(*codes):
    return list(Theme.objects.filter(code__in=codes or ("drugs",)))


@pytest.fixture
def make_report(a_org, a_users):
    """`make_report(status=…, author=…, **fields)`: a report walked to `status`."""

    def make(
        *,
        author=None,
        status=ReportStatus.DRAFT,
        countries=None,
        theme_codes=("drugs",),
        recipients=None,
        title="Cargaison de résine de cannabis attendue à Algésiras",
        summary="Un go-fast doit livrer une cargaison la semaine prochaine.",
        **fields,
    ):
        author = author or a_users.attache_madrid
        fields.setdefault("source_reliability", "B")
        fields.setdefault("information_credibility", "2")
        report = services.create_report(
            author,
            countries=countries or [a_org.spain],
            themes=themes(*theme_codes),
            title=title,
            summary=summary,
            **fields,
        )
        order = [
            ReportStatus.SUBMITTED,
            ReportStatus.VALIDATED,
            ReportStatus.DISSEMINATED,
        ]
        if status in order:
            services.apply(report, "submit", author)
        if status in order[1:]:
            validator = a_users.analyste2 if author == a_users.analyste else a_users.analyste
            services.apply(report, "validate", validator)
        if status == ReportStatus.DISSEMINATED:
            services.disseminate(
                report,
                a_users.analyste2 if author == a_users.analyste2 else a_users.analyste,
                recipients or [a_org.ofast],
            )
        report.refresh_from_db()
        return report

    return make
