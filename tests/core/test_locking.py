"""Optimistic locking: the records service, `RecordForm` (input kept on a stale save) and
`VersionedSerializerMixin` (409 with the current version, 400 without a version).

The API part runs against small endpoints declared here (this module is also a URLconf), built
the way a module builds its own: a ModelSerializer with the mixin, views scoped by `visible_to`.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import include, path
from rest_framework import generics, serializers

from relais.core import records
from relais.core.access import require_change
from relais.core.audit.api import AuditedRetrieveMixin
from relais.core.audit.models import Action, AuditEvent
from relais.core.forms import RecordForm
from relais.core.markings import CLASSIFIED_MESSAGE
from relais.core.serializers import MISSING_VERSION_MESSAGE, VersionedSerializerMixin
from relais.referential.models import PartnerBody, PartnerKind, Person, Post
from tests.factories import PartnerBodyFactory, PersonFactory

# --- A module's endpoints, as it would declare them ----------------------------------------------


class PartnerSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    classified_text_fields = ("description",)

    class Meta:
        model = PartnerBody
        fields = ["id", "name", "acronym", "kind", "city", "description", "marking", "version"]


class PostSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ["id", "city", "countries", "version"]


class PartnerList(generics.ListCreateAPIView):
    serializer_class = PartnerSerializer

    def get_queryset(self):
        return PartnerBody.objects.visible_to(self.request.user)


class PartnerDetail(AuditedRetrieveMixin, generics.RetrieveUpdateAPIView):
    serializer_class = PartnerSerializer

    def get_queryset(self):
        return PartnerBody.objects.visible_to(self.request.user)

    def perform_update(self, serializer):
        require_change(self.request.user, serializer.instance)
        serializer.save()


class PostDetail(generics.RetrieveUpdateAPIView):
    serializer_class = PostSerializer

    def get_queryset(self):
        return Post.objects.visible_to(self.request.user)


urlpatterns = [
    path("test-api/partners/", PartnerList.as_view()),
    path("test-api/partners/<int:pk>/", PartnerDetail.as_view()),
    path("test-api/posts/<int:pk>/", PostDetail.as_view()),
    path("", include("relais.urls")),
]

api = pytest.mark.urls("tests.core.test_locking")


class PartnerForm(RecordForm):
    classified_text_fields = ("description",)

    class Meta:
        model = PartnerBody
        fields = ["name", "acronym", "kind", "city", "description", "marking"]


def _form_data(partner, **changes):
    data = {
        "name": partner.name,
        "acronym": partner.acronym,
        "kind": partner.kind,
        "city": partner.city,
        "description": partner.description,
        "marking": partner.marking,
        "version": str(partner.version),
    }
    data.update(changes)
    return data


# --- The records service ---------------------------------------------------------------------------


def test_update_with_a_stale_version_is_refused_and_changes_nothing(users):
    partner = PartnerBodyFactory(name="Interpol")
    mine = PartnerBody.objects.get(pk=partner.pk)
    theirs = PartnerBody.objects.get(pk=partner.pk)
    theirs.city = "Lyon"
    records.update(theirs, users.admin, expected_version=1)
    mine.city = "Paris"
    with pytest.raises(records.StaleVersion) as excinfo:
        records.update(mine, users.admin, expected_version=1)
    assert (excinfo.value.expected, excinfo.value.current) == (1, 2)
    assert "version 1 ouverte, version 2 enregistrée" in str(excinfo.value)
    partner.refresh_from_db()
    assert (partner.city, partner.version) == ("Lyon", 2)
    assert AuditEvent.objects.for_object(partner).count() == 1


def test_update_bumps_the_version_each_time(users):
    partner = PartnerBodyFactory()
    for expected in (1, 2, 3):
        partner.city = f"Ville {expected}"
        records.update(partner, users.admin, expected_version=expected)
    partner.refresh_from_db()
    assert partner.version == 4


def test_update_judges_permission_on_the_stored_record(org, users, monkeypatch):
    person = PersonFactory(unit=org.dcpj)
    # A rule that lets anyone change people of the DGEF only.
    monkeypatch.setattr(Person, "can_change", lambda self, user: self.unit_id == org.dgef.pk)
    person.unit = org.dgef  # moving the record in memory must not grant the right
    with pytest.raises(PermissionDenied):
        records.update(person, users.charge_afrique)
    person.refresh_from_db()
    assert person.unit == org.dcpj


def test_delete_with_a_stale_version_is_refused(users):
    partner = PartnerBodyFactory()
    other = PartnerBody.objects.get(pk=partner.pk)
    other.city = "Bruxelles"
    records.update(other, users.admin, expected_version=1)
    with pytest.raises(records.StaleVersion):
        records.delete(partner, users.admin, expected_version=1)
    assert PartnerBody.objects.filter(pk=partner.pk).exists()
    records.delete(partner, users.admin, expected_version=2)
    assert not PartnerBody.objects.filter(pk=partner.pk).exists()


# --- Forms -----------------------------------------------------------------------------------------


def test_form_carries_the_version_it_was_opened_at(users):
    partner = PartnerBodyFactory()
    records.update(partner, users.admin)
    form = PartnerForm(instance=partner, user=users.admin)
    assert form["version"].value() == 2
    assert 'type="hidden" name="version" value="2"' in str(form["version"])


def test_stale_form_is_refused_with_input_kept_and_database_unchanged(users):
    partner = PartnerBodyFactory(name="Frontex", city="Varsovie")
    opened = PartnerBody.objects.get(pk=partner.pk)  # the form is opened at version 1
    meanwhile = PartnerBody.objects.get(pk=partner.pk)
    meanwhile.city = "Bruxelles"
    records.update(meanwhile, users.admin, expected_version=1)

    data = _form_data(opened, city="Madrid", acronym="FTX", version="1")
    form = PartnerForm(data, instance=opened, user=users.admin)
    assert form.is_valid()
    assert form.save() is None
    assert not form.is_valid()
    assert any("modifié par quelqu'un d'autre" in e for e in form.non_field_errors())
    assert form.non_field_errors().as_data()[0].code == "stale_version"
    # The input is kept, the hidden version moves to the current one.
    assert form["city"].value() == "Madrid"
    assert form["acronym"].value() == "FTX"
    assert form["version"].value() == "2"
    # What is stored now, wherever it differs from the input (untouched fields are not listed).
    assert dict(form.conflict_list) == {"Ville du siège": "Bruxelles", "Sigle": "(vide)"}
    html = form.as_div()
    assert 'value="Madrid"' in html and 'value="FTX"' in html
    partner.refresh_from_db()
    assert (partner.city, partner.acronym, partner.version) == ("Bruxelles", "", 2)

    # Re-submitted after review (at the current version), it is accepted.
    again = PartnerForm(
        form.data, instance=PartnerBody.objects.get(pk=partner.pk), user=users.admin
    )
    assert again.is_valid(), again.errors
    assert again.save() is not None
    partner.refresh_from_db()
    assert (partner.city, partner.acronym, partner.version) == ("Madrid", "FTX", 3)


def test_form_without_version_is_refused(users):
    partner = PartnerBodyFactory()
    data = _form_data(partner, city="Rome")
    del data["version"]
    form = PartnerForm(data, instance=partner, user=users.admin)
    assert not form.is_valid()
    assert "version" in form.errors
    partner.refresh_from_db()
    assert partner.city == ""


def test_form_saves_through_the_records_service(users):
    partner = PartnerBodyFactory()
    form = PartnerForm(_form_data(partner, city="Vienne"), instance=partner, user=users.admin)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.version == 2 and saved.updated_by == users.admin
    event = AuditEvent.objects.for_object(partner).get()
    assert event.changes == {"city": ["", "Vienne"]}


def test_form_refuses_permission_like_the_service(users):
    partner = PartnerBodyFactory()
    form = PartnerForm(_form_data(partner, city="Vienne"), instance=partner, user=users.pilotage)
    assert form.is_valid()
    with pytest.raises(PermissionDenied):
        form.save()


def test_form_creates_through_the_records_service(users):
    form = PartnerForm(
        {"name": "ONUDC", "kind": PartnerKind.INTERNATIONAL_ORGANISATION, "marking": "non_protege"},
        user=users.admin,
    )
    assert form.is_valid(), form.errors
    partner = form.save()
    assert partner.pk and partner.created_by == users.admin
    assert AuditEvent.objects.for_object(partner).get().action == Action.CREATE


# --- API -------------------------------------------------------------------------------------------


@api
def test_api_stale_version_answers_409_with_current_version(users, client_for):
    partner = PartnerBodyFactory(city="Lyon")
    records.update(partner, users.admin)  # now at version 2
    client = client_for(users.admin)
    response = client.patch(
        f"/test-api/partners/{partner.pk}/",
        {"city": "Paris", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_version"
    assert body["current_version"] == 2
    partner.refresh_from_db()
    assert (partner.city, partner.version) == ("Lyon", 2)


@api
def test_api_update_without_version_is_a_400(users, client_for):
    partner = PartnerBodyFactory(city="Lyon")
    response = client_for(users.admin).patch(
        f"/test-api/partners/{partner.pk}/", {"city": "Paris"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"version": [MISSING_VERSION_MESSAGE]}
    partner.refresh_from_db()
    assert partner.city == "Lyon"


@api
def test_api_update_with_current_version_saves_and_logs(users, client_for):
    partner = PartnerBodyFactory(city="Lyon")
    client = client_for(users.admin)
    read = client.get(f"/test-api/partners/{partner.pk}/").json()
    assert read["version"] == 1
    response = client.put(
        f"/test-api/partners/{partner.pk}/",
        {**read, "city": "Paris"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    partner.refresh_from_db()
    assert (partner.city, partner.version, partner.updated_by) == ("Paris", 2, users.admin)
    assert AuditEvent.objects.for_object(partner).filter(action=Action.UPDATE).count() == 1


@api
def test_api_update_of_many_to_many_goes_through_the_service(org, users, client_for):
    client = client_for(users.admin)
    response = client.patch(
        f"/test-api/posts/{org.madrid.pk}/",
        {"countries": [org.spain.pk], "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert list(org.madrid.countries.all()) == [org.spain]
    event = AuditEvent.objects.for_object(org.madrid).get()
    assert event.changes == {"countries": [sorted([org.spain.pk, org.andorra.pk]), [org.spain.pk]]}


@api
def test_api_refuses_writes_to_those_who_may_only_read(users, client_for):
    partner = PartnerBodyFactory(city="Lyon")
    response = client_for(users.lecteur).patch(
        f"/test-api/partners/{partner.pk}/",
        {"city": "Paris", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.city == "Lyon"


@api
def test_api_create_goes_through_the_service(users, client_for):
    response = client_for(users.admin).post(
        "/test-api/partners/",
        {"name": "Europol", "kind": "eu_body"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["version"] == 1
    partner = PartnerBody.objects.get(name="Europol")
    assert AuditEvent.objects.for_object(partner).get().action == Action.CREATE


@api
@pytest.mark.parametrize("value", ["secret", "tres_secret", "très secret", "Très-Secret"])
def test_api_refuses_classified_markings_with_a_400(users, client_for, value):
    partner = PartnerBodyFactory()
    response = client_for(users.admin).patch(
        f"/test-api/partners/{partner.pk}/",
        {"marking": value, "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"marking": [CLASSIFIED_MESSAGE]}


@api
def test_api_refuses_classified_free_text_when_the_field_opts_in(users, client_for):
    partner = PartnerBodyFactory()
    client = client_for(users.admin)
    response = client.patch(
        f"/test-api/partners/{partner.pk}/",
        {"description": "TRÈS SECRET — ne pas diffuser", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"description": [CLASSIFIED_MESSAGE]}
    # A field that did not opt in is not inspected.
    response = client.patch(
        f"/test-api/partners/{partner.pk}/",
        {"city": "Très secret", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 200


@api
def test_api_refuses_a_marking_above_the_writer_clearance(users, client_for):
    partner = PartnerBodyFactory()
    response = client_for(users.admin).patch(  # the admin reads up to « non protégé »
        f"/test-api/partners/{partner.pk}/",
        {"marking": "diffusion_restreinte", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "habilitation" in response.json()["marking"][0]
