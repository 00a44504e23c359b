"""Donations, devices and everything that happens to a device until it is sold.

A device is in exactly one place: with its refurbishing workshop (no reception point and no open
transfer), in transit (`transfer` set), or at one reception point (`reception_point` set). A
check constraint keeps the last two exclusive, and only `services` move a device.

One module per sub-area; everything is importable from `solidarnum.equipment.models`.
"""

from solidarnum.common.models import ReferencedModel
from solidarnum.equipment.models.devices import (
    Device,
    DeviceCheck,
    DeviceEvent,
    DeviceQuerySet,
    ErasureRecord,
    certificate_path,
)
from solidarnum.equipment.models.donations import Donation, DonationItem
from solidarnum.equipment.models.imports import ImportBatch, ImportJob
from solidarnum.equipment.models.logistics import StockCount, StockCountScan, Transfer, TransferItem
from solidarnum.equipment.models.prices import Price, PriceQuerySet

__all__ = [
    "Device",
    "DeviceCheck",
    "DeviceEvent",
    "DeviceQuerySet",
    "Donation",
    "DonationItem",
    "ErasureRecord",
    "ImportBatch",
    "ImportJob",
    "Price",
    "PriceQuerySet",
    "ReferencedModel",
    "StockCount",
    "StockCountScan",
    "Transfer",
    "TransferItem",
    "certificate_path",
]
