"""The main navigation is built once per process for each kind of scope (ADR 0024)."""

import re
from html import unescape

import pytest
from django.template import Context, Template
from django.urls import reverse

from solidarnum.accounts import navigation
from solidarnum.accounts.scope import resolve_scope
from tests.conftest import ROLES

# What the navigation offered each role of the test world when it was a template of role tests.
EXPECTED = {
    "admin": ["Accueil", "Points d'accueil", "Partenaires", "Donateurs", "Reconditionneurs",
              "Équipement", "Dons", "Connexion", "Offres", "Caisses", "Utilisateurs",
              "Journal d'audit", "Messages envoyés", "Satisfaction", "Parcours", "Bénévoles",
              "Formations"],
    "manager_a": ["Accueil", "Orientations reçues", "Messages envoyés", "Bénéficiaires",
                  "Agenda", "Ateliers", "Parcours", "Équipement", "Connexion", "Caisse",
                  "Pouvoir d'achat", "Satisfaction", "Bénévoles", "Formations",
                  "Mon organisation", "Équipe"],
    "staff_a": ["Accueil", "Orientations reçues", "Messages envoyés", "Bénéficiaires",
                "Agenda", "Ateliers", "Parcours", "Équipement", "Connexion", "Caisse",
                "Bénévoles cette semaine", "Formations", "Mon organisation"],
    "volunteer_a": ["Accueil", "Bénéficiaires", "Mes séances", "Ateliers", "Parcours",
                    "Équipement", "Connexion", "Caisse", "Contrôler un appareil",
                    "Mon profil de bénévole", "Mes heures", "Mon organisation"],
    "lead_referent": ["Accueil", "Nouveau bon d'orientation", "Mes orientations",
                      "Permanences", "Mes préférences", "Accès API", "Formations",
                      "Mon organisation", "Équipe"],
    "referent": ["Accueil", "Nouveau bon d'orientation", "Mes orientations", "Permanences",
                 "Mes préférences", "Accès API", "Mon organisation"],
    "relay_operator": ["Accueil", "Mon relais", "Mon organisation"],
    "donor_contact": ["Accueil", "Nos dons", "Rapport donateur", "Mon organisation"],
    "refurbisher_contact": ["Accueil", "Lots", "Appareils", "Transferts", "Dons",
                            "Mon organisation"],
}  # fmt: skip


@pytest.mark.parametrize("role", sorted(set(ROLES) - {"anonymous", "staff_b"}))
def test_each_role_gets_its_links(world, clients, role):
    html = clients[role].get(reverse("accounts:home")).content.decode()
    nav = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    names = [unescape(name) for name in re.findall(r'<a href="[^"]+">([^<]+)</a>', nav)]
    assert names == EXPECTED[role]
    assert 'href="/"' in nav


def test_links_are_built_once_for_every_request_of_the_same_kind(world, clients):
    navigation._links.cache_clear()
    for _ in range(3):
        clients["staff_a"].get(reverse("accounts:home"))
        clients["manager_a"].get(reverse("accounts:home"))
    info = navigation._links.cache_info()
    assert info.misses == 2 and info.hits >= 4


def test_links_follow_the_language(world):
    from django.utils import translation

    scope = resolve_scope(world.users["staff_a"], None)
    with translation.override("fr"):
        french = navigation.main_links(scope)
    with translation.override("en"):
        other = navigation.main_links(scope)
    assert french is not other  # one entry per language (labels translated once each)
    assert navigation.main_links(resolve_scope(world.users["staff_a"], None)) is not None


def test_the_template_reads_the_links_without_a_role_test():
    source = Template("{% include 'components/nav_links.html' %}").render(
        Context({"nav_links": [navigation.NavLink("/x/", "X")]})
    )
    assert '<li><a href="/x/">X</a></li>' in source
