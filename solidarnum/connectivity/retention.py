"""What connectivity forgets in the daily anonymisation (`beneficiaries.retention`, ADR 0029).

- A relay sale keeps its buyer's first name for the relay's quota and its own sales list; once
  the retention delay has run out the first name is replaced (counts, amounts and the birth
  year stay for the statements).
- When a person's file is anonymised, what staff wrote about the person's plan and dispute
  (needs, current plan, advice given, notes of the mediation steps) is emptied; the figures
  (spend, saving, amounts) and the dates stay for the reports.
"""

from __future__ import annotations

from datetime import datetime

from solidarnum.beneficiaries.retention import ANONYMOUS_NAME

from .models import MediationStep, PlanAdvice, RelaySale


def forget_old_relay_buyers(cutoff: datetime, now: datetime) -> int:
    return (
        RelaySale.objects.filter(sold_at__lt=cutoff)
        .exclude(buyer_first_name=ANONYMOUS_NAME)
        .update(buyer_first_name=ANONYMOUS_NAME, buyer_key="")
    )


def forget_notes_of_files(ids: list[int], now: datetime) -> None:
    PlanAdvice.objects.filter(beneficiary_id__in=ids).update(needs="", current_plan="", advice="")
    MediationStep.objects.filter(case__beneficiary_id__in=ids).update(note="")
