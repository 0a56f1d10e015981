"""`polis invite`: make sign-up invitation codes and print one per line, for scripts."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from polis.accounts.actions import invitation_create


class Command(BaseCommand):
    help = "Create invitation codes for invitation-only sign-up and print them, one per line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default="", help="Record who the invitation is for.")
        parser.add_argument("--count", type=int, default=1, help="How many codes (default 1).")

    def handle(self, *args, email: str, count: int, **options) -> None:
        if count < 1:
            raise CommandError("--count must be at least 1.")
        for _ in range(count):
            try:
                invitation = invitation_create(email=email)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
            self.stdout.write(invitation.token)
