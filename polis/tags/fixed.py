"""The fixed tags every archive has: ratings, archive warnings and categories (AO3's names)."""

from django.db import models


class Rating(models.TextChoices):
    GENERAL = "General Audiences"
    TEEN = "Teen And Up Audiences"
    MATURE = "Mature"
    EXPLICIT = "Explicit"
    NOT_RATED = "Not Rated"


# Ratings that show the adult-content caution before the text.
ADULT_RATINGS = frozenset({Rating.MATURE, Rating.EXPLICIT, Rating.NOT_RATED})

WARNINGS = [
    "Choose Not To Use Archive Warnings",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "No Archive Warnings Apply",
    "Rape/Non-Con",
    "Underage Sex",
]

CATEGORIES = ["F/F", "F/M", "Gen", "M/M", "Multi", "Other"]
