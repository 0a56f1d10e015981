"""`polis release_invitations`: send the day's invitations to the queue (run it daily)."""

from django.core.management.base import BaseCommand

from polis.accounts.invitation_queue import invitation_requests_release


class Command(BaseCommand):
    help = (
        "Send invitations to the oldest requests in the invitation queue: the site settings' "
        "number a day unless --count is given. Run once a day from cron or a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=None, help="How many to release.")

    def handle(self, *args, count=None, **options):
        sent = invitation_requests_release(actor=None, count=count)
        self.stdout.write(f"{sent} invitation(s) sent.")
