"""What a booking is bought with: the money choices that travel with a booking request.

Scheduling carries them into `booking_create` (add-ons lengthen the session it must place)
and hands them on with the `booking.created` event, so the apps above it (packages, billing)
act on them in the same transaction: a handler that refuses (no credits left, a used-up
discount code) raises a domain error and nothing of the booking is written.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Purchase:
    # Ids of the service's add-ons the client chose.
    addons: tuple[int, ...] = ()
    # A discount code as typed (matched case-insensitively).
    discount_code: str = ""
    # Id of one of the client's packages whose credit pays for the session.
    client_package: int | None = None
    # The client chose to pay at the session rather than online.
    pay_at_session: bool = False
    # The trainer takes payments online (billing says so): what is due now (the deposit, or
    # the whole price unless paid at the session) holds the booking as pending_payment.
    pay_online: bool = False


NOTHING = Purchase()
