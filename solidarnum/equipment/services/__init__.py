"""Everything that changes a donation or a device. Views and tasks call these, nothing else.

Every status change goes through `_move`, which locks nothing by itself: callers hold the
device row locked (`select_for_update`) inside a transaction, so two people acting on the same
device at the same moment are served one after the other and the second sees the new status.
"""

from ._base import ServiceError, normalize_serial
from .catalogue import (
    declare_donation,
    delete_future_price,
    record_tax_receipt,
    set_price,
)
from .devices import (
    applicable_points,
    bulk_change_status,
    change_status,
    has_successful_erasure,
    record_check,
    record_erasure,
    register_device,
    register_devices,
)
from .logistics import (
    COUNTED_STATUSES,
    TRANSFERABLE_FROM_SITE,
    close_stock_count,
    receive_late,
    receive_transfer,
    scan,
    send_transfer,
    start_stock_count,
    stock_count_gaps,
)
from .reservations import cancel_reservation, expire_reservations, record_sale, reserve

__all__ = [
    "COUNTED_STATUSES",
    "TRANSFERABLE_FROM_SITE",
    "ServiceError",
    "applicable_points",
    "bulk_change_status",
    "cancel_reservation",
    "change_status",
    "close_stock_count",
    "declare_donation",
    "delete_future_price",
    "expire_reservations",
    "has_successful_erasure",
    "normalize_serial",
    "receive_late",
    "receive_transfer",
    "record_check",
    "record_erasure",
    "record_sale",
    "record_tax_receipt",
    "register_device",
    "register_devices",
    "reserve",
    "scan",
    "send_transfer",
    "set_price",
    "start_stock_count",
    "stock_count_gaps",
]
