"""`polis send_digests`: e-mail each user one digest of the notifications not yet e-mailed.

Run it from cron (or a scheduler) as often as digests should go out; it is safe to run twice.
"""

from django.core.management.base import BaseCommand

from polis.engagement.digests import digests_send


class Command(BaseCommand):
    help = "E-mail each user one digest of their notifications not yet e-mailed."

    def handle(self, *args, **options) -> None:
        users, notifications = digests_send()
        self.stdout.write(f"Sent {users} digest(s) carrying {notifications} notification(s).")
