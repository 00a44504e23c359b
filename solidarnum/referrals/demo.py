"""Demo referrals: a few hundred bons d'orientation in every status, written by demo référents
over the last six months, so that inboxes, follow-up pages and indicators look alive.

Everything goes through the real services (create, start review, validate, refuse, expire):
audit rows, beneficiaries, access periods and timeline entries are the real ones. Dates are
then moved back in time with queryset updates (the audit rows keep their real time).

Fictitious but well formed: names are invented, phone numbers come from the ranges ARCEP
reserves for fiction (01 99 00, 02 61 91, 03 53 01, 04 65 71, 05 36 49: landlines, the only
fiction ranges libphonenumber accepts), e-mail addresses use reserved example domains.

Idempotent: the data is generated from a fixed seed; if the first demo referral already
exists, nothing is done. The status e-mails the services send after commit go to an
in-memory mailbox (not the console) and are dropped.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from solidarnum.accounts.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership, User
from solidarnum.beneficiaries.enums import ContactPreference, Housing, Milestone, Profile, Public
from solidarnum.beneficiaries.models import AccessPeriod, Beneficiary, TimelineEntry
from solidarnum.beneficiaries.services import add_months
from solidarnum.beneficiaries.timeline import add_entry
from solidarnum.common.text import normalize_name
from solidarnum.network.demo import DemoNetwork, fictitious_siret
from solidarnum.network.models import PartnerStructure, ReceptionPoint

from .enums import ReferralStatus
from .models import REFERENCE_ALPHABET, REFERENCE_LENGTH, Referral, RefusalReason
from .reasons import ensure_default_refusal_reasons
from .services import (
    create_referral,
    expire_referral,
    refuse_referral,
    start_review,
    validate_referral,
)

SEED = 20250119
REFERRAL_COUNT = 300
HISTORY_DAYS = 182
RECENT_DAYS = 14
RECENT_SHARE = 0.15
LOCMEM_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# The two référents of the demo accounts (solidarnum.accounts.demo), Paris 19e structure.
PARIS_19_REFERENTS = ("referent.paris19", "referent2.paris19")


@dataclass(frozen=True)
class ExtraReferent:
    local_part: str
    first_name: str
    last_name: str
    structure_number: int  # the `siret_number` of the structure in solidarnum.network.demo


# Colleagues in other structures, so that several sites receive referrals.
EXTRA_REFERENTS = [
    ExtraReferent("referente.chrs-lilas", "Aminata", "Sow", 2),
    ExtraReferent("referent.cas14", "Hugo", "Lemoine", 5),
    ExtraReferent("referente.ccas-saint-denis", "Leïla", "Mansouri", 9),
    ExtraReferent("referent.eds-creteil", "Olivier", "Nguyen", 13),
    ExtraReferent("referente.phocee", "Chiara", "Russo", 14),
]


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",")]


FIRST_NAMES = _names(
    "Awa, Mamadou, Fatoumata, Moussa, Aïssata, Ibrahima, Mariam, Oumar, Yasmina, Karim, "
    "Nour, Samir, Leïla, Rachid, Amina, Bilal, Hanane, Youssef, Khadija, Mehdi, Zineb, "
    "Walid, Sofia, Elif, Murat, Ayşe, Oleksandr, Olena, Tetiana, Andriy, Ioana, Mihai, "
    "Elena, Vasile, Ahmad, Zahra, Farid, Shirin, Tharshan, Kavitha, Nimal, Thi Lan, Minh, "
    "Mei, Wei, José, Maria, João, Ana, Carmen, Luis, Jeanne, Marcel, Monique, Gérard, "
    "Josiane, Bernard, Christiane, Michel, Sylvie, Patrick, Nathalie, Kevin, Jessica, Dylan, "
    "Océane, Lucas, Chloé, Enzo, Manon, Mathis, Inès, Théo, Jade, Grâce, Prince, Divine, "
    "Christelle, Junior, Blessing, Fode, Kadiatou, Seydou, Ousmane"
)
LAST_NAMES = _names(
    "Diallo, Traoré, Koné, Camara, Cissé, Sylla, Keïta, Diarra, Touré, Ndiaye, Sow, Ba, "
    "Benali, Haddad, Bensaïd, Cherif, Amrani, Bouzid, Mansouri, El Idrissi, Kaya, Yılmaz, "
    "Demir, Öztürk, Shevchenko, Kovalenko, Bondarenko, Popescu, Ionescu, Dumitru, Rahimi, "
    "Hosseini, Ahmadi, Sivakumar, Ramasamy, Nguyen, Tran, Pham, Chen, Wang, Li, Da Silva, "
    "Pereira, Ferreira, García, Fernández, Martin, Bernard, Dubois, Thomas, Robert, Richard, "
    "Petit, Durand, Leroy, Moreau, Simon, Laurent, Lefebvre, Michel, Garcia, Fontaine, "
    "Chevalier, Mbemba, Kabila, Nkosi, Okafor, Mensah, Kouassi, Yao, Tshibangu"
)
LANGUAGE_MIXES: list[tuple[list[str], int]] = [
    (["fr"], 40),
    (["fr", "ar"], 12),
    (["ar"], 5),
    (["fr", "en"], 6),
    (["en"], 3),
    (["uk", "ru"], 5),
    (["fa", "ps"], 4),
    (["ta", "en"], 3),
    (["ro"], 3),
    (["pt", "fr"], 3),
    (["es"], 2),
    (["tr"], 2),
    (["zh"], 2),
    (["fr", "other"], 4),
]
REASONS = [
    "Doit actualiser sa situation sur le site de France Travail chaque mois, n'y arrive pas "
    "seul·e.",
    "Démarches CAF en ligne (déclaration trimestrielle) impossibles sans aide ni matériel.",
    "N'a plus de téléphone depuis un vol : ne reçoit plus les SMS de confirmation des rendez-vous.",
    "Demande de titre de séjour à faire sur l'ANEF : besoin d'un accompagnement pas à pas.",
    "Recherche d'emploi : doit consulter ses offres et répondre aux recruteurs par e-mail.",
    "Téléphone trop ancien pour installer les applications de la banque et d'Ameli.",
    "Sortie d'hébergement prévue : doit pouvoir faire ses démarches de logement en ligne.",
    "Parent isolé·e : veut suivre la scolarité des enfants sur l'ENT du collège.",
    "Forfait trop cher pour son budget : cherche une solution de connexion solidaire.",
    "Jeune en insertion sans ordinateur pour sa formation à distance.",
    "Personne âgée isolée : souhaite garder le lien avec sa famille en visio.",
    "Dossier retraite à compléter en ligne, ne sait pas créer d'adresse e-mail.",
    "Peur de mal faire sur internet, préfère être accompagnée pour les démarches de santé.",
    "Ne sait pas lire le français écrit : besoin d'un accompagnement adapté.",
    "A perdu l'accès à sa messagerie et à tous ses comptes en ligne.",
]
DETAILS = {
    "equip": [
        "Un smartphone simple d'utilisation",
        "Un ordinateur portable pour la formation",
        "Une tablette à grand écran",
        "",
    ],
    "connect": [
        "Une carte SIM avec un petit forfait",
        "Des recharges solidaires",
        "Une connexion à la maison pour les enfants",
        "",
    ],
    "support": [
        "Créer une adresse e-mail et l'utiliser",
        "Apprendre à utiliser FranceConnect",
        "Ateliers en petit groupe, de préférence le matin",
        "",
    ],
}
NO_PHONE_NOTES = [
    "Joindre par l'intermédiaire du référent.",
    "Passe au foyer le mardi et le jeudi matin.",
    "Laisser un message à l'accueil de la structure.",
]
# (prefix, first free line number) of the fiction ranges; one number per person.
FICTION_RANGES = ["+33199", "+33261", "+33353", "+33465", "+33536"]
FICTION_BLOCKS = {"+33199": "00", "+33261": "91", "+33353": "01", "+33465": "71", "+33536": "49"}
EXAMPLE_DOMAINS = ["example.org", "example.net", "example.com"]

WORKING_HOURS = (9, 17)


@dataclass
class Plan:
    """One demo referral, decided before anything is written (so the run is reproducible)."""

    reference: str
    referent: User
    structure: PartnerStructure
    reception_point: ReceptionPoint
    fields: dict[str, Any]
    created_at: datetime
    status: ReferralStatus
    decided_at: datetime | None
    refusal_code: str = ""
    milestones: tuple[tuple[Milestone, datetime], ...] = ()
    profile: str = ""


def seed_referrals(network: DemoNetwork, *, count: int = REFERRAL_COUNT) -> dict[str, int]:
    """Create the demo referrals once. Returns the demo referrals by status, the number of
    beneficiaries they opened, and how many referrals this run created (0 when they existed).

    About 4 seconds for 300 referrals on SQLite: tests that do not look at referrals may pass
    a smaller `count`."""
    referents = _demo_referents(network)
    plans = _plans(referents, count)
    created = 0
    if not Referral.objects.filter(reference=plans[0].reference).exists():
        deciders: dict[int, list[User]] = {}
        with transaction.atomic():
            restore_emails = _silence_status_emails()
            for plan in plans:
                point = plan.reception_point
                if point.pk not in deciders:
                    deciders[point.pk] = _deciders(point)
                _write(plan, deciders[point.pk])
            transaction.on_commit(restore_emails)
            created = len(plans)
    return _summary(plans, created)


# --- Who writes and who decides -------------------------------------------------------------------


def _demo_referents(network: DemoNetwork) -> list[tuple[User, PartnerStructure, int]]:
    """(référent, structure, weight): the Paris 19e pair writes about half of the bons."""
    structure = network["paris_19_structure"]
    emails = [f"{local}@{DEMO_EMAIL_DOMAIN}" for local in PARIS_19_REFERENTS]
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    result = [(users[email], structure, 8) for email in emails if email in users]
    for extra in EXTRA_REFERENTS:
        other = PartnerStructure.objects.get(siret=fictitious_siret(extra.structure_number))
        result.append((_extra_referent(extra, other), other, 3))
    return result


def _extra_referent(spec: ExtraReferent, structure: PartnerStructure) -> User:
    email = f"{spec.local_part}@{DEMO_EMAIL_DOMAIN}"
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": spec.first_name, "last_name": spec.last_name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.update_or_create(
        user=user,
        role=Role.REFERENT,
        partner_structure=structure,
        reception_point=None,
        donor=None,
        defaults={"is_active": True, "deactivated_at": None},
    )
    return user


def _deciders(point: ReceptionPoint) -> list[User]:
    """The site team decides; a site without demo staff is handled by the national admin."""
    staff = [
        m.user
        for m in Membership.objects.active()
        .filter(reception_point=point, role__in=[Role.SITE_MANAGER, Role.STAFF])
        .select_related("user")
        .order_by("id")
    ]
    if staff:
        return staff
    return (
        list(User.objects.filter(email=f"admin@{DEMO_EMAIL_DOMAIN}"))
        or [
            m.user
            for m in Membership.objects.filter(role=Role.NATIONAL_ADMIN).select_related("user")
        ][:1]
    )


# --- The plan -------------------------------------------------------------------------------------


def _plans(referents: list[tuple[User, PartnerStructure, int]], count: int) -> list[Plan]:
    rng = random.Random(SEED)
    now = timezone.now()
    points = list(ReceptionPoint.objects.active().order_by("name"))
    ensure_default_refusal_reasons()
    reason_codes = list(
        RefusalReason.objects.filter(is_active=True)
        .order_by("position")
        .values_list("code", flat=True)
    )
    # References come from their own generator: the same codes on every run, whatever the day.
    reference_rng = random.Random(SEED + 1)
    references: set[str] = set()
    # Six months of history, busier in the last two weeks so that inboxes have pending bons.
    ages = sorted(
        (
            rng.uniform(0.05, RECENT_DAYS if rng.random() < RECENT_SHARE else HISTORY_DAYS)
            for _ in range(count)
        ),
        reverse=True,
    )
    plans = []
    for index, age in enumerate(ages):
        referent, structure, _weight = rng.choices(referents, [w for *_x, w in referents])[0]
        created_at = _office_hours(now - timedelta(days=age), rng)
        status, decided_at = _status(rng, created_at, now)
        point = structure.reception_point
        if rng.random() < 0.12 or not point.is_active:
            point = rng.choice(points)
        plan = Plan(
            reference=_reference(reference_rng, references),
            referent=referent,
            structure=structure,
            reception_point=point,
            fields=_person(rng, index),
            created_at=created_at,
            status=status,
            decided_at=decided_at,
        )
        if status == ReferralStatus.REFUSED:
            plan.refusal_code = rng.choice(reason_codes)
        if status == ReferralStatus.VALIDATED and decided_at is not None:
            plan.milestones = _milestones(rng, decided_at, now)
            plan.profile = rng.choice([*Profile.values, "", ""])
        plans.append(plan)
    return plans


def _reference(rng: random.Random, taken: set[str]) -> str:
    while True:
        code = "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


def _office_hours(moment: datetime, rng: random.Random) -> datetime:
    local = timezone.localtime(moment)
    if local.weekday() >= 5:  # social workers write on weekdays
        local -= timedelta(days=local.weekday() - 4)
    hour = rng.randint(*WORKING_HOURS)
    local = local.replace(hour=hour, minute=rng.randint(0, 59), second=rng.randint(0, 59))
    return min(local, timezone.localtime(timezone.now()) - timedelta(minutes=5))


def _status(
    rng: random.Random, created_at: datetime, now: datetime
) -> tuple[ReferralStatus, datetime | None]:
    """Recent bons are mostly pending; older ones were decided, or expired unanswered."""
    S = ReferralStatus
    age_days = (now - created_at).days
    expiry_days = settings.REFERRAL_EXPIRY_DAYS
    if age_days < 7:
        weights = {S.OPEN: 60, S.UNDER_REVIEW: 25, S.VALIDATED: 10, S.REFUSED: 5}
    elif age_days < expiry_days:
        weights = {S.OPEN: 25, S.UNDER_REVIEW: 25, S.VALIDATED: 35, S.REFUSED: 15}
    else:
        weights = {S.VALIDATED: 68, S.REFUSED: 17, S.EXPIRED: 15}
    status = rng.choices(list(weights), list(weights.values()))[0]
    if status in (S.OPEN, S.UNDER_REVIEW):
        return status, None
    if status == S.EXPIRED:
        return status, created_at + timedelta(days=expiry_days)
    delay = timedelta(days=rng.uniform(0.2, min(12.0, max(0.3, age_days))))
    return status, min(created_at + delay, now - timedelta(minutes=1))


def _milestones(
    rng: random.Random, decided_at: datetime, now: datetime
) -> tuple[tuple[Milestone, datetime], ...]:
    steps = []
    moment = decided_at
    for milestone, chance in [
        (Milestone.EQUIPPED, 0.6),
        (Milestone.CONNECTED, 0.55),
        (Milestone.COURSE_FINISHED, 0.35),
    ]:
        moment += timedelta(days=rng.uniform(3, 40))
        if moment < now and rng.random() < chance:
            steps.append((milestone, moment))
    return tuple(steps)


def _person(rng: random.Random, index: int) -> dict[str, Any]:
    first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    has_no_phone = rng.random() < 0.1
    email = ""
    if rng.random() < 0.3:
        email = f"{_ascii(first_name)}.{_ascii(last_name)}{index}@{rng.choice(EXAMPLE_DOMAINS)}"
    if has_no_phone:
        preference = ContactPreference.REFERENT
    else:
        preference = rng.choices(
            [ContactPreference.CALL, ContactPreference.REFERENT, ContactPreference.EMAIL],
            [70, 20, 10 if email else 0],
        )[0]
    needs = {need: rng.random() < chance for need, chance in _NEED_CHANCES}
    if not any(needs.values()):
        needs[rng.choice(list(needs))] = True
    fields: dict[str, Any] = {
        "first_name": first_name,
        "last_name": last_name,
        "birth_year": rng.randint(1940, 2007),
        "phone": "" if has_no_phone else _fiction_phone(index),
        "has_no_phone": has_no_phone,
        "contact_notes": rng.choice(NO_PHONE_NOTES) if has_no_phone else "",
        "email": email,
        "languages": rng.choices(
            [mix for mix, _w in LANGUAGE_MIXES], [w for _m, w in LANGUAGE_MIXES]
        )[0],
        "contact_preference": preference,
        "housing": rng.choices(list(Housing.values), [15, 35, 25, 25])[0],
        "publics": sorted(set(rng.sample(list(Public.values), rng.choice([0, 1, 1, 2])))),
        "reason": rng.choice(REASONS),
    }
    for need, wanted in needs.items():
        fields[f"needs_{need}"] = wanted
        fields[f"needs_{need}_detail"] = rng.choice(DETAILS[need]) if wanted else ""
    if needs["equip"] and needs["connect"] and index % 3 == 0:
        # Some référents put the connection first (no draw: the demo stays the same).
        fields["needs_priority"] = ["connect", "equip"]
    return fields


_NEED_CHANCES = [("equip", 0.5), ("connect", 0.45), ("support", 0.55)]


def _fiction_phone(index: int) -> str:
    prefix = FICTION_RANGES[index % len(FICTION_RANGES)]
    return f"{prefix}{FICTION_BLOCKS[prefix]}{3000 + index:04d}"


def _ascii(name: str) -> str:
    plain = normalize_name(name).replace(" ", "-")
    return plain.encode("ascii", "ignore").decode()


# --- Writing --------------------------------------------------------------------------------------


def _decider(plan: Plan, deciders: list[User]) -> User:
    """The person of the reception point's team who decides this referral (the demo gives every
    point one)."""
    assert deciders, f"no staff at {plan.reception_point} to decide"
    return deciders[sum(map(ord, plan.reference)) % len(deciders)]


def _write(plan: Plan, deciders: list[User]) -> None:
    referral = create_referral(
        acting_user=plan.referent,
        referral=Referral(
            reference=plan.reference,
            partner_structure=plan.structure,
            reception_point=plan.reception_point,
            consent_given_at=plan.created_at,
            **plan.fields,
        ),
    )
    if plan.status == ReferralStatus.UNDER_REVIEW:
        start_review(acting_user=_decider(plan, deciders), referral=referral)
    elif plan.status == ReferralStatus.VALIDATED:
        referral = validate_referral(acting_user=_decider(plan, deciders), referral=referral)
    elif plan.status == ReferralStatus.REFUSED:
        reason = RefusalReason.objects.get(code=plan.refusal_code)
        comment = "Précisé par téléphone au référent." if reason.code == "autre" else ""
        refuse_referral(
            acting_user=_decider(plan, deciders), referral=referral, reason=reason, comment=comment
        )
    elif plan.status == ReferralStatus.EXPIRED:
        expire_referral(referral=referral, now=plan.decided_at)
    _backdate(plan, referral)


def _backdate(plan: Plan, referral: Referral) -> None:
    """Move the referral (and what its validation created) back to the planned dates."""
    last_change = plan.decided_at or plan.created_at
    Referral.objects.filter(pk=referral.pk).update(
        created_at=plan.created_at, updated_at=last_change, decided_at=plan.decided_at
    )
    if plan.status != ReferralStatus.VALIDATED or plan.decided_at is None:
        return
    beneficiary_id = referral.beneficiary_id
    assert beneficiary_id is not None  # validated
    Beneficiary.objects.filter(pk=beneficiary_id).update(
        created_at=plan.decided_at, updated_at=plan.decided_at, profile=plan.profile
    )
    starts_on = timezone.localdate(plan.decided_at)
    AccessPeriod.objects.filter(beneficiary_id=beneficiary_id).update(
        starts_on=starts_on, ends_on=add_months(starts_on, settings.ACCESS_PERIOD_MONTHS)
    )
    Beneficiary.objects.filter(pk=beneficiary_id).refresh_access_ends_on()
    TimelineEntry.objects.filter(beneficiary_id=beneficiary_id).update(at=plan.decided_at)
    beneficiary = Beneficiary(pk=beneficiary_id)
    for milestone, moment in plan.milestones:
        add_entry(
            beneficiary=beneficiary,
            kind=f"demo.{milestone}",
            summary=str(milestone.label),
            milestone=milestone,
            at=moment,
        )


def _silence_status_emails() -> Callable[[], None]:
    """The services e-mail the référent after commit: during seeding, into a dropped
    in-memory box rather than the console (`make run` prints e-mails).

    Returns the function that restores the e-mail backend; register it with `on_commit`
    after the last service call. Commit callbacks run in order, whether our transaction or
    the caller's is the outermost: switch on, the services' e-mails, switch off."""
    silence = override_settings(EMAIL_BACKEND=LOCMEM_BACKEND)
    already_sent = len(getattr(mail, "outbox", []))

    def drop() -> None:
        silence.disable()
        outbox = getattr(mail, "outbox", None)
        if outbox is not None:
            del outbox[already_sent:]

    transaction.on_commit(silence.enable)
    return drop


def _summary(plans: list[Plan], created: int) -> dict[str, int]:
    demo = Referral.objects.filter(reference__in=[plan.reference for plan in plans])
    counts: dict[str, int] = dict.fromkeys(ReferralStatus.values, 0)
    for status in demo.values_list("status", flat=True):
        counts[status] += 1
    counts["referrals"] = sum(counts.values())
    counts["beneficiaries"] = (
        demo.exclude(beneficiary=None).values("beneficiary").distinct().count()
    )
    counts["created"] = created
    return counts
