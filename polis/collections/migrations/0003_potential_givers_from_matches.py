"""Data only: move one-row-per-pair potential matches into one row per recipient."""

from collections import defaultdict

from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    PotentialMatch = apps.get_model("collections", "PotentialMatch")
    PotentialGivers = apps.get_model("collections", "PotentialGivers")
    kept = settings.POLIS_EXCHANGE_GIVERS_KEPT
    by_recipient = defaultdict(list)
    rows = PotentialMatch.objects.values_list(
        "challenge_id", "request_signup_id", "offer_signup_id", "score", "prompts_matched"
    )
    for challenge_id, recipient_id, giver_id, score, matched in rows.iterator():
        by_recipient[(challenge_id, recipient_id)].append([giver_id, score, matched])
    objects = []
    for (challenge_id, recipient_id), givers in by_recipient.items():
        givers.sort(key=lambda g: (-g[1], g[0]))
        objects.append(
            PotentialGivers(
                challenge_id=challenge_id,
                recipient_id=recipient_id,
                givers=givers[:kept] if kept else givers,
                giver_count=len(givers),
            )
        )
    PotentialGivers.objects.bulk_create(objects, batch_size=500)


def backwards(apps, schema_editor):
    PotentialMatch = apps.get_model("collections", "PotentialMatch")
    PotentialGivers = apps.get_model("collections", "PotentialGivers")
    PotentialMatch.objects.bulk_create(
        (
            PotentialMatch(
                challenge_id=row.challenge_id,
                request_signup_id=row.recipient_id,
                offer_signup_id=giver_id,
                score=score,
                prompts_matched=matched,
            )
            for row in PotentialGivers.objects.iterator()
            for giver_id, score, matched in row.givers
        ),
        batch_size=5000,
    )
    PotentialGivers.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("collections", "0002_potential_givers")]

    operations = [migrations.RunPython(forwards, backwards)]
