"""The counts registry (records per letter) and the legal-basis mixin."""

import pytest
from django.db import models
from django.test.utils import isolate_apps

from relais.legal import counts
from relais.legal.models import LegalBasisMixin, Mission


@pytest.fixture
def registered_count():
    entry = counts.register("j", "Positions (essai)", lambda user: 4, "legal:assess")
    yield entry
    counts.unregister("j", "Positions (essai)")


def test_register_refuses_an_unknown_letter():
    with pytest.raises(ValueError, match="inconnue"):
        counts.register("z", "Rien", lambda user: 0)


def test_register_is_idempotent(registered_count):
    counts.register("j", "Positions (essai)", lambda user: 99, "/ailleurs/")
    assert [c.label for c in counts.registered("j")] == ["Positions (essai)"]
    assert counts.registered("j")[0].url == "legal:assess"


@pytest.mark.django_db
def test_counts_for_evaluates_per_user_and_resolves_urls(registered_count, users):
    lines = counts.counts_for(users.lecteur)
    assert [(line.label, line.count, line.url) for line in lines["j"]] == [
        ("Positions (essai)", 4, "/article-1/competence/")
    ]
    assert "n" not in lines  # no module counts under n (engagements) yet


def test_href_of_paths_names_and_unknown_names():
    assert counts.LetterCount("b", "x", int, "/postes/?pays=ML").href() == "/postes/?pays=ML"
    assert counts.LetterCount("b", "x", int, "legal:article").href() == "/article-1/"
    assert counts.LetterCount("b", "x", int, "module:absent").href() == ""
    assert counts.LetterCount("b", "x", int, "").href() == ""


@pytest.mark.django_db
def test_posts_abroad_are_registered_under_b(org, users):
    (posts,) = [c for c in counts.registered("b") if c.label.startswith("Postes du réseau")]
    assert posts.count(users.attache_bamako) == 2
    assert posts.count(users.lecteur) == 2


# --- LegalBasisMixin ---------------------------------------------------------------------------


@isolate_apps("relais.legal")
def test_each_model_gets_its_own_reverse_accessor():
    class Action(LegalBasisMixin):
        default_missions = ("b",)

        class Meta:
            app_label = "legal"

    class Agreement(LegalBasisMixin):
        default_missions = ("k",)

        class Meta:
            app_label = "legal"

    action_field = Action._meta.get_field("missions")
    agreement_field = Agreement._meta.get_field("missions")
    assert action_field.remote_field.related_name == "legal_action_set"
    assert agreement_field.remote_field.related_name == "legal_agreement_set"
    assert action_field.remote_field.related_query_name == "legal_action"
    assert action_field.verbose_name == "fondement (article 1)"
    assert action_field.blank is True
    assert isinstance(action_field, models.ManyToManyField)


def test_the_mixin_is_abstract_and_declares_the_default_letters():
    assert LegalBasisMixin._meta.abstract is True
    assert LegalBasisMixin.default_missions == ()


@pytest.mark.django_db
def test_default_legal_basis_returns_the_missions():
    class Stub:
        default_missions = ("b", "preamble-1")
        default_legal_basis = classmethod(LegalBasisMixin.default_legal_basis.__func__)

    assert sorted(Stub.default_legal_basis().values_list("code", flat=True)) == ["b", "preamble-1"]
    assert Mission.objects.get(code="b").anchor == "mission-b"
    assert str(Mission.objects.get(code="b")).startswith("b) Coopération technique")
