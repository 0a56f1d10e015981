"""The `polis shell` scripts bench/load.py runs: seed users and targets, snapshot and verify.

Each is run in its own process against the archive under test (never in the driver's
process), reads its input from the file named by the environment's POLIS_LOAD_FILE and
prints one line of JSON.
"""

# Users: real accounts with one real password (hashed once, shared: hashing 300 of them
# would take minutes) and a personal API token each (the token action). They joined a month
# ago, so the new-account comment limit does not apply to them.
SEED = """
import json, os, random
from datetime import timedelta
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from polis.accounts.models import User
from polis.api.actions import token_create
from polis.engagement.models import Bookmark, Comment, Kudos
from polis.search.indexing import update_stats
from polis.tags.models import Tag, TagType
from polis.works.models import Chapter, Work

spec = json.load(open(os.environ["POLIS_LOAD_FILE"]))
# The synthetic corpus stores kudos, comment and bookmark figures without any of their rows
# (tests/core/test_doctor.py): make them agree (what `polis doctor --repair` would do, work by
# work, in minutes), so that afterwards every disagreement is the load's. Its hit figures
# have no ledger rows either: COUNTS checks those as "moved exactly as the ledger did".
assert not (Kudos.objects.exists() or Comment.objects.exists() or Bookmark.objects.exists())
Work.objects.update(kudos_count=0, comment_count=0, bookmark_count=0)
every = list(Work.objects.values_list("pk", flat=True))
for start in range(0, len(every), 2000):
    update_stats(every[start : start + 2000])
password = make_password(spec["password"])
users = []
for number in range(spec["users"]):
    user = User.objects.create_user(f"loaduser{number}", f"load{number}@example.org", None)
    users.append(user)
User.objects.filter(pk__in=[u.pk for u in users]).update(
    password=password, date_joined=timezone.now() - timedelta(days=30)
)
tokens = [[u.username, token_create(actor=u, name="load benchmark")[1]] for u in users]
rng = random.Random(3)
ids = list(Work.objects.filter(posted=True, restricted=False).values_list("pk", flat=True))
works = rng.sample(ids, min(len(ids), 3000))
chapters = list(
    Chapter.objects.filter(work_id__in=works[:600], posted=True).values_list("work_id", "pk")
)
def names(kind):
    return list(
        Tag.objects.filter(type=kind, canonical=True, merger=None)
        .order_by("-pk").values_list("name", flat=True)[:40]
    )
print(json.dumps({
    "tokens": tokens, "works": works, "chapters": chapters,
    "fandoms": names(TagType.FANDOM), "freeforms": names(TagType.FREEFORM),
}))
"""

# What each work's counters say beyond its rows, before the load: the synthetic corpus
# stores figures without rows (tests/core/test_doctor.py), so the load is checked by the
# change: afterwards every work's stored counter minus its rows must be what it was before.
COUNTS = """
import json, os
from django.db.models import Count, Q
from polis.engagement.comments import counted_comments
from polis.engagement.models import Bookmark, HitVisit, Kudos
from polis.works.models import Work

def grouped(queryset, **aggregate):
    rows = queryset.values("work_id").annotate(**aggregate)
    return {r["work_id"]: sum(v for k, v in r.items() if k != "work_id") for r in rows}

rows = {
    "kudos_count": grouped(Kudos.objects.all(), users=Count("user", distinct=True),
        guests=Count("guest_key", distinct=True, filter=Q(user__isnull=True))),
    "comment_count": grouped(counted_comments(), n=Count("pk")),
    "bookmark_count": grouped(Bookmark.objects.filter(private=False), n=Count("pk")),
    "hit_count": grouped(HitVisit.objects.all(), n=Count("pk")),
}
offsets = {}
for work in Work.objects.values("pk", *rows):
    gaps = [work[field] - rows[field].get(work["pk"], 0) for field in rows]
    if any(gaps):
        offsets[str(work["pk"])] = gaps
json.dump(offsets, open(os.environ["POLIS_LOAD_FILE"], "w"))
print(json.dumps({"works": Work.objects.count(), "offsets": len(offsets)}))
"""

# Every acknowledged write must be in the database, as acknowledged.
VERIFY = """
import json, os
from polis.engagement.models import Bookmark, Comment, Kudos
from polis.works.models import Chapter, Work

acks = json.load(open(os.environ["POLIS_LOAD_FILE"]))
missing = []
for username, work_id in acks["kudos"]:
    if not Kudos.objects.filter(user__username=username, work_id=work_id).exists():
        missing.append(f"kudos of {username} on work {work_id}")
for model, kind in ((Comment, "comments"), (Bookmark, "bookmarks")):
    wanted = {comment_id: work_id for comment_id, work_id in acks[kind]}
    found = dict(model.objects.filter(pk__in=wanted).values_list("pk", "work_id"))
    missing += [f"{kind} {pk} on work {w}" for pk, w in wanted.items() if found.get(pk) != w]
for work_id, chapters in acks["works"]:
    work = Work.objects.filter(pk=work_id, posted=True).first()
    have = Chapter.objects.filter(work_id=work_id, posted=True).count() if work else 0
    if have != chapters:
        missing.append(f"work {work_id}: {have} chapters of {chapters}")
wanted = {chapter_id: work_id for chapter_id, work_id in acks["chapters"]}
found = dict(Chapter.objects.filter(pk__in=wanted, posted=True).values_list("pk", "work_id"))
missing += [f"chapter {pk} of work {w}" for pk, w in wanted.items() if found.get(pk) != w]
print(json.dumps({"checked": sum(len(v) for v in acks.values()), "missing": missing[:50],
                  "missing_count": len(missing)}))
"""
