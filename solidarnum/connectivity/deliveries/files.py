"""The operator's delivery file: its columns, reading it, its template.

The rows are read by the readers every import shares (`common.tabular`: CSV in
UTF-8 with ";" or ",", or .xlsx; blank lines skipped, every row keeping its line number in the
file), and checked here as a whole (size, headers, row count) before any row is looked at.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import tablib
from defusedcsv import csv as safe_csv
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidarnum.common.errors import ServiceError
from solidarnum.common.tabular import LINE_COLUMN, csv_rows, plain, xlsx_rows

COLUMNS: list[tuple[str, Any]] = [
    ("offre", gettext_lazy("nom de l'offre du catalogue, ex. Recharge essentielle")),
    ("iccid", gettext_lazy("carte SIM : 19 ou 20 chiffres commençant par 89")),
    ("telephone", gettext_lazy("carte SIM : numéro de la ligne, s'il est connu")),
    ("numero_serie", gettext_lazy("recharge ou carte internet : numéro de série, unique")),
    (
        "code_secret",
        gettext_lazy("recharge ou carte internet : code à gratter, chiffré dès l'import"),
    ),
    ("valeur_faciale", gettext_lazy("en euros, ex. 10 ou 10,00")),
    ("date_expiration", gettext_lazy("jj/mm/aaaa")),
]
COLUMN_NAMES = [name for name, _help in COLUMNS]
REQUIRED_COLUMNS = ["offre"]
HEADER_ALIASES = {
    "offer": "offre",
    "produit": "offre",
    "n_serie": "numero_serie",
    "numero_de_serie": "numero_serie",
    "serie": "numero_serie",
    "serial": "numero_serie",
    "code": "code_secret",
    "pin": "code_secret",
    "code_pin": "code_secret",
    "numero_de_telephone": "telephone",
    "msisdn": "telephone",
    "valeur": "valeur_faciale",
    "montant": "valeur_faciale",
    "expiration": "date_expiration",
    "date_d_expiration": "date_expiration",
    "expire_le": "date_expiration",
}


def _key(value: object) -> str:
    key = plain(str(value or "").replace("\ufeff", "")).replace(" ", "_")
    return HEADER_ALIASES.get(key, key)


def read_delivery_file(file_name: str, content: bytes) -> tablib.Dataset:
    """The rows of an uploaded delivery, checked as a whole. Raises `ServiceError`."""
    max_bytes = settings.CONNECTIVITY_IMPORT_MAX_BYTES
    if len(content) > max_bytes:
        raise ServiceError(
            _("Le fichier est trop lourd (%(size)s) : %(max)s au maximum.")
            % {"size": filesizeformat(len(content)), "max": filesizeformat(max_bytes)}
        )
    extension = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    rows: Iterator[tuple[int, list[Any]]]
    if extension == "csv":
        rows = csv_rows(content)
    elif extension == "xlsx":
        rows = xlsx_rows(content)
    else:
        raise ServiceError(_("Seuls les fichiers CSV (.csv) et Excel (.xlsx) sont acceptés."))
    return _dataset(rows)


def _dataset(rows: Iterator[tuple[int, list[Any]]]) -> tablib.Dataset:
    header: list[str] | None = None
    keep: list[int] = []
    dataset: tablib.Dataset | None = None
    max_rows = settings.CONNECTIVITY_IMPORT_MAX_ROWS
    for number, row in rows:
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        if header is None:
            header, keep = _headers(row)
            dataset = tablib.Dataset(headers=[*header, LINE_COLUMN])
            continue
        assert dataset is not None
        if len(dataset) >= max_rows:
            raise ServiceError(
                _(
                    "Le fichier contient trop de lignes : %(max)s cartes et codes au maximum par "
                    "import. Découpez-le en plusieurs fichiers."
                )
                % {"max": max_rows}
            )
        extra = [cell for index, cell in enumerate(row) if index not in keep]
        if any(cell is not None and str(cell).strip() for cell in extra):
            raise ServiceError(
                _(
                    "La ligne %(line)s contient des valeurs sans titre de colonne : vérifiez "
                    "le séparateur (« ; » ou « , ») et les titres."
                )
                % {"line": number}
            )
        dataset.append([*(row[i] if i < len(row) else None for i in keep), number])
    if dataset is None:
        raise ServiceError(_("Le fichier est vide."))
    if not len(dataset):
        raise ServiceError(
            _("Le fichier ne contient aucune carte ni aucun code : seulement les titres.")
        )
    return dataset


def _headers(row: list[Any]) -> tuple[list[str], list[int]]:
    names: list[str] = []
    keep: list[int] = []
    unknown: list[str] = []
    for index, cell in enumerate(row):
        raw = "" if cell is None else str(cell).strip()
        if not raw:
            continue
        key = _key(raw)
        if key not in COLUMN_NAMES:
            unknown.append(raw)
            continue
        if key in names:
            raise ServiceError(_("La colonne « %(name)s » apparaît deux fois.") % {"name": key})
        names.append(key)
        keep.append(index)
    if unknown:
        raise ServiceError(
            _("Colonnes inconnues : %(unknown)s. Colonnes acceptées : %(known)s.")
            % {
                "unknown": ", ".join(f"« {name} »" for name in unknown),
                "known": ", ".join(COLUMN_NAMES),
            }
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing or not ({"iccid", "numero_serie"} & set(names)):
        raise ServiceError(
            _(
                "Colonnes obligatoires absentes : la première ligne doit contenir « offre » et "
                "« iccid » (cartes SIM) ou « numero_serie » (recharges), voir le modèle de "
                "fichier."
            )
        )
    return names, keep


def template_csv(today: date | None = None) -> str:
    """The template with a SIM card and a recharge, as CSV with a BOM and ";"."""
    day = ((today or timezone.localdate()) + timedelta(days=365)).strftime("%d/%m/%Y")
    rows = [
        ["Carte SIM prépayée", "8933150319000000014", "0612345678", "", "", "", day],
        ["Recharge essentielle", "", "", "RC0000000001", "12345678901234", "10", day],
    ]
    out = io.StringIO()
    writer = safe_csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()
