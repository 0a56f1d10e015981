"""The address guard: private addresses are refused before any connection, on every hop."""

import socket

import pytest

from polis.imports.fetch import FetchRefused, address_refused, fetch


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.9.9.9",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "::ffff:127.0.0.1",
        "2002:0a00:0001::1",
    ],
)
def test_inner_addresses_are_refused(address):
    assert address_refused(address) is True


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert address_refused(address) is False


@pytest.fixture
def listener():
    """A real socket that would see any connection the fetcher made."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.setblocking(False)
    yield sock
    sock.close()


def _no_connection(sock: socket.socket) -> bool:
    try:
        connection, _ = sock.accept()
    except BlockingIOError:
        return True
    connection.close()
    return False


def test_a_name_resolving_to_a_private_address_is_refused_without_connecting(listener, settings):
    settings.POLIS_IMPORT_ALLOWED_HOSTS = ""
    port = listener.getsockname()[1]
    lookups = []

    def resolver(host, port):
        lookups.append(host)
        return ["10.0.0.1"]

    with pytest.raises(FetchRefused, match=r"private network \(10\.0\.0\.1\)"):
        fetch(f"http://archive.example:{port}/works/1", resolver=resolver)
    assert lookups == ["archive.example"]

    # A name that resolves to the very address the listener is on: still refused, and the
    # listener proves nothing connected.
    with pytest.raises(FetchRefused, match="private network"):
        fetch(f"http://archive.example:{port}/", resolver=lambda host, port: ["127.0.0.1"])
    with pytest.raises(FetchRefused, match="private network"):
        fetch(
            f"http://archive.example:{port}/",
            resolver=lambda host, port: ["93.184.216.34", "127.0.0.1"],
        )
    with pytest.raises(FetchRefused, match="private network"):
        fetch(f"http://127.0.0.1:{port}/")
    with pytest.raises(FetchRefused, match="private network"):
        fetch(f"http://[::ffff:127.0.0.1]:{port}/")
    assert _no_connection(listener)


def test_a_redirect_into_a_private_address_is_refused(site, settings):
    settings.POLIS_IMPORT_ALLOWED_HOSTS = "127.0.0.1"
    site.redirect("/start", site.url("/secret", host="internal.example"))
    site.redirect("/to-ten", "http://10.0.0.1/latest/meta-data/")
    site.redirect("/to-mapped", f"http://[::ffff:127.0.0.1]:{site.port}/secret")
    site.page("/secret", "private")

    def resolver(host, port):
        assert host == "internal.example"
        return ["127.0.0.1"]

    for path in ("/start", "/to-ten", "/to-mapped"):
        with pytest.raises(FetchRefused, match="private network"):
            fetch(site.url(path), resolver=resolver)
    assert site.requests == ["/start", "/to-ten", "/to-mapped"]


def test_redirects_are_followed_at_most_five_times(site, settings):
    settings.POLIS_IMPORT_ALLOWED_HOSTS = "127.0.0.1"
    for hop in range(7):
        site.redirect(f"/r{hop}", f"/r{hop + 1}")
    site.page("/r7", "end")
    site.page("/r5", "five hops")
    site.redirect("/r0", "/r1")
    assert fetch(site.url("/r0")).text() == "five hops"
    site.redirect("/r5", "/r6")
    with pytest.raises(FetchRefused, match="more than 5 times"):
        fetch(site.url("/r0"))


def test_a_page_over_the_size_limit_is_refused(site, settings):
    settings.POLIS_IMPORT_ALLOWED_HOSTS = "127.0.0.1"
    settings.POLIS_IMPORT_MAX_BYTES = 1000
    site.page("/big", "x" * 1001)
    site.page("/small", "x" * 1000)
    assert len(fetch(site.url("/small")).body) == 1000
    with pytest.raises(FetchRefused, match="larger than 1000 bytes"):
        fetch(site.url("/big"))


def test_only_http_and_https_are_fetched(settings):
    for url in ("file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/"):
        with pytest.raises(FetchRefused, match="Only http and https"):
            fetch(url)


@pytest.fixture
def tls_site(site, tmp_path):
    """The test site behind TLS, with a certificate for `archive.test` only."""
    import ssl
    import subprocess

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=archive.test",
            "-addext",
            "subjectAltName=DNS:archive.test",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    site.server.socket = context.wrap_socket(site.server.socket, server_side=True)
    return site, cert


def test_https_connects_to_the_checked_address_and_verifies_the_host_name(
    tls_site, settings, monkeypatch
):
    site, cert = tls_site
    settings.POLIS_IMPORT_ALLOWED_HOSTS = "archive.test,127.0.0.1"
    site.page("/works/1", "<p>Safe.</p>")
    lookups = []

    def resolver(host, port):
        lookups.append(host)
        return ["127.0.0.1"]

    url = f"https://archive.test:{site.port}/works/1"
    with pytest.raises(FetchRefused, match="certificate verify failed"):
        fetch(url, resolver=resolver)  # not signed by a trusted authority
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    assert fetch(url, resolver=resolver).text() == "<p>Safe.</p>"
    assert lookups == ["archive.test", "archive.test"]  # one lookup per fetch, none by TLS
    with pytest.raises(FetchRefused, match="certificate verify failed"):
        fetch(f"https://127.0.0.1:{site.port}/works/1")  # the name must match, not the address


def test_a_fetch_slower_than_the_timeout_fails_with_a_clear_message(site, settings):
    import time

    settings.POLIS_IMPORT_ALLOWED_HOSTS = "127.0.0.1"
    settings.POLIS_IMPORT_TIMEOUT = 0.5
    site.slow("/late", "<p>Late.</p>", before=1.5)  # no answer within the timeout
    # Every chunk in time, the whole page (4 seconds) not: the timeout bounds the whole fetch.
    site.slow("/trickle", "x" * 2000, between=0.2)
    site.slow("/prompt", "x" * 200, between=0.05)
    too_slow = (
        r"^The page took too long to arrive \(more than 0\.5 seconds\); try again later, "
        r"or download it and import the file\.$"
    )

    for path in ("/late", "/trickle"):
        started = time.monotonic()
        with pytest.raises(FetchRefused, match=too_slow):
            fetch(site.url(path))
        assert time.monotonic() - started < 1.2  # it gave up, it did not wait it out
    assert fetch(site.url("/prompt")).body == b"x" * 200


@pytest.mark.django_db
def test_an_import_whose_page_times_out_saves_nothing(
    site, settings, make_user, django_capture_on_commit_callbacks
):
    from polis.imports.actions import ImportOptions, import_urls_start
    from polis.imports.models import ImportedWork, ImportJob
    from polis.tags.models import Tag
    from polis.works.models import Chapter, Series, Work
    from tests.imports.support import AO3_DOWNLOAD

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.POLIS_IMPORT_ALLOWED_HOSTS = "127.0.0.1"
    settings.POLIS_IMPORT_TIMEOUT = 0.5
    site.slow("/late.html", AO3_DOWNLOAD, before=1.5)
    site.slow("/trickle.html", AO3_DOWNLOAD, between=0.1)
    writer = make_user("saltwind")
    tags_before = Tag.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        import_urls_start(
            actor=writer,
            urls=[site.url("/late.html"), site.url("/trickle.html")],
            as_chapters=True,
            options=ImportOptions(),
        )

    job = ImportJob.objects.get()
    message = (
        "The page took too long to arrive (more than 0.5 seconds); try again later, or "
        "download it and import the file."
    )
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [
        f"{site.url('/late.html')}: {message}",
        f"{site.url('/trickle.html')}: {message}",
    ]
    assert job.finished_at is not None
    assert (Work.objects.count(), Chapter.objects.count(), ImportedWork.objects.count()) == (
        0,
        0,
        0,
    )
    assert (Series.objects.count(), Tag.objects.count()) == (0, tags_before)
