from django.apps import AppConfig

SNAPSHOT_REFRESH_SECONDS = 6 * 3600


class SearchConfig(AppConfig):
    name = "polis.search"
    label = "search"

    def ready(self) -> None:
        from polis.accounts.hooks import register_bylines_changed
        from polis.core import doctor, periodic
        from polis.search import accel, snapshot
        from polis.search.doctor import check_filter_sets, check_search_index, check_word_counts
        from polis.search.indexing import index_works_of_pseuds

        register_bylines_changed(index_works_of_pseuds)
        doctor.register("filter sets", check_filter_sets)
        doctor.register("word counts", check_word_counts)
        doctor.register("search index", check_search_index)

        def refresh() -> None:
            # A fresh snapshot keeps app start-up short: fewer changes to replay.
            if accel.enabled():
                snapshot.snapshot_refresh()

        from polis.search.changelog import changelog_trim

        periodic.register("search.changelog_trim", every=3600, run=changelog_trim, start_after=600)
        periodic.register(
            "search.snapshot_refresh",
            every=SNAPSHOT_REFRESH_SECONDS,
            run=refresh,
            start_after=SNAPSHOT_REFRESH_SECONDS,
        )
