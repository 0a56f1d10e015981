"""`polis demo`: fill an archive with a few users and works to look around in.

Everything goes through the real actions (the same ones the posting form uses), so the demo
archive looks exactly like one filled by hand. The prose is written for Polis; the fandoms
named are either public domain or used only as tags, as any fan work would.
"""

import datetime
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from polis.accounts.actions import pseud_create
from polis.accounts.models import Pseud, User
from polis.tags.fixed import Rating
from polis.works.actions import (
    ChapterInput,
    WorkInput,
    creatorship_accept,
    work_create,
)
from polis.works.models import Work

WRITER = "demo_writer"
READER = "demo_reader"
COWRITER = "demo_cowriter"
USERNAMES = (WRITER, READER, COWRITER)
SECOND_PSEUD = "Lanternlight"
DEFAULT_PASSWORD = "polis-demo-password"


@dataclass(kw_only=True)
class DemoWork:
    data: WorkInput
    chapters: list[ChapterInput]
    pseud: str = WRITER  # a pseud name of demo_writer
    co_creator: str | None = None  # a username, who accepts the invitation
    post: bool = True
    days_ago: int = 0
    labels: list[str] = field(default_factory=list)  # shown in the command's output


NO_WARNINGS = ["No Archive Warnings Apply"]


def _demo_works() -> list[DemoWork]:
    return [
        DemoWork(
            days_ago=40,
            labels=["plain-text chapter"],
            data=WorkInput(
                title="The Lighthouse Keeper's Ledger",
                rating=Rating.GENERAL,
                warnings=NO_WARNINGS,
                categories=["Gen"],
                fandoms=["Original Work"],
                characters=["Original Characters"],
                freeforms=["Lighthouses", "Found Family", "Epistolary"],
                summary="Forty years of weather, written down one line at a time.",
                complete=True,
            ),
            chapters=[
                ChapterInput(
                    text_format="text",
                    text=(
                        # Plain text: a blank line starts a paragraph, a newline a new line.
                        "3 March. Wind from the north-east, strong. Lamp lit at 5.40.\n"
                        "The relief boat did not come.\n\n"
                        "4 March. Wind easing. A girl rowed out from the village with bread "
                        "and asked whether the light ever gets lonely. I told her the light "
                        "has no opinions. She wrote that down in a notebook of her own.\n\n"
                        "9 March. The girl again, with more bread and more questions. She "
                        "wants to know how many ships the light has saved. I said the ledger "
                        "only counts the nights, not the ships. She said that was a shame and "
                        "started counting them herself, in pencil, in the margin."
                    ),
                )
            ],
        ),
        DemoWork(
            days_ago=30,
            labels=["3 of 5 chapters"],
            data=WorkInput(
                title="What the Ground Remembers",
                rating=Rating.TEEN,
                warnings=NO_WARNINGS,
                categories=["F/F"],
                fandoms=["The 100 (TV)"],
                relationships=["Clarke Griffin/Lexa"],
                characters=["Clarke Griffin", "Lexa (The 100)", "Raven Reyes"],
                freeforms=["Post-Canon", "Slow Burn", "Rebuilding"],
                summary=(
                    "After the fighting, someone has to decide where the new fields go. "
                    "Clarke draws maps; Lexa argues with every one of them."
                ),
                notes="Updates whenever the harvest allows. Five chapters are planned.",
                expected_chapters=5,
            ),
            chapters=[
                ChapterInput(
                    title="Surveying",
                    text=(
                        "<p>The valley had been a battlefield for so long that nobody "
                        "remembered what it was for before. Clarke walked it with a knotted "
                        "rope and a stick of charcoal, measuring.</p>"
                        "<p>“You are counting stones,” Lexa said from the ridge.</p>"
                        "<p>“I’m counting where the water goes,” Clarke said. “Stones are "
                        "just what’s in the way.”</p>"
                    ),
                ),
                ChapterInput(
                    title="Boundaries",
                    summary="A disagreement about a fence.",
                    text=(
                        "<p>The first map had a fence on it. Lexa crossed it out. The second "
                        "map had a gate where the fence had been, and Lexa looked at it for "
                        "a long time before she nodded.</p>"
                        "<p>“A gate can be closed,” she said.</p>"
                        "<p>“And opened,” said Clarke. “That’s the point of it.”</p>"
                    ),
                ),
                ChapterInput(
                    title="First Rain",
                    end_notes="Chapter four is half written. Thank you for reading!",
                    text=(
                        "<p>The rain came early. Raven stood in the new ditch up to her "
                        "ankles and laughed, because the water ran exactly where the "
                        "charcoal lines said it would.</p>"
                        "<p>Clarke did not laugh. She sat down in the mud and let the relief "
                        "of it soak through her, and after a while Lexa sat down beside her "
                        "and said nothing at all, which was its own kind of agreement.</p>"
                    ),
                ),
            ],
        ),
        DemoWork(
            days_ago=21,
            labels=["Markdown chapter", "adult caution"],
            data=WorkInput(
                title="A Study in Ash",
                rating=Rating.MATURE,
                warnings=["Graphic Depictions Of Violence"],
                categories=["M/M"],
                fandoms=["Sherlock Holmes - Arthur Conan Doyle"],
                relationships=["Sherlock Holmes/John Watson"],
                characters=["Sherlock Holmes", "John Watson"],
                freeforms=["Case Fic", "Victorian London", "Hurt/Comfort"],
                summary="A burned warehouse, a missing clerk, and a doctor who will not sit still.",
                complete=True,
            ),
            chapters=[
                ChapterInput(
                    text_format="markdown",
                    text=(
                        "The warehouse on the river had burned to its iron ribs by the time "
                        "we arrived. Holmes went through the ash **on his knees**, which I "
                        "had never seen him do for anything but a clue.\n\n"
                        "> The fire did not start here, Watson. It was *brought* here.\n\n"
                        "He held up a blackened key. I bandaged his hands while he talked, "
                        "and he let me, which told me more about the night than the key "
                        "did.\n\n"
                        "---\n\n"
                        "*Written for the demo archive.*"
                    ),
                )
            ],
        ),
        DemoWork(
            days_ago=14,
            labels=["adult caution"],
            data=WorkInput(
                title="Letters Never Sent",
                rating=Rating.EXPLICIT,
                warnings=["Choose Not To Use Archive Warnings"],
                categories=["F/M"],
                fandoms=["Pride and Prejudice - Jane Austen"],
                relationships=["Elizabeth Bennet/Fitzwilliam Darcy"],
                characters=["Elizabeth Bennet", "Fitzwilliam Darcy", "Jane Bennet"],
                freeforms=["Epistolary", "Alternate Universe - Canon Divergence"],
                summary="Every letter Elizabeth wrote to Mr Darcy and then put in the fire.",
                notes=(
                    "This demo work is rated Explicit so that you can see the adult-content "
                    "caution. The text itself is tame."
                ),
                complete=True,
            ),
            chapters=[
                ChapterInput(
                    text=(
                        "<p><em>Sir,</em></p>"
                        "<p>You will not read this, which is the only reason I can write "
                        "it. You said at dinner that you never change your opinions once "
                        "formed. I have changed mine about you three times this week, and "
                        "it is only Wednesday.</p>"
                        "<p>Jane says I should burn this one too. Jane is usually right.</p>"
                    ),
                )
            ],
        ),
        DemoWork(
            days_ago=10,
            labels=["restricted"],
            data=WorkInput(
                title="Between the Stacks",
                rating=Rating.TEEN,
                warnings=NO_WARNINGS,
                categories=["F/F"],
                fandoms=["Original Work"],
                relationships=["Original Female Character/Original Female Character"],
                freeforms=["Libraries", "Meet-Cute", "Fluff"],
                summary="Two librarians, one overdue book, and a very long argument about it.",
                restricted=True,
                complete=True,
            ),
            chapters=[
                ChapterInput(
                    text=(
                        "<p>The book had been overdue since 1987. Mina wanted to waive the "
                        "fine. Odile wanted to frame the card.</p>"
                        "<p>They compromised, in the end, by doing both, and by having "
                        "lunch together every Thursday to discuss what else might be "
                        "hiding in the returns bin.</p>"
                    ),
                )
            ],
        ),
        DemoWork(
            post=False,
            data=WorkInput(
                title="Untitled Draft About Tides",
                rating=Rating.GENERAL,
                warnings=NO_WARNINGS,
                fandoms=["Original Work"],
                freeforms=["Work In Progress"],
                summary="Only its creator can see this.",
            ),
            chapters=[
                ChapterInput(
                    text=(
                        "<p>The tide goes out twice a day and takes something with it each "
                        "time. Notes to self: decide what.</p>"
                    ),
                )
            ],
        ),
        DemoWork(
            days_ago=5,
            co_creator=COWRITER,
            labels=["co-created with demo_cowriter"],
            data=WorkInput(
                title="Two Hands, One Map",
                rating=Rating.GENERAL,
                warnings=NO_WARNINGS,
                categories=["Gen"],
                fandoms=["The 100 (TV)"],
                relationships=["Clarke Griffin & Raven Reyes"],
                characters=["Clarke Griffin", "Raven Reyes"],
                freeforms=["Friendship", "Engineering"],
                summary="Raven builds a compass. Clarke refuses to trust it. Both are right.",
                complete=True,
            ),
            chapters=[
                ChapterInput(
                    text=(
                        "<p>“North is that way,” Raven said, pointing with a wrench.</p>"
                        "<p>“North is that way,” Clarke said, pointing with the map.</p>"
                        "<p>They were eleven degrees apart. They spent the afternoon finding "
                        "out why, and by sunset they had a better compass and a worse "
                        "map, and a story they would both tell wrong for years.</p>"
                    ),
                )
            ],
        ),
        DemoWork(
            days_ago=2,
            pseud=SECOND_PSEUD,
            labels=[f"under the pseud {SECOND_PSEUD}", "adult caution"],
            data=WorkInput(
                title="The Last Ferry",
                rating=Rating.NOT_RATED,
                warnings=["Major Character Death"],
                fandoms=["Original Work"],
                characters=["Original Characters"],
                freeforms=["Grief", "Ferries", "Ambiguous Ending"],
                summary="The ferryman makes one more crossing than the timetable allows.",
                end_notes="Written in one sitting, on a ferry.",
                complete=True,
            ),
            chapters=[
                ChapterInput(
                    text=(
                        "<p>The timetable said the last ferry left at eleven. Aurel had "
                        "run it for thirty years and never once left early or late.</p>"
                        "<p>Tonight the boat left at midnight, with one passenger who "
                        "did not buy a ticket and did not need one. The river was very "
                        "calm. In the morning the boat was back at its mooring, rope "
                        "neatly coiled, and Aurel was not on it.</p>"
                    ),
                )
            ],
        ),
    ]


class Command(BaseCommand):
    help = "Fill the archive with demo users and works (does nothing if they exist already)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Password for the demo users (default {DEFAULT_PASSWORD!r}).",
        )

    def handle(self, *args, password: str, **options):
        if User.objects.filter(username__iexact=WRITER).exists():
            self.stdout.write(
                f"The demo content is already here (user {WRITER} exists); nothing to do."
            )
            return
        with transaction.atomic():
            users = {username: self._user(username, password) for username in USERNAMES}
            pseud_create(
                actor=users[WRITER],
                name=SECOND_PSEUD,
                description="The name demo_writer uses for sadder stories.",
            )
            works = [self._work(demo, users) for demo in _demo_works()]

        self.stdout.write(self.style.SUCCESS(f"Created {len(users)} users:"))
        for username in USERNAMES:
            self.stdout.write(f"  {username}  (password: {password})")
        self.stdout.write(self.style.SUCCESS(f"Created {len(works)} works:"))
        for work, demo in works:
            state = "posted" if work.posted else "draft"
            extras = ", ".join([state, work.rating, *demo.labels])
            self.stdout.write(f"  /works/{work.pk}  {work.title}  ({extras})")
        self.stdout.write(
            "Log in at /accounts/login/ as one of these users; "
            f"{READER} is a reader with no works of their own."
        )

    def _user(self, username: str, password: str) -> User:
        email = f"{username}@example.org"
        user = User.objects.create_user(username=username, email=email, password=password)
        # Demo addresses cannot receive mail: mark them verified so that logging in works
        # even when POLIS_EMAIL_VERIFICATION=mandatory.
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    def _work(self, demo: DemoWork, users: dict[str, User]) -> tuple[Work, DemoWork]:
        writer = users[WRITER]
        if demo.days_ago:
            demo.data.published_at = timezone.localdate() - datetime.timedelta(days=demo.days_ago)
        co_creators = []
        if demo.co_creator:
            co_creators = [Pseud.objects.get(user=users[demo.co_creator], is_default=True)]
        first, *rest = demo.chapters
        work = work_create(
            actor=writer,
            pseuds=[writer.pseuds.get(name=demo.pseud)],
            data=demo.data,
            chapter=first,
            co_creators=co_creators,
            post=demo.post,
            more_chapters=rest,
        )
        for creatorship in work.creatorships.filter(accepted=False):
            creatorship_accept(actor=creatorship.pseud.user, creatorship=creatorship)
        work.refresh_from_db()
        return work, demo
