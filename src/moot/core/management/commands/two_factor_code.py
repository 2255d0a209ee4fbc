from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moot.core import two_factor
from moot.core.models import TwoFactorDevice


class Command(BaseCommand):
    help = (
        "Print the current sign-in code of a member of staff whose authenticator is set up "
        "(for the demo account, and for helping staff who have lost their device; anyone who "
        "can run this already controls the server)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        device = TwoFactorDevice.objects.filter(
            user__username=options["username"], confirmed_at__isnull=False
        ).first()
        if device is None:
            raise CommandError(
                f"{options['username']} has no authenticator set up: they set one up the "
                "first time they sign in."
            )
        step = max(two_factor.current_step(), device.last_used_step + 1)
        self.stdout.write(two_factor.code_at(secret=device.secret, step=step))
