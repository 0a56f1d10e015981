"""`polis role list|grant|revoke`: manage staff roles from the command line, recorded in the
audit log as the operator's ("system") changes."""

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from polis.accounts.models import User
from polis.accounts.role_actions import (
    STAFF_TOOL_ROLES,
    role_grant,
    role_holders,
    role_revoke,
    user_set_flags,
)
from polis.accounts.roles import Role, roles_of


class Command(BaseCommand):
    help = "List who holds which staff role, or grant or revoke one (recorded in the audit log)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("list", help="Every account holding a role, with its roles.")
        for name, what in (("grant", "Give"), ("revoke", "Take away")):
            command = sub.add_parser(name, help=f"{what} a role ({', '.join(Role.values)}).")
            command.add_argument("username")
            command.add_argument("role", choices=Role.values)
            command.add_argument("--reason", default="", help="Why, for the audit log.")
            if name == "grant":
                command.add_argument(
                    "--staff",
                    action="store_true",
                    help="Also make the account staff, which the moderation tools need.",
                )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['subcommand']}")(options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

    def _user(self, username: str) -> User:
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        return user

    def _list(self, options: dict[str, Any]) -> None:
        for user, roles in role_holders():
            staff = "staff" if user.is_staff or user.is_superuser else "not staff"
            self.stdout.write(f"{user.username}\t{staff}\t{', '.join(sorted(roles))}")

    def _grant(self, options: dict[str, Any]) -> None:
        user, role = self._user(options["username"]), options["role"]
        granted = role_grant(actor=None, user=user, role=role, reason=options["reason"])
        if options["staff"]:
            user_set_flags(actor=None, user=user, reason=options["reason"], is_staff=True)
        self.stdout.write(
            f"{user.username} now holds {role}."
            if granted
            else f"{user.username} already held {role}."
        )
        if role in STAFF_TOOL_ROLES and not (user.is_staff or user.is_superuser):
            self.stdout.write(
                f"{user.username} is not staff, so the role opens no staff tool yet: "
                "grant it again with --staff."
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        user, role = self._user(options["username"]), options["role"]
        revoked = role_revoke(actor=None, user=user, role=role, reason=options["reason"])
        if revoked:
            self.stdout.write(f"{user.username} no longer holds {role}.")
        elif role in roles_of(user):
            self.stdout.write(f"{user.username} holds {role} as a superuser; nothing changed.")
        else:
            self.stdout.write(f"{user.username} did not hold {role}.")
