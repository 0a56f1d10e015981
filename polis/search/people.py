"""People search, as AO3's /people/search: pseuds (and so their users) by name, and by a
fandom they have written in.

A pseud counts as having written in a fandom only through works this viewer may see listed
(`listed_works` ∩ `visible_q`) whose creators may be named (`named_q`): an anonymous work
never ties its creators to a fandom, and a draft, hidden, unrevealed or (for guests)
restricted work neither. Each result's work count is counted over the same works.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower

from polis.accounts.hooks import Viewer
from polis.accounts.models import Pseud
from polis.tags.models import Tag, TagType
from polis.tags.names import normalize_tag_name
from polis.tags.selectors import tag_named
from polis.works.models import Creatorship, Work
from polis.works.visibility import listed_works, named_q, visible_q

NAME_MAX = 100


@dataclass
class PeopleQuery:
    name: str = ""  # part of a pseud's or a user's name, any case
    fandom: str = ""  # a fandom's name (a synonym finds its canonical fandom)

    @property
    def asked(self) -> bool:
        return bool(self.name.strip() or self.fandom.strip())


@dataclass
class PeopleResults:
    pseuds: QuerySet[Pseud]
    notices: list[str]
    fandom: Tag | None = None


def _fandom_works(fandom: Tag) -> Q:
    if fandom.canonical or fandom.merger_id:
        return Q(filter_taggings__tag_id=fandom.merger_id or fandom.pk)
    return Q(taggings__tag_id=fandom.pk)  # not wrangled yet: its own works


def named_works(viewer: Viewer, fandom: Tag | None = None) -> QuerySet[Work]:
    """Works this viewer may see listed with their creators named (in `fandom`, if given)."""
    works = listed_works().filter(visible_q(viewer), named_q())
    if fandom is not None:
        works = works.filter(_fandom_works(fandom))
    return works


def people_search(*, viewer: Viewer, query: PeopleQuery) -> PeopleResults:
    """Pseuds matching `query` by name (case-insensitive, default pseuds first), each with
    `work_count`: how many works of theirs (in the fandom) this viewer may see named."""
    notices: list[str] = []
    fandom = None
    pseuds = Pseud.objects.filter(user__is_active=True)
    name = query.name.strip()[:NAME_MAX]
    if name:
        pseuds = pseuds.filter(Q(name__icontains=name) | Q(user__username__icontains=name))
    if query.fandom.strip():
        fandom = tag_named(query.fandom[:150], viewer=viewer)
        if fandom is None or fandom.type != TagType.FANDOM:
            notices.append(f"No fandom is named “{normalize_tag_name(query.fandom[:150])}”.")
            pseuds = pseuds.none()
    works = named_works(viewer, fandom).values("pk")
    counted = (
        Creatorship.objects.filter(pseud=OuterRef("pk"), accepted=True, work__in=works)
        .order_by()
        .values("pseud")
        .annotate(n=Count("work", distinct=True))
        .values("n")
    )
    pseuds = pseuds.annotate(work_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0))
    if fandom is not None:
        pseuds = pseuds.filter(
            Exists(Creatorship.objects.filter(pseud=OuterRef("pk"), accepted=True, work__in=works))
        )
    pseuds = pseuds.select_related("user").order_by(Lower("name"), Lower("user__username"), "pk")
    return PeopleResults(pseuds, notices, fandom)
