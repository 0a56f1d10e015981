from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "polis.works"
    label = "works"

    def ready(self) -> None:
        # Tags cannot import works: which tags a viewer may see follows which works they
        # may see, answered through tags' hook (see docs/adr/0003-hooks-between-apps.md).
        from polis.tags.hooks import register_visible_works
        from polis.works.visibility import visible_works

        register_visible_works(visible_works)
