"""The fixed tags every archive has: ratings, archive warnings and categories (AO3's names)."""

from django.db import models


class Rating(models.TextChoices):
    # Labelled as on AO3 (Django would otherwise make "General" and "Teen" of the names).
    GENERAL = "General Audiences", "General Audiences"
    TEEN = "Teen And Up Audiences", "Teen And Up Audiences"
    MATURE = "Mature", "Mature"
    EXPLICIT = "Explicit", "Explicit"
    NOT_RATED = "Not Rated", "Not Rated"


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
