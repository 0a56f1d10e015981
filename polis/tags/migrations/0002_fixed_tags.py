"""Ratings, archive warnings and categories exist in every archive, as canonical tags."""

from django.db import migrations

FIXED = {
    "rating": [
        "General Audiences",
        "Teen And Up Audiences",
        "Mature",
        "Explicit",
        "Not Rated",
    ],
    "warning": [
        "Choose Not To Use Archive Warnings",
        "Graphic Depictions Of Violence",
        "Major Character Death",
        "No Archive Warnings Apply",
        "Rape/Non-Con",
        "Underage Sex",
    ],
    "category": ["F/F", "F/M", "Gen", "M/M", "Multi", "Other"],
}


def create(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    for tag_type, names in FIXED.items():
        for name in names:
            Tag.objects.update_or_create(
                key=name.casefold(), defaults={"name": name, "type": tag_type, "canonical": True}
            )


def remove(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    for names in FIXED.values():
        Tag.objects.filter(key__in=[name.casefold() for name in names]).delete()


class Migration(migrations.Migration):
    dependencies = [("tags", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
