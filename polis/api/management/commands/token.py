"""`polis token create|list|revoke`: manage personal API tokens from the command line."""

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from polis.accounts.models import User
from polis.api.actions import token_create, token_revoke
from polis.api.models import ApiToken


class Command(BaseCommand):
    help = "Create, list or revoke a user's API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="Make a token and print it (shown only once).")
        create.add_argument("username")
        create.add_argument("--name", default="Command line", help="What the token is for.")
        listing = sub.add_parser("list", help="List a user's tokens (never the tokens).")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke a token by the id `list` shows.")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['subcommand']}")(options)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        return user

    def _create(self, options: dict[str, Any]) -> None:
        try:
            _, plain = token_create(actor=self._user(options["username"]), name=options["name"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(plain)

    def _list(self, options: dict[str, Any]) -> None:
        for token in ApiToken.objects.filter(user=self._user(options["username"])):
            used = token.last_used_at.isoformat() if token.last_used_at else "never"
            self.stdout.write(
                f"{token.pk}\t{token.prefix}…\t{token.name}\t"
                f"created {token.created_at.isoformat()}\tlast used {used}"
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.select_related("user").filter(pk=options["token_id"]).first()
        if token is None:
            raise CommandError(f"No token with id {options['token_id']}.")
        token_revoke(actor=token.user, token=token)
        self.stdout.write(f"Revoked {token.name} ({token.prefix}…) of {token.user.username}.")
