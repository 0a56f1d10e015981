"""`polis backup` then `polis restore` into a fresh data directory gives back every row of
every table, the secret key and the uploads; the search snapshot is rebuilt, or verified, or
discarded when it is ahead of the restored change log.

The source is this test's own database (SQLite, or PostgreSQL on the PostgreSQL leg), filled
through the actions; the restore runs as a real `polis restore` process into a new data
directory (and, on PostgreSQL, a scratch database made for the test).
"""

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from polis.engagement.bookmarks import bookmark_create
from polis.engagement.comments import comment_create
from polis.engagement.kudos import kudos_give
from polis.search.models import WorkChange
from tests.processes import scratch_postgres

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROOT = Path(__file__).resolve().parents[2]
UPLOAD = bytes(range(256)) * 10


@pytest.fixture
def target(tmp_path):
    """A fresh data directory (and database) for `polis restore`, as environment variables."""
    data_dir = tmp_path / "restored"
    env = {
        **os.environ,
        "POLIS_DATA_DIR": str(data_dir),
        "POLIS_SEARCH_SNAPSHOT_DIR": str(data_dir / "search"),
        "DJANGO_SETTINGS_MODULE": "polis.settings",
    }
    for name in ("PYTEST_XDIST_WORKER", "POLIS_SECRET_KEY", "POLIS_MEDIA_ROOT"):
        env.pop(name, None)
    url = os.environ.get("DATABASE_URL", "")
    with contextlib.ExitStack() as stack:
        database = None
        if url.startswith("postgres"):
            env["DATABASE_URL"] = stack.enter_context(scratch_postgres(url, "polis_restore"))
            database = urlparse(env["DATABASE_URL"]).path.lstrip("/")
        yield data_dir, env, database


def polis(env, *args, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "polis.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check:
        assert done.returncode == 0, done.stderr[-3000:]
    return done


def restored_connection(data_dir: Path, database: str | None):
    """A connection to the restored database that converts values as Django's does."""
    params = connection.get_connection_params()
    if connection.vendor == "sqlite":
        params["database"] = str(data_dir / "polis.sqlite3")
    else:
        params["dbname"] = database
    return connection.get_new_connection(params)


def all_tables(cursor) -> list[str]:
    if connection.vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return sorted(row[0] for row in cursor.fetchall())


def model_rows(cursor, model) -> list[tuple]:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in model._meta.concrete_fields)
    order = ", ".join(quote(field.column) for field in model._meta.pk_fields)  # composite too
    cursor.execute(f"SELECT {columns} FROM {quote(model._meta.db_table)} ORDER BY {order}")
    return [tuple(row) for row in cursor.fetchall()]


def any_rows(cursor, table: str) -> list[str]:
    cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
    return sorted(repr(tuple(row)) for row in cursor.fetchall())


def fill(make_user, make_work) -> dict[str, int]:
    creator, reader = make_user(), make_user()
    works = [make_work(creator, title=f"Work {n}", chapters=2) for n in range(3)]
    for work in works:
        kudos_give(actor=reader, work=work)
        comment, _ = comment_create(actor=reader, work=work, text="<p>Lovely.</p>")
        comment_create(actor=creator, work=work, text="<p>Thank you!</p>", parent=comment)
        bookmark_create(actor=reader, work=work, notes="<p>Keep.</p>", tags=["Favourite"])
    return {"works": len(works)}


def test_backup_then_restore_into_a_fresh_data_directory_gives_back_every_row(
    settings, tmp_path, make_user, make_work, target
):
    source_dir = tmp_path / "source"
    (source_dir / "media" / "uploads").mkdir(parents=True)
    settings.DATA_DIR = source_dir
    settings.MEDIA_ROOT = source_dir / "media"
    (source_dir / "secret_key").write_text("the-source-secret-key")
    (source_dir / "media" / "uploads" / "cover.bin").write_bytes(UPLOAD)
    fill(make_user, make_work)
    mark = WorkChange.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert mark

    call_command("backup", to=str(tmp_path / "backups"), verbosity=0)
    [archive] = (tmp_path / "backups").glob("polis-backup-*.tar.gz")
    assert archive.stat().st_mode & 0o777 == 0o600

    data_dir, env, database = target
    done = polis(env, "restore", str(archive))
    assert done.stdout.strip().endswith("search snapshot rebuilt")
    assert (data_dir / "secret_key").read_text() == "the-source-secret-key"
    assert (data_dir / "media" / "uploads" / "cover.bin").read_bytes() == UPLOAD

    # Every table, row by row: each model's table in primary-key order, then every other
    # table the database holds (SQLite's full-text tables, PostgreSQL's own) as sets.
    restored = restored_connection(data_dir, database)
    try:
        with connection.cursor() as mine:
            theirs = restored.cursor()
            assert all_tables(theirs) == all_tables(mine)
            seen = set()
            for model in apps.get_models(include_auto_created=True):
                if not model._meta.managed or model._meta.proxy:
                    continue
                seen.add(model._meta.db_table)
                assert model_rows(theirs, model) == model_rows(mine, model), model._meta.label
            for table in set(all_tables(mine)) - seen:
                assert any_rows(theirs, table) == any_rows(mine, table), table
            for table in ("works_work", "engagement_kudos", "engagement_comment"):
                theirs.execute(f"SELECT COUNT(*) FROM {table}")
                assert theirs.fetchone()[0] >= 3, table
    finally:
        restored.close()
    snapshots = list((data_dir / "search").glob("*/meta.json"))
    assert [json.loads(p.read_text())["change_mark"] for p in snapshots] == [mark]

    # A restore into a directory already in use is refused.
    refused = polis(env, "restore", str(archive), check=False)
    assert refused.returncode == 1
    assert "is not empty" in refused.stderr and "--force" in refused.stderr

    # Later changes and a snapshot of them: that snapshot is ahead of the restored log, so a
    # forced restore of the backup discards it and builds one at the backup's mark.
    later = (
        "from polis.search.indexing import index_works; from polis.works.models import Work; "
        "from polis.search.snapshot import snapshot_refresh; "
        "index_works(Work.objects.values_list('pk', flat=True)); "
        "print(snapshot_refresh().change_mark)"
    )
    ahead = int(polis(env, "shell", "-c", later).stdout.split()[-1])
    assert ahead == mark + 3
    done = polis(env, "restore", "--force", str(archive))
    assert done.stdout.strip().endswith("search snapshot discarded and rebuilt")
    assert f"ahead of the restored log ({ahead} > {mark}): discarded" in done.stderr
    assert [json.loads(p.read_text())["change_mark"] for p in snapshots] == [mark]

    # A snapshot that agrees with the restored log is kept.
    done = polis(env, "restore", "--force", str(archive))
    assert done.stdout.strip().endswith("search snapshot verified")
