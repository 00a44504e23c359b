"""The autocomplete field and its suggestion views (solidarnum/common/autocomplete.py)."""

import pytest
from django import forms
from django.urls import reverse

from solidarnum.common.autocomplete import AutocompleteField, clean_text, text_condition
from solidarnum.network.models import ReceptionPoint
from tests.conftest import make_place
from tests.pages import count_queries


class PlaceForm(forms.Form):
    place = AutocompleteField(
        label="Point d'accueil",
        queryset=ReceptionPoint.objects.order_by("name"),
        url_name="network:reception_point_suggestions",
        search_fields=("name", "commune"),
    )


def _clean(data):
    form = PlaceForm(data)
    return form, (form.cleaned_data.get("place") if form.is_valid() else None)


def test_a_chosen_suggestion_is_read_by_its_id(world):
    _form, place = _clean({"place": world.site_b.pk, "place_text": "anything typed"})
    assert place == world.site_b


def test_an_unknown_id_is_refused_as_a_select_would(world):
    form, place = _clean({"place": 999_999})
    assert place is None and "place" in form.errors


def test_without_javascript_the_typed_name_is_resolved(world):
    _form, place = _clean({"place_text": "créteil"})
    assert place == world.site_b


def test_an_exact_name_wins_among_several_matches(world):
    make_place("Paris 19e bis")
    _form, place = _clean({"place_text": "paris 19E"})
    assert place == world.site_a


def test_several_or_no_matches_say_what_to_do(world):
    make_place("Paris 14e")
    form, place = _clean({"place_text": "paris"})
    assert place is None
    assert "Plusieurs résultats pour « paris »" in form.errors["place"][0]
    form, place = _clean({"place_text": "Tombouctou"})
    assert place is None
    assert form.errors["place"] == ["Aucun résultat pour « Tombouctou » : vérifiez l'orthographe."]


def test_the_field_renders_a_text_input_and_no_option(world):
    html = str(PlaceForm({"place": world.site_a.pk, "place_text": "Paris 19e"})["place"])
    assert 'role="combobox"' in html and 'name="place_text"' in html and 'value="Paris 19e"' in html
    assert f'name="place" value="{world.site_a.pk}"' in html
    assert "<option" not in html and "Créteil" not in html
    # An id alone (a link, an initial value) shows its name again.
    html = str(PlaceForm({"place": world.site_b.pk})["place"])
    assert 'value="Créteil"' in html


class NarrowedPlaceForm(forms.Form):
    """The usual shape: an empty queryset on the class, the real one set per form."""

    place = AutocompleteField(
        label="Point d'accueil",
        queryset=ReceptionPoint.objects.none(),
        url_name="network:reception_point_suggestions",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = ReceptionPoint.objects.order_by("name")


def test_an_initial_id_shows_its_name_from_the_forms_own_queryset(world):
    html = str(NarrowedPlaceForm(initial={"place": world.site_b.pk})["place"])
    assert 'name="place_text" value="Créteil"' in html
    assert f'name="place" value="{world.site_b.pk}"' in html


def test_typed_text_is_made_safe_to_search():
    assert clean_text("  a\x00b   c ") == "ab c"
    assert len(clean_text("x" * 5000)) == 100
    assert clean_text(["not", "text"]) == ""
    assert str(text_condition("", ("name",))) == str(text_condition("   ", ("name",)))


# --- The suggestion views of the network -------------------------------------------------------


def _options(client, name, text):
    response = client.get(reverse(name), {f"{name.split(':')[1]}_text": text})
    assert response.status_code == 200
    return response.content.decode()


def test_reception_points_open_to_all_who_choose_one_closed_ones_to_the_national_team(
    world, clients
):
    make_place("Lieu fermé", is_active=False)
    name = "network:reception_point_suggestions"
    assert "Lieu fermé" in _options(clients["admin"], name, "lieu")
    for role in ("staff_a", "referent", "refurbisher_contact"):
        html = _options(clients[role], name, "")
        assert "Créteil" in html and "Lieu fermé" not in html


def test_partner_structures_are_those_of_the_callers_site(world, clients):
    name = "network:partner_suggestions"
    assert "CCAS de Paris 19e" in _options(clients["staff_a"], name, "ccas")
    assert "CCAS de Paris 19e" not in _options(clients["staff_b"], name, "ccas")
    assert "CCAS de Paris 19e" in _options(clients["admin"], name, "ccas")


def test_donor_suggestions_find_by_name_or_siret(world, clients):
    name = "network:donor_suggestions"
    assert world.donor.name in _options(clients["admin"], name, world.donor.name[:4])
    assert world.donor.name in _options(clients["admin"], name, world.donor.siret)


@pytest.mark.parametrize(
    "name",
    [
        "network:reception_point_suggestions",
        "network:partner_suggestions",
        "network:donor_suggestions",
        "equipment:donation_suggestions",
    ],
)
def test_suggestions_cost_the_same_and_never_fail(world, clients, name):
    client = clients["admin"]
    url = reverse(name)
    few = count_queries(client, url, {"q": "a"})
    for i in range(25):
        make_place(f"Lieu {i:02d}")
    assert count_queries(client, url, {"q": "a"}) == few
    for odd in ("\x00", "é" * 3000, "' OR 1=1 --", "%", "_"):
        assert client.get(url, {"q": odd, "for": "<b>"}).status_code == 200
