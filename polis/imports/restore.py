"""An account export ZIP's account data restored for the importer, through the owning apps'
actions: the account's pseuds (missing ones made by name) and its bookmarks (each as a
bookmark of a work elsewhere, at the source archive's address of the work).

The rest of an export refers to the source archive's objects or to other people and is not
restored: `NOT_RESTORED` says what and why (the import page and docs/export-format.md)."""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from polis.accounts.actions import pseud_create
from polis.accounts.models import Pseud, User
from polis.engagement.bookmarks import bookmark_create, external_work_find_or_create
from polis.imports.parsed import ParsedWork
from polis.imports.readers.export import ExportAccount, ExportBookmark
from polis.works.access import visible_works
from polis.works.models import Work

UNKNOWN_CREATOR = "Unknown Creator"

NOT_RESTORED: list[tuple[str, str]] = [
    ("Comments", "they are replies on works of the archive the export came from."),
    ("Kudos", "they were left on that archive's works, which are not here."),
    ("Subscriptions", "they follow that archive's users, works and series."),
    ("Reading history", "it is a record of that archive's works."),
    ("Collections and challenge sign-ups", "those collections belong to that archive."),
    ("Preferences", "set them again in your Preferences here."),
]


def not_restored_message() -> str:
    return "Not imported from the export: " + " ".join(
        f"{what}, as {why}" for what, why in NOT_RESTORED
    )


@dataclass(kw_only=True)
class Restored:
    """What an export import restored besides its drafts, for the result page and the API."""

    pseuds_created: list[str] = field(default_factory=list)
    bookmarks_created: int = 0
    bookmarks_already: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        lines = []
        if self.pseuds_created:
            lines.append("New pseuds: " + ", ".join(self.pseuds_created) + ".")
        if self.bookmarks_created or self.bookmarks_already:
            lines.append(
                f"Bookmarks restored: {self.bookmarks_created}"
                + (f" ({self.bookmarks_already} you already had)" if self.bookmarks_already else "")
                + "."
            )
        return lines + self.skipped


@transaction.atomic
def export_pseuds_restore(
    *, actor: User, account: ExportAccount, restored: Restored
) -> dict[str, Pseud]:
    """The importer's pseud for each of the export's pseud names (made when missing; the
    source's default pseud is the importer's default one)."""
    default = Pseud.objects.get(user=actor, is_default=True)
    mine = {p.name.casefold(): p for p in actor.pseuds.all()}
    by_name: dict[str, Pseud] = {}
    for entry in account.pseuds:
        if entry.is_default:
            by_name[entry.name] = default
            continue
        pseud = mine.get(entry.name.casefold())
        if pseud is None:
            try:
                with transaction.atomic():
                    pseud = pseud_create(
                        actor=actor, name=entry.name, description=entry.description
                    )
            except ValidationError as error:
                restored.skipped.append(f"Pseud “{entry.name}”: {' '.join(error.messages)}")
                continue
            mine[pseud.name.casefold()] = pseud
            restored.pseuds_created.append(pseud.name)
        by_name[entry.name] = pseud
    return by_name


def work_pseud(parsed: ParsedWork, pseuds: dict[str, Pseud]) -> Pseud | None:
    """The importer's pseud matching the first of the work's creator names, if any."""
    return next((pseuds[name] for name in parsed.creators if name in pseuds), None)


def _target(row: ExportBookmark, site: str) -> tuple[str, str, str, str] | None:
    """(url, title, creator, fandom) of the bookmarked work, or None when it has no address."""
    if row.external_url:
        return (
            row.external_url,
            row.external_title or row.external_url,
            row.external_creator or UNKNOWN_CREATOR,
            row.external_fandom,
        )
    if row.work_id is not None and urlsplit(site).scheme in {"http", "https"}:
        return (f"{site.rstrip('/')}/works/{row.work_id}", row.work_title, UNKNOWN_CREATOR, "")
    return None


def _same_archive(site: str) -> bool:
    ours = settings.POLIS_SITE_URL.rstrip("/")
    return bool(ours) and site.rstrip("/") == ours


def _work_here(actor: User, row: ExportBookmark) -> Work | None:
    if row.work_id is None:
        return None
    return visible_works(actor).filter(pk=row.work_id, posted=True).first()


@transaction.atomic
def export_bookmarks_restore(
    *,
    actor: User,
    account: ExportAccount,
    pseuds: dict[str, Pseud],
    fandom: str,
    restored: Restored,
) -> None:
    """Each bookmark as the importer's bookmark of a work elsewhere (a work of the source
    archive is elsewhere from here; an export of this very archive bookmarks its work itself
    while it is posted and the importer may see it); one already there is left as it is."""
    no_address = 0
    here = _same_archive(account.site)
    for row in account.bookmarks:
        work = _work_here(actor, row) if here else None
        target = None if work else _target(row, account.site)
        if work is None and target is None:
            no_address += 1
            continue
        url = work.get_absolute_url() if work else target[0]
        try:
            with transaction.atomic():
                external = None
                if work is None:
                    url, title, creator, work_fandom = target
                    external = external_work_find_or_create(
                        actor=actor,
                        url=url,
                        title=(title or url)[:255],
                        creator=creator[:255],
                        fandom=(work_fandom or fandom)[:255],
                    )
                _bookmark, created = bookmark_create(
                    actor=actor,
                    work=work,
                    external=external,
                    notes=row.notes,
                    tags=row.tags,
                    private=row.private,
                    rec=row.rec,
                    pseud=pseuds.get(row.pseud),
                )
        except ValidationError as error:
            restored.skipped.append(f"Bookmark of {url}: {' '.join(error.messages)}")
            continue
        if created:
            restored.bookmarks_created += 1
        else:
            restored.bookmarks_already += 1
    if no_address:
        restored.skipped.append(
            f"{no_address} bookmark{'s' if no_address != 1 else ''} not restored: "
            + "the bookmarked work was deleted, or the export does not say which archive "
            + "it came from."
        )
