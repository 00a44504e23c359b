"""Writes on people's files. Each is audited in the same transaction."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.common.errors import ServiceError
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from .diagnostic import QUESTION_CODES, compute_profile, suggest_services
from .enums import Ability, ConnectionKind, Equipment, ExitOutcome, Milestone, Profile
from .labels import needs_priority
from .models import AccessPeriod, Beneficiary, BeneficiaryQuerySet, Diagnostic, StaffNote
from .timeline import add_entry

# Fields copied from a referral into a new file.
PERSON_FIELDS = [
    "first_name",
    "last_name",
    "birth_year",
    "phone",
    "has_no_phone",
    "email",
    "languages",
    "contact_preference",
    "contact_notes",
    "housing",
    "publics",
]


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # Clamp the day (31 January + 1 month = 28/29 February).
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)


def possible_duplicates(
    *, reception_point_id: int | None, search_name: str, birth_year: int, phone: Any
) -> BeneficiaryQuerySet:
    """Files that may be the same person: same name and birth year, or same phone."""
    condition = Q(search_name=search_name, birth_year=birth_year)
    if phone:
        condition |= Q(phone=phone)
    qs = Beneficiary.objects.current().filter(condition)
    if reception_point_id is not None:
        qs = qs.filter(reception_point_id=reception_point_id)
    return qs.order_by("-created_at")[:10]


@transaction.atomic
def open_access_period(
    *, acting_user: User, beneficiary: Beneficiary, referral: Any = None, today: date | None = None
) -> AccessPeriod:
    """Open (or renew, from today) the access period of `ACCESS_PERIOD_MONTHS` months."""
    today = today or timezone.localdate()
    period = AccessPeriod.objects.create(
        beneficiary=beneficiary,
        starts_on=today,
        ends_on=add_months(today, settings.ACCESS_PERIOD_MONTHS),
        referral=referral,
    )
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=period,
        changed_fields=["starts_on", "ends_on"],
    )
    _refresh_access_end(beneficiary)
    return period


def _refresh_access_end(*files: Beneficiary) -> None:
    """The files' `access_ends_on` after a write on their access periods, in the database and
    on the instances (a later `save()` must not write an old value back)."""
    Beneficiary.objects.filter(pk__in=[f.pk for f in files]).refresh_access_ends_on()
    for beneficiary in files:
        beneficiary.refresh_from_db(fields=["access_ends_on"])


@transaction.atomic
def intake_from_referral(
    *, acting_user: User, referral: Any, existing: Beneficiary | None = None
) -> Beneficiary:
    """Create the file from a referral, or link the referral to an existing file."""
    if existing is None:
        beneficiary = Beneficiary(
            reception_point=referral.reception_point,
            partner_structure=referral.partner_structure,
            referent=referral.referent,
            needs_equip=referral.needs_equip,
            needs_connect=referral.needs_connect,
            needs_support=referral.needs_support,
            needs_priority=list(referral.needs_priority),
            **{field: getattr(referral, field) for field in PERSON_FIELDS},
        )
        beneficiary.save()
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=beneficiary,
            changed_fields=PERSON_FIELDS,
        )
        add_entry(
            beneficiary=beneficiary,
            kind="beneficiary.created",
            summary=_("Dossier ouvert"),
            actor=acting_user,
            obj=beneficiary,
        )
    else:
        beneficiary = existing
        beneficiary.referent = referral.referent
        beneficiary.partner_structure = referral.partner_structure
        beneficiary.needs_equip |= referral.needs_equip
        beneficiary.needs_connect |= referral.needs_connect
        beneficiary.needs_support |= referral.needs_support
        # The new referral's order first; needs only the file had keep their previous order.
        beneficiary.needs_priority = needs_priority(
            beneficiary, referral.needs_priority, beneficiary.needs_priority
        )
        beneficiary.save()
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=beneficiary,
            changed_fields=["referent", "partner_structure", "needs"],
        )
    open_access_period(acting_user=acting_user, beneficiary=beneficiary, referral=referral)
    add_entry(
        beneficiary=beneficiary,
        kind="referral.validated",
        summary=_("Orientation %(ref)s validée") % {"ref": referral.reference},
        actor=acting_user,
        milestone=Milestone.FIRST_VISIT,
        obj=referral,
    )
    return beneficiary


# --- File page writes: notes, diagnostics, merge, exit ----------------------------------------


NOTE_MAX_LENGTH = 5000


@transaction.atomic
def add_note(*, acting_user: User, beneficiary: Beneficiary, text: str) -> StaffNote:
    """A staff note. The person may ask to read it: facts only, written with respect."""
    text = text.strip()
    if not text:
        raise ServiceError(_("La note est vide."))
    if len(text) > NOTE_MAX_LENGTH:
        raise ServiceError(
            _("La note est trop longue (%(max)s caractères au plus).") % {"max": NOTE_MAX_LENGTH}
        )
    note = StaffNote.objects.create(beneficiary=beneficiary, author=acting_user, text=text)
    record(actor=acting_user, action=AuditAction.CREATE, obj=note, changed_fields=["text"])
    return note


MAX_TELECOM_SPEND = Decimal("500")


@transaction.atomic
def record_diagnostic(
    *,
    acting_user: User,
    beneficiary: Beneficiary,
    answers: dict[str, str],
    equipment: list[str],
    connection: str,
    telecom_spend_monthly: Decimal | None,
    profile_override: str | None = None,
    override_reason: str = "",
) -> Diagnostic:
    """Keep a new diagnostic (older ones stay, so progress shows) and update the profile."""
    missing = [code for code in QUESTION_CODES if answers.get(code) not in Ability.values]
    if missing:
        raise ServiceError(_("Répondez à toutes les questions du diagnostic."))
    if any(item not in Equipment.values for item in equipment):
        raise ServiceError(_("Équipement inconnu."))
    if connection not in ConnectionKind.values:
        raise ServiceError(_("Type de connexion inconnu."))
    if telecom_spend_monthly is not None and not (0 <= telecom_spend_monthly <= MAX_TELECOM_SPEND):
        raise ServiceError(_("Indiquez une dépense mensuelle entre 0 et 500 €."))
    computed = compute_profile(answers)
    profile = profile_override or computed
    if profile not in Profile.values:
        raise ServiceError(_("Profil inconnu."))
    override_reason = override_reason.strip()
    if profile != computed and not override_reason:
        raise ServiceError(_("Expliquez pourquoi vous changez le profil calculé."))
    if profile == computed:
        override_reason = ""
    diagnostic = Diagnostic(
        beneficiary=beneficiary,
        done_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        answers={code: answers[code] for code in QUESTION_CODES},
        equipment=sorted(set(equipment)),
        connection=connection,
        telecom_spend_monthly=telecom_spend_monthly,
        computed_profile=computed,
        profile=profile,
        override_reason=override_reason,
    )
    diagnostic.suggested_services = suggest_services(profile, diagnostic)
    diagnostic.save()
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=diagnostic,
        changed_fields=["answers", "equipment", "connection", "telecom_spend_monthly", "profile"]
        + (["override_reason"] if override_reason else []),
    )
    beneficiary.profile = profile
    beneficiary.save(update_fields=["profile", "updated_at"])
    record(
        actor=acting_user, action=AuditAction.UPDATE, obj=beneficiary, changed_fields=["profile"]
    )
    add_entry(
        beneficiary=beneficiary,
        kind="diagnostic.done",
        summary=_("Diagnostic numérique : profil « %(profile)s »")
        % {"profile": Profile(profile).label},
        actor=acting_user,
        obj=diagnostic,
    )
    return diagnostic


# What follows a person from a duplicate file into the kept one.
# Reverse relation -> the field pointing at the person.
MERGED_RELATIONS = {
    "referrals": "beneficiary",
    "access_periods": "beneficiary",
    "diagnostics": "beneficiary",
    "timeline": "beneficiary",
    "notes": "beneficiary",
    "reserved_devices": "reserved_for",
    "devices_obtained": "sold_to",
}


@transaction.atomic
def merge_beneficiaries(
    *, acting_user: User, kept: Beneficiary, merged: Beneficiary
) -> Beneficiary:
    """Move everything of `merged` into `kept`; `merged` keeps a link to `kept` and leaves lists.

    Both files must belong to the same reception point and not be merged already.
    """
    if kept.pk == merged.pk:
        raise ServiceError(_("Un dossier ne peut pas être fusionné avec lui-même."))
    # Row locks in a fixed order: two merges of the same files at once are serialised.
    locked = {
        b.pk: b for b in Beneficiary.objects.select_for_update().filter(pk__in=[kept.pk, merged.pk])
    }
    kept, merged = locked[kept.pk], locked[merged.pk]
    if kept.reception_point_id != merged.reception_point_id:
        raise ServiceError(_("Seuls deux dossiers du même point d'accueil peuvent être fusionnés."))
    if kept.merged_into_id or merged.merged_into_id:
        raise ServiceError(_("L'un de ces dossiers a déjà été fusionné."))
    for relation, field in MERGED_RELATIONS.items():
        getattr(merged, relation).update(**{field: kept})
    # Files merged earlier into `merged` now point straight at `kept` (one redirect, never two).
    Beneficiary.objects.filter(merged_into=merged).update(merged_into=kept)
    kept.needs_equip |= merged.needs_equip
    kept.needs_connect |= merged.needs_connect
    kept.needs_support |= merged.needs_support
    kept.needs_priority = needs_priority(kept, kept.needs_priority, merged.needs_priority)
    latest = kept.diagnostics.order_by("-done_at", "-pk").first()
    if latest is not None:
        kept.profile = latest.profile
    elif not kept.profile:
        kept.profile = merged.profile
    kept.save()
    merged.merged_into = kept
    merged.save(update_fields=["merged_into", "updated_at"])
    _refresh_access_end(kept, merged)
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=kept,
        changed_fields=[*MERGED_RELATIONS, "needs", "profile"],
    )
    record(actor=acting_user, action=AuditAction.UPDATE, obj=merged, changed_fields=["merged_into"])
    add_entry(
        beneficiary=kept,
        kind="beneficiary.merged",
        summary=_("Doublon fusionné dans ce dossier"),
        actor=acting_user,
        obj=merged,
    )
    return kept


@transaction.atomic
def record_exit(
    *,
    acting_user: User,
    beneficiary: Beneficiary,
    outcome: str,
    is_equipped: bool,
    is_connected: bool,
    has_basic_skills: bool,
    comment: str = "",
    today: date | None = None,
) -> Beneficiary:
    """Close the file: the "bagage numérique minimum" checklist, the outcome, the early end of a
    running access period, and the EXIT milestone the référent sees."""
    today = today or timezone.localdate()
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    if beneficiary.exited_on is not None:
        raise ServiceError(_("La sortie de ce dossier est déjà enregistrée."))
    if outcome not in ExitOutcome.values:
        raise ServiceError(_("Motif de sortie inconnu."))
    if outcome == ExitOutcome.AUTONOMOUS and not (
        is_equipped and is_connected and has_basic_skills
    ):
        raise ServiceError(
            _(
                "« Bagage numérique minimum atteint » demande les trois cases : équipé·e, "
                "connecté·e et compétences de base acquises."
            )
        )
    beneficiary.exited_on = today
    beneficiary.exit_outcome = outcome
    beneficiary.exit_comment = comment.strip()[:255]
    beneficiary.is_equipped = is_equipped
    beneficiary.is_connected = is_connected
    beneficiary.has_basic_skills = has_basic_skills
    beneficiary.save()
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=beneficiary,
        changed_fields=[
            "exited_on",
            "exit_outcome",
            "exit_comment",
            "is_equipped",
            "is_connected",
            "has_basic_skills",
        ],
    )
    running = beneficiary.access_periods.filter(ended_early_on__isnull=True, ends_on__gt=today)
    for period in running.select_for_update():
        period.ended_early_on = today
        period.save(update_fields=["ended_early_on"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=period,
            changed_fields=["ended_early_on"],
        )
    _refresh_access_end(beneficiary)
    add_entry(
        beneficiary=beneficiary,
        kind="beneficiary.exited",
        # Seen by the référent: the outcome only, never the comment.
        summary=_("Sortie : %(outcome)s") % {"outcome": ExitOutcome(outcome).label},
        actor=acting_user,
        milestone=Milestone.EXIT,
        obj=beneficiary,
    )
    return beneficiary
