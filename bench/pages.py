"""CPU per request of Polis's hot pages, as a ratio to a hello-world Django view.

    .venv/bin/python -m bench.pages [--block 20] [--cycles 15]

Runs against the current archive (`make bench` builds the corpus first; POLIS_DATA_DIR or
DATABASE_URL name it). Every page is served in-process through Django's test client (the full
middleware stack, no network) with the caches on as in production (the accelerator, the
blurb fragments), in short interleaved blocks whose order rotates each cycle, next to a
hello-world view (a 20 KB HttpResponse through Django's WSGI handler, one route, no
middleware) timed in the same blocks. Reported per page: the p50 of its blocks' CPU
milliseconds per request, the cold
(first, cache-empty) request's CPU, and the ratio hello-world / page (1 would be as fast as
hello-world). The pages: the guest work page, the logged-in work page, the largest tag
listing with its sidebar, search results, the home page.
"""

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable

HELLO = "x" * 20_000


def hello(request):
    from django.http import HttpResponse

    return HttpResponse(HELLO)


def _hello_urls():
    from django.urls import path

    return [path("hello", hello)]


class HelloUrls:
    """The hello-world handler's only middleware: its own one-route URL conf."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.urlconf = "bench.hello_urls"
        return self.get_response(request)


def _hello_handler() -> Callable[[], object]:
    """Django's WSGI handler with no middleware (but the URL conf's) and one view."""
    import sys
    import types

    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory, override_settings

    module = types.ModuleType("bench.hello_urls")
    module.urlpatterns = _hello_urls()
    sys.modules["bench.hello_urls"] = module
    with override_settings(MIDDLEWARE=["bench.pages.HelloUrls"]):
        handler = WSGIHandler()
    environ = RequestFactory()._base_environ(PATH_INFO="/hello", REQUEST_METHOD="GET")

    def run() -> object:
        body = b"".join(handler(dict(environ), lambda status, headers: None))
        assert len(body) == len(HELLO)
        return body

    return run


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polis.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.POLIS_HITS_FLUSH_THREAD = False


def _pages() -> dict[str, Callable[[], object]]:
    from django.db import connection
    from django.test import Client

    from polis.accounts.models import User
    from polis.tags.models import Tag
    from polis.works.models import Work

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f.tag_id FROM tags_filtertagging f JOIN tags_tag t ON t.id = f.tag_id"
            " WHERE t.type = 'fandom' GROUP BY f.tag_id ORDER BY COUNT(*) DESC LIMIT 1"
        )
        largest = Tag.objects.get(pk=cursor.fetchone()[0])
    # A typical work: the median id of the listed, unrestricted ones.
    readable = Work.objects.filter(
        posted=True, hidden=False, restricted=False, unrevealed=False
    ).order_by("pk")
    work = readable[readable.count() // 2]
    reader, _ = User.objects.get_or_create(
        username="benchreader", defaults={"email": "benchreader@example.org"}
    )
    guest, member = Client(), Client()
    member.force_login(reader)

    def get(client: Client, url: str) -> Callable[[], object]:
        def run() -> object:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return run

    work_url = f"/works/{work.pk}?view_adult=true"
    return {
        "hello-world": _hello_handler(),
        "guest work page": get(guest, work_url),
        "logged-in work page": get(member, work_url),
        "largest tag listing": get(guest, largest.get_works_url()),
        "search results": get(guest, "/works/search?work_search%5Bquery%5D=w500"),
        "home page": get(guest, "/"),
    }


def _cpu_ms(run: Callable[[], object], count: int) -> float:
    start = time.process_time()
    for _ in range(count):
        run()
    return (time.process_time() - start) * 1000 / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--block", type=int, default=20)
    parser.add_argument("--cycles", type=int, default=15)
    args = parser.parse_args()
    _setup()
    from django.core.cache import cache

    pages = _pages()
    cache.clear()
    cold = {name: _cpu_ms(run, 1) for name, run in pages.items()}
    samples: dict[str, list[float]] = {name: [] for name in pages}
    names = list(pages)
    for cycle in range(args.cycles):
        for name in names[cycle % len(names) :] + names[: cycle % len(names)]:
            samples[name].append(_cpu_ms(pages[name], args.block))
    hello = statistics.median(samples["hello-world"])
    print(f"{platform.node()} {platform.processor() or platform.machine()} {os.cpu_count()} cores")
    print(f"{'page':<22} {'cold ms':>9} {'p50 ms':>9} {'req/CPU-s':>10} {'ratio':>8}")
    for name in names:
        p50 = statistics.median(samples[name])
        print(f"{name:<22} {cold[name]:>9.2f} {p50:>9.3f} {1000 / p50:>10.0f} {hello / p50:>8.3f}")


if __name__ == "__main__":
    main()
