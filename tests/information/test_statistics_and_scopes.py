"""Statistics computed by the database and cached per scope; who sees which dissemination;
the inbox and follow-up board orders (what the million-report indexes serve)."""

import datetime

from django.core.cache import cache
from django.utils import timezone

from relais.information import services
from relais.information import statistics as report_statistics
from relais.information.models import Dissemination, InformationReport
from relais.information.workflows import ReportStatus


def test_delays_and_months_are_computed_by_the_database(make_report, a_users, a_org):
    first = make_report(status=ReportStatus.DISSEMINATED)
    second = make_report(status=ReportStatus.DISSEMINATED, recipients=[a_org.ofast, a_org.pjgn])
    t0 = timezone.now() - datetime.timedelta(days=20)
    InformationReport.objects.filter(pk=first.pk).update(
        submitted_at=t0, validated_at=t0 + datetime.timedelta(days=2)
    )
    InformationReport.objects.filter(pk=second.pk).update(
        submitted_at=t0, validated_at=t0 + datetime.timedelta(days=4, hours=12)
    )
    for hours, dissemination in zip(
        (24, 48, 72), Dissemination.objects.order_by("pk"), strict=True
    ):
        Dissemination.objects.filter(pk=dissemination.pk).update(
            disseminated_at=t0, acknowledged_at=t0 + datetime.timedelta(hours=hours)
        )
    # A report of fourteen months ago counts in the total, not in the last twelve months.
    old = make_report(status=ReportStatus.SUBMITTED)
    InformationReport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=14 * 31)
    )

    figures = report_statistics.compute(a_users.analyste)
    assert figures["total"] == 3
    assert figures["validation_delay"] == 3.2  # (2 + 4.5) / 2 = 3.25 days
    assert figures["ack_delay"] == 2.0  # (1 + 2 + 3) / 3 days
    months = figures["months"]
    assert len(months) == 12
    assert months[-1] == (timezone.localdate().strftime("%m/%Y"), 2)
    assert sum(n for _label, n in months) == 2
    assert [n for _label, n in figures["themes"]] == [3]
    assert dict(figures["units"]) == {a_org.madrid.unit.short_name: 3}


def test_month_starts_cover_twelve_months_across_a_new_year():
    bounds = report_statistics.month_starts(datetime.date(2026, 1, 15))
    assert [b.strftime("%Y-%m-%d") for b in (bounds[0], bounds[-2], bounds[-1])] == [
        "2025-02-01",
        "2026-01-01",
        "2026-02-01",
    ]
    assert len(bounds) == 13
    assert all(b.tzinfo is not None for b in bounds)


def test_statistics_are_cached_per_scope(client_for, make_report, a_users):
    make_report(status=ReportStatus.DISSEMINATED)
    analyst = client_for(a_users.analyste)
    assert "les 1 fiche que vous" in analyst.get("/information/statistiques/").content.decode()
    make_report(status=ReportStatus.SUBMITTED)
    # Same scope: the figures computed a moment ago, and the page says when they were computed.
    page = analyst.get("/information/statistiques/").content.decode()
    assert "les 1 fiche que vous" in page
    assert "mises à jour toutes les 10 minutes" in page
    # Another analyst of the same cell shares them.
    shared = client_for(a_users.analyste2).get("/information/statistiques/").content.decode()
    assert "les 1 fiche que vous" in shared
    # Another scope never reads those figures: OFAST received the first report only.
    ofast = client_for(a_users.correspondant_ofast).get("/information/statistiques/")
    assert "les 1 fiche que vous" in ofast.content.decode()
    bamako = client_for(a_users.attache_bamako).get("/information/statistiques/")
    assert "les 0 fiches que vous" in bamako.content.decode()
    cache.clear()
    assert "les 2 fiches" in analyst.get("/information/statistiques/").content.decode()


def test_scope_keys_separate_what_users_see(a_users):
    keys = {
        name: report_statistics.scope_key(getattr(a_users, name))
        for name in ("analyste", "analyste2", "pilotage", "correspondant_ofast", "attache_madrid")
    }
    assert keys["analyste"] == keys["analyste2"]  # same unit, role group and clearance
    assert keys["attache_madrid"] != report_statistics.scope_key(a_users.attache_np)  # clearance
    assert len({keys["analyste"], keys["correspondant_ofast"], keys["attache_madrid"]}) == 3
    assert report_statistics.scope_key(a_users.admin).split(":")[2] == "none"


def test_who_sees_which_dissemination(make_report, a_users, a_org):
    received = make_report(status=ReportStatus.DISSEMINATED, recipients=[a_org.ofast, a_org.pjgn])
    other = make_report(status=ReportStatus.DISSEMINATED, recipients=[a_org.dcpaf])
    restricted = make_report(
        status=ReportStatus.DISSEMINATED, recipients=[a_org.ofast], marking="diffusion_restreinte"
    )

    def seen(user):
        return set(Dissemination.objects.visible_to(user).values_list("report_id", "unit__code"))

    everything = set(Dissemination.objects.values_list("report_id", "unit__code"))
    assert seen(a_users.analyste) == everything
    assert seen(a_users.pilotage) == everything
    # OFAST: its receptions and the other recipients of a report it received.
    assert seen(a_users.correspondant_ofast) == {
        (received.pk, "OFAST"),
        (received.pk, "PJGN"),
        (restricted.pk, "OFAST"),
    }
    # Madrid wrote all three: it follows every dissemination of them, within its clearance.
    assert seen(a_users.attache_madrid) == everything
    assert (restricted.pk, "OFAST") not in seen(a_users.attache_np)
    assert (other.pk, "DCPAF") in seen(a_users.attache_np)
    assert seen(a_users.attache_bamako) == set()
    assert seen(a_users.admin) == set()


def test_inbox_is_most_recent_first_with_a_link_to_what_is_pending(
    client_for, make_report, a_users, a_org
):
    older = make_report(status=ReportStatus.DISSEMINATED, title="Plus ancienne")
    newer = make_report(status=ReportStatus.DISSEMINATED, title="Plus récente")
    Dissemination.objects.filter(report=older).update(
        disseminated_at=timezone.now() - datetime.timedelta(days=3)
    )
    services.acknowledge(newer, a_users.correspondant_ofast)
    client = client_for(a_users.correspondant_ofast)
    page = client.get("/information/reception/").content.decode()
    assert page.index(newer.reference) < page.index(older.reference)
    assert '<a href="?state=pending">1 à accuser</a>' in page
    pending = client.get("/information/reception/?state=pending").content.decode()
    assert older.reference in pending and newer.reference not in pending


def test_board_lists_answers_awaited_soonest_first(client_for, make_report, a_users, a_org):
    later = make_report(status=ReportStatus.DISSEMINATED, title="Réponse plus tardive")
    sooner = make_report(status=ReportStatus.DISSEMINATED, title="Réponse plus proche")
    today = timezone.localdate()
    Dissemination.objects.filter(report=later).update(deadline=today + datetime.timedelta(days=9))
    Dissemination.objects.filter(report=sooner).update(deadline=today + datetime.timedelta(days=2))
    page = client_for(a_users.analyste).get("/information/suivi/").content.decode()
    assert page.index(sooner.reference) < page.index(later.reference)


def _expected(user):
    """The figures recomputed in Python from `visible_to(user)` (the reference)."""
    from collections import Counter

    reports = list(
        InformationReport.objects.visible_to(user).prefetch_related("themes", "countries")
    )
    themes = Counter(t.label for r in reports for t in r.themes.all())
    countries = Counter(c.name for r in reports for c in r.countries.all())
    units = Counter(r.unit.short_name for r in reports)
    delays = [
        (r.validated_at - r.submitted_at).total_seconds()
        for r in reports
        if r.validated_at and r.submitted_at
    ]
    return {
        "total": len(reports),
        "themes": dict(themes),
        "countries": dict(countries),
        "units": dict(units),
        "validation_delay": round(sum(delays) / len(delays) / 86400, 1) if delays else None,
    }


def test_counting_directly_or_by_difference_gives_the_same_figures(
    make_report, a_users, a_org, monkeypatch
):
    """The two ways of `_Counter` (what is visible; all minus what is hidden) agree with each
    other and with a count in Python, for users who see much, little or nothing."""
    make_report(theme_codes=("drugs", "terrorism"), countries=[a_org.spain, a_org.andorra])
    make_report(status=ReportStatus.SUBMITTED, theme_codes=("terrorism",))
    make_report(status=ReportStatus.VALIDATED, marking="diffusion_restreinte")
    make_report(status=ReportStatus.DISSEMINATED, recipients=[a_org.ofast])
    make_report(author=a_users.attache_bamako, theme_codes=("cybercrime",), countries=[a_org.mali])
    make_report(
        author=a_users.attache_bamako,
        status=ReportStatus.DISSEMINATED,
        countries=[a_org.mali],
        recipients=[a_org.pjgn],
    )
    users = [
        a_users.analyste,
        a_users.attache_madrid,
        a_users.attache_np,
        a_users.attache_bamako,
        a_users.correspondant_ofast,
        a_users.correspondant_pjgn,
        a_users.admin,
    ]
    real_init = report_statistics._Counter.__init__

    def forced(hidden: bool):
        def init(self, user):
            real_init(self, user)
            self.hidden = InformationReport.objects.hidden_from(user) if hidden else None

        return init

    for user in users:
        expected = _expected(user)
        results = []
        for hidden in (False, True):
            monkeypatch.setattr(report_statistics._Counter, "__init__", forced(hidden))
            figures = report_statistics.compute(user)
            results.append(figures)
            assert figures["total"] == expected["total"], (user, hidden)
            assert dict(figures["themes"]) == expected["themes"], (user, hidden)
            assert dict(figures["countries"]) == expected["countries"], (user, hidden)
            assert dict(figures["units"]) == expected["units"], (user, hidden)
            assert figures["validation_delay"] == expected["validation_delay"], (user, hidden)
            assert sum(n for _m, n in figures["months"]) == expected["total"], (user, hidden)
        assert {k: v for k, v in results[0].items() if k != "computed_at"} == {
            k: v for k, v in results[1].items() if k != "computed_at"
        }
    # The hidden set is exactly the complement of the visible one.
    for user in users:
        visible = set(InformationReport.objects.visible_to(user).values_list("pk", flat=True))
        hidden = set(InformationReport.objects.hidden_from(user).values_list("pk", flat=True))
        assert visible.isdisjoint(hidden)
        assert visible | hidden == set(InformationReport.objects.values_list("pk", flat=True))


def test_inbox_and_own_report_shortcuts_equal_the_visibility_rule(make_report, a_users, a_org):
    """`received_by` and `of_own_reports` skip the scope's other branches; they must select
    exactly what `visible_to` selects for the same restriction."""
    make_report(status=ReportStatus.DISSEMINATED, recipients=[a_org.ofast, a_org.pjgn])
    make_report(
        status=ReportStatus.DISSEMINATED, recipients=[a_org.ofast], marking="diffusion_restreinte"
    )
    make_report(
        author=a_users.attache_bamako, status=ReportStatus.DISSEMINATED, recipients=[a_org.ofast]
    )
    for user in (
        a_users.correspondant_ofast,
        a_users.correspondant_pjgn,
        a_users.attache_madrid,
        a_users.attache_np,
        a_users.attache_bamako,
        a_users.analyste,
        a_users.admin,
    ):
        visible = Dissemination.objects.visible_to(user)
        own = InformationReport.objects.filter(unit_id=user.unit_id).values("pk")
        assert set(Dissemination.objects.received_by(user)) == set(
            visible.for_unit(user.unit_id)
        ), user
        assert set(Dissemination.objects.of_own_reports(user)) == set(
            visible.filter(report_id__in=own)
        ), user
    assert Dissemination.objects.received_by(a_users.correspondant_ofast).count() == 3
    assert Dissemination.objects.of_own_reports(a_users.attache_np).count() == 2  # not the DR one
