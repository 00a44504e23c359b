"""The main navigation, computed once per process for each kind of scope (ADR 0024).

The links depend only on the current role and two flags of the membership (the device-check
skill, the lead référent), on the language and on the URL prefix: the tuple for one such key is
built once (reversed URLs, translated labels) and reused by every request that has it, instead
of a dozen `{% url %}` and role tests rendered on each page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .enums import DONOR_ROLES, REFURBISHER_ROLES, SITE_ROLES, Role
from .scope import Scope


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str


def main_links(scope: Scope) -> tuple[NavLink, ...]:
    """The links of the main navigation for the scope's current membership."""
    if scope.membership is None:
        return ()
    return _links(
        scope.role, scope.can_check_devices, scope.is_lead_referent, get_language(),
        get_script_prefix(),
    )  # fmt: skip


@lru_cache(maxsize=128)
def _links(
    role: Role | None, can_check_devices: bool, is_lead: bool, language: str, prefix: str
) -> tuple[NavLink, ...]:
    def link(name: str, label: str) -> NavLink:
        return NavLink(reverse(name), label)

    links = [link("accounts:home", _("Accueil"))]
    if role == Role.NATIONAL_ADMIN:
        return (
            *links,
            link("network:reception_point_list", _("Points d'accueil")),
            link("network:partner_list", _("Partenaires")),
            link("network:donor_list", _("Donateurs")),
            link("network:refurbisher_list", _("Reconditionneurs")),
            link("equipment:stock_overview", _("Équipement")),
            link("equipment:donation_list", _("Dons")),
            link("connectivity:stock_overview", _("Connexion")),
            link("connectivity:offer_list", _("Offres")),
            link("sales:session_list", _("Caisses")),
            link("accounts:user_list", _("Utilisateurs")),
            link("privacy:audit_list", _("Journal d'audit")),
            link("notifications:message_list", _("Messages envoyés")),
            link("support:satisfaction_rates", _("Satisfaction")),
            link("support:course_template_list", _("Parcours")),
            link("volunteers:hours_summary", _("Bénévoles")),
            link("volunteers:training_list", _("Formations")),
        )
    if role in (Role.SITE_MANAGER, Role.STAFF):
        links.append(link("referrals:referral_inbox", _("Orientations reçues")))
        links.append(link("notifications:message_list", _("Messages envoyés")))
    if role in SITE_ROLES:
        links.append(link("beneficiaries:beneficiary_list", _("Bénéficiaires")))
        if role == Role.VOLUNTEER:
            links.append(link("support:my_sessions", _("Mes séances")))
        else:
            links.append(link("support:agenda", _("Agenda")))
        links.append(link("support:workshop_list", _("Ateliers")))
        links.append(link("support:cohort_list", _("Parcours")))
        links.append(link("equipment:stock_overview", _("Équipement")))
        links.append(link("connectivity:stock_overview", _("Connexion")))
        links.append(link("sales:till_home", _("Caisse")))
        if role == Role.SITE_MANAGER:
            links.append(link("sales:purchasing_power", _("Pouvoir d'achat")))
            links.append(link("support:satisfaction_rates", _("Satisfaction")))
        if can_check_devices:
            links.append(link("equipment:device_check_lookup", _("Contrôler un appareil")))
    if role == Role.SITE_MANAGER:
        links.append(link("volunteers:volunteer_list", _("Bénévoles")))
    elif role == Role.STAFF:
        links.append(link("volunteers:week", _("Bénévoles cette semaine")))
    elif role == Role.VOLUNTEER:
        links.append(link("volunteers:my_profile", _("Mon profil de bénévole")))
        links.append(link("volunteers:my_hours", _("Mes heures")))
    if role in (Role.SITE_MANAGER, Role.STAFF):
        links.append(link("volunteers:training_list", _("Formations")))
    if role in REFURBISHER_ROLES:
        links.append(link("equipment:batch_list", _("Lots")))
        links.append(link("equipment:device_list", _("Appareils")))
        links.append(link("equipment:transfer_list", _("Transferts")))
        links.append(link("equipment:donation_list", _("Dons")))
    if role == Role.RELAY_OPERATOR:
        links.append(link("connectivity:relay_home", _("Mon relais")))
    if role in DONOR_ROLES:
        links.append(link("equipment:donation_list", _("Nos dons")))
        links.append(link("equipment:donor_report", _("Rapport donateur")))
    if role == Role.REFERENT:
        links.append(link("referrals:referral_create", _("Nouveau bon d'orientation")))
        links.append(link("referrals:referent_referral_list", _("Mes orientations")))
        links.append(link("support:referent_bookings", _("Permanences")))
        links.append(link("referrals:referent_settings", _("Mes préférences")))
        links.append(link("api:api_tokens", _("Accès API")))
        if is_lead:
            links.append(link("volunteers:training_list", _("Formations")))
    links.append(link("accounts:my_organisation", _("Mon organisation")))
    if role == Role.SITE_MANAGER or is_lead:
        links.append(link("accounts:team", _("Équipe")))
    return tuple(links)
