"""Verify the evidence chains of contracts: every event's hash, its link to the one before,
and the stored document and PDF hashes. Exit status 1 when any chain is broken.

    manage.py contracts_verify            # every contract
    manage.py contracts_verify 12 15      # these contracts
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trainerhub.contracts.evidence import verify_chain
from trainerhub.contracts.models import Contract


class Command(BaseCommand):
    help = "Verify the hash-chained evidence trail of contracts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="Contract ids (default: all).")

    def handle(self, *args: Any, ids: list[int], **options: Any) -> None:
        rows = Contract.objects.order_by("id")
        if ids:
            rows = rows.filter(pk__in=ids)
            missing = sorted(set(ids) - set(rows.values_list("pk", flat=True)))
            if missing:
                raise CommandError(f"No contract with id {', '.join(map(str, missing))}.")
        broken = checked = 0
        for contract in rows.iterator(chunk_size=200):
            report = verify_chain(contract)
            checked += 1
            if report.ok:
                self.stdout.write(f"contract {contract.pk}: ok ({report.events} events)")
            else:
                broken += 1
                for problem in report.problems:
                    self.stderr.write(f"contract {contract.pk}: {problem}")
        self.stdout.write(f"{checked} checked, {broken} broken.")
        if broken:
            raise CommandError(f"{broken} contract(s) failed verification.", returncode=1)
