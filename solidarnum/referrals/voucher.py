"""The referral voucher (bon d'orientation): the PDF a person carries to the reception point,
printed in their language (ADR 0025).

Its language is one of ours (`settings.LANGUAGES`), chosen from the languages recorded on the
referral (`common.language.language_for_person`), or the one the référent picks. It is a tagged
PDF/UA-1 document with a title and a language, so that a screen reader can read it aloud.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from solidarnum.beneficiaries.enums import Need
from solidarnum.beneficiaries.labels import ordered_needs
from solidarnum.common.language import language_for_person, supported_language
from solidarnum.common.pdf import render_pdf
from solidarnum.network.opening_hours import describe_opening_hours
from solidarnum.referrals.models import Referral

# What the person comes for, in their words rather than the service lines' ("Équiper").
NEED_PHRASES = {
    # Translators: on the referral voucher, what the person comes for: a device.
    Need.EQUIP: _("Avoir un ordinateur, une tablette ou un téléphone"),
    # Translators: on the referral voucher, what the person comes for: a connection.
    Need.CONNECT: _("Avoir internet et un forfait de téléphone"),
    # Translators: on the referral voucher, what the person comes for: learning.
    Need.SUPPORT: _("Apprendre à utiliser un ordinateur ou un téléphone"),
}
PDF_VARIANT = "pdf/ua-1"  # tagged, with the document's title and language


def voucher_language(referral: Referral, asked: str | None = None) -> str:
    """The language asked for (`?lang=`) when we have it, else the person's."""
    return supported_language(asked) or language_for_person(referral.languages)


def render_voucher(referral: Referral, request: HttpRequest, language: str) -> bytes:
    place = referral.reception_point
    with translation.override(language):
        return render_pdf(
            "referrals/voucher.html",
            {
                "referral": referral,
                "place": place,
                "opening_hours": describe_opening_hours(place.opening_hours),
                "needs": [
                    (str(NEED_PHRASES[need]), getattr(referral, f"needs_{need.value}_detail"))
                    for need in ordered_needs(referral)
                ],
                "structure": referral.partner_structure,
            },
            request,
            stylesheets=["referrals/voucher.css"],
            pdf_variant=PDF_VARIANT,
        )
