"""The one site-settings row, starting from POLIS_SIGNUP (the environment is only its default)."""

from django.conf import settings
from django.db import migrations


def create_row(apps, schema_editor):
    SiteSettings = apps.get_model("core", "SiteSettings")
    if not SiteSettings.objects.filter(pk=1).exists():
        SiteSettings.objects.create(pk=1, signup=settings.POLIS_SIGNUP)


def delete_row(apps, schema_editor):
    apps.get_model("core", "SiteSettings").objects.filter(pk=1).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_susp_site_settings")]

    operations = [migrations.RunPython(create_row, delete_row)]
