"""`polis import_works SOURCE… --user NAME`: import URLs and files as drafts of a user, as
Import New Work does (the same actions); a progress bar for many, exit status 1 on failures."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from polis.accounts.models import Pseud, User
from polis.engagement.models import CommentPermission
from polis.imports.actions import (
    ImportOptions,
    import_file_result,
    import_urls_start,
)
from polis.imports.jobs import import_job_run
from polis.imports.models import ImportJob
from polis.imports.selectors import job_drafts
from polis.tags.fixed import WARNINGS, Rating


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


class Command(BaseCommand):
    help = (
        "Import works from URLs and files as drafts of a user (each source its own work, "
        "or --as-chapters); the writer reviews and posts them."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("sources", nargs="+", help="http(s) addresses or file paths.")
        parser.add_argument("--user", required=True, help="The user the drafts belong to.")
        parser.add_argument("--pseud", default="", help="One of the user's pseuds (default one).")
        parser.add_argument(
            "--as-chapters", action="store_true", help="All the URLs as chapters of one work."
        )
        parser.add_argument("--restricted", action="store_true", help="Registered users only.")
        parser.add_argument(
            "--comment-permission",
            default=CommentPermission.EVERYONE.value,
            choices=CommentPermission.values,
        )
        parser.add_argument("--moderated", action="store_true", help="Hold comments for review.")
        help_default = "where the source does not say"
        parser.add_argument("--rating", default=Rating.NOT_RATED.value, help=help_default)
        parser.add_argument(
            "--warning",
            action="append",
            dest="warnings",
            choices=WARNINGS,
            help=f"Archive warning {help_default} (repeat for several).",
        )
        parser.add_argument("--fandom", default="Unknown Fandom", help=help_default)
        parser.add_argument("--language", default="en", help=f"Language code {help_default}.")
        parser.add_argument("--external-name", default="", help="Archivists: the creator's name.")
        parser.add_argument("--external-email", default="", help="Archivists: their e-mail.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username__iexact=options["user"]).first()
        if actor is None:
            raise CommandError(f"No user named {options['user']!r}.")
        import_options = ImportOptions(
            pseud_id=self._pseud_id(actor, options["pseud"]),
            restricted=options["restricted"],
            comment_permission=options["comment_permission"],
            moderated=options["moderated"],
            rating=options["rating"],
            warnings=options["warnings"] or [WARNINGS[0]],
            fandom=options["fandom"],
            language=options["language"],
            external_name=options["external_name"],
            external_email=options["external_email"],
        )
        try:
            import_options.clean(actor)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        sources = options["sources"]
        steps = [[source] for source in sources]  # in the order given
        if options["as_chapters"]:
            urls = [source for source in sources if _is_url(source)]
            steps = [step for step in steps if not _is_url(step[0])] + ([urls] if urls else [])
        failed = 0
        with tqdm(
            total=len(steps),
            unit="import",
            disable=options["verbosity"] == 0 or len(steps) < 2,
            file=self.stderr._out,
        ) as bar:
            for step in steps:
                bar.set_description(step[0][-40:])
                made, errors = self._import(actor, step, import_options)
                for work in made:
                    bar.write(
                        f"{work.pk}\t{work.title}\t/works/{work.pk}/preview", self.stdout._out
                    )
                for error in errors:
                    bar.write(error, self.stderr._out)
                failed += len(errors)
                bar.update()
        if failed:
            raise CommandError(f"{failed} of {len(sources)} sources could not be imported.")
        self.stderr.write(f"Imported {len(sources)} sources as drafts of {actor.username}.")

    def _pseud_id(self, actor: User, name: str) -> int | None:
        if not name:
            return None
        pseud = Pseud.objects.filter(user=actor, name__iexact=name).first()
        if pseud is None:
            raise CommandError(f"{actor.username} has no pseud named {name!r}.")
        return pseud.pk

    def _import(self, actor: User, step: list[str], options: ImportOptions):
        """(drafts made, what failed) for one file, one URL, or the URLs as chapters."""
        if not _is_url(step[0]):
            path = Path(step[0])
            try:
                with path.open("rb") as file:
                    data = file.read(settings.POLIS_IMPORT_MAX_BYTES + 1)
                return import_file_result(
                    actor=actor, name=path.name, data=data, options=options
                ).works, []
            except OSError as error:
                return [], [f"{path}: {error.strerror or error}"]
            except ValidationError as error:
                return [], [f"{path}: {' '.join(error.messages)}"]
        try:
            job = import_urls_start(
                actor=actor, urls=step, as_chapters=len(step) > 1, options=options, queue=False
            )
        except ValidationError as error:
            return [], [f"{' '.join(step)}: {' '.join(error.messages)}"]
        # Run here, by the same function the worker runs: the operator waits for the result.
        job = import_job_run(job_id=job.pk)
        made = [record.work for record in job_drafts(job)]
        errors = list(job.errors)
        if job.status != ImportJob.Status.DONE and not errors:
            errors = [f"{' '.join(step)}: nothing was imported."]
        return made, errors
