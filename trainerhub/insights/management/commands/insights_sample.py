"""Generate a practice for insights (rhythmic clients, planted lapsing ones) for a trainer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from trainerhub.accounts.models import User
from trainerhub.insights import risk
from trainerhub.insights.generate import generate


class Command(BaseCommand):
    help = (
        "Write generated clients and bookings for one trainer (by email), with planted "
        "lapsing clients, and say how many of them the at-risk rule flags."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--clients", type=int, default=80)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--planted", type=float, default=0.25, help="Share of lapsing clients.")
        parser.add_argument("--churned", type=float, default=0.0, help="Share who left long ago.")
        parser.add_argument(
            "--visits", type=int, default=None, help="At most this many visits each."
        )
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **opts: Any) -> None:
        trainer = User.objects.filter(email__iexact=opts["email"], role=User.Role.TRAINER).first()
        if trainer is None:
            raise CommandError(f"No trainer with the email {opts['email']}.")
        made = generate(
            trainer,
            clients=opts["clients"],
            days=opts["days"],
            planted_share=opts["planted"],
            churned_share=opts["churned"],
            visits_per_client=opts["visits"],
            seed=opts["seed"],
        )
        flagged = {f.client for f in risk.flags(trainer=trainer)}
        found = len(flagged & made.planted)
        false = len(flagged - made.planted)
        self.stdout.write(
            f"{len(made.clients)} clients, {made.sessions} sessions, {len(made.planted)} planted "
            f"lapsing; flagged {found} of them and {false} others."
        )
