"""Data: copy each work's concealment (anonymous, unrevealed) onto the work, and its
collections' maintainers onto the work's stewards; the reverse copies them back."""

from django.db import migrations

MAINTAINER_ROLES = ("owner", "moderator")


def _stewards(apps, work_ids):
    CollectionItem = apps.get_model("collections", "CollectionItem")
    Membership = apps.get_model("collections", "Membership")
    pairs = set()
    items = CollectionItem.objects.filter(work_id__in=work_ids).values_list(
        "work_id", "collection_id", "collection__parent_id"
    )
    for work_id, collection_id, parent_id in items:
        ids = [collection_id] + ([parent_id] if parent_id else [])
        for user_id in Membership.objects.filter(
            collection_id__in=ids, role__in=MAINTAINER_ROLES
        ).values_list("user_id", flat=True):
            pairs.add((work_id, user_id))
    return pairs


def forward(apps, schema_editor):
    Concealment = apps.get_model("collections", "Concealment")
    Work = apps.get_model("works", "Work")
    WorkSteward = apps.get_model("works", "WorkSteward")
    rows = list(Concealment.objects.values_list("work_id", "anonymous", "unrevealed"))
    for work_id, anonymous, unrevealed in rows:
        Work.objects.filter(pk=work_id).update(anonymous=anonymous, unrevealed=unrevealed)
    unrevealed_ids = [work_id for work_id, _, unrevealed in rows if unrevealed]
    WorkSteward.objects.bulk_create(
        [WorkSteward(work_id=w, user_id=u) for w, u in _stewards(apps, unrevealed_ids)],
        ignore_conflicts=True,
    )


def backward(apps, schema_editor):
    Concealment = apps.get_model("collections", "Concealment")
    Work = apps.get_model("works", "Work")
    Concealment.objects.bulk_create(
        [
            Concealment(work_id=work_id, anonymous=anonymous, unrevealed=unrevealed)
            for work_id, anonymous, unrevealed in Work.objects.filter(
                anonymous=True
            ).values_list("pk", "anonymous", "unrevealed").union(
                Work.objects.filter(unrevealed=True).values_list("pk", "anonymous", "unrevealed")
            )
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("collections", "0004_drop_potential_match"),
        ("works", "0003_visibility_facts"),
    ]

    operations = [migrations.RunPython(forward, backward)]
