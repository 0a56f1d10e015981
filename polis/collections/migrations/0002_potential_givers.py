import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("collections", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="PotentialGivers",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("givers", models.JSONField(blank=True, default=list)),
                ("giver_count", models.PositiveIntegerField(default=0)),
                ("proposed_score", models.PositiveIntegerField(default=0)),
                ("proposed", models.BooleanField(default=False)),
                (
                    "challenge",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="potential_givers",
                        to="collections.challenge",
                    ),
                ),
                (
                    "proposed_giver",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="collections.signup",
                    ),
                ),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="collections.signup",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("challenge", "recipient"), name="collections_potential_givers_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("proposed_giver", models.F("recipient")), _negated=True),
                        name="collections_potential_givers_not_self",
                    ),
                ],
            },
        ),
    ]
