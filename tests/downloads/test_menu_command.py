"""The download menu on the work page, and the `polis download` command."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string

from polis.downloads.management.commands.download import Command as DownloadCommand
from tests.works.support import parse


def _menu(work) -> str:
    return render_to_string("downloads/menu.html", {"work": work})


def test_menu_lists_the_core_formats_in_aos_markup(make_work, monkeypatch):
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # no calibre here
    work = make_work(title="Fox & Hound")
    tree = parse(_menu(work))
    item = tree.select_one("li.download")
    assert item.select_one("details summary").text == "Download"
    links = item.select("details ul.expandable.secondary li a")
    assert [(a.text, a.get("href")) for a in links] == [
        ("EPUB", f"/downloads/{work.pk}/Fox_Hound.epub"),
        ("PDF", f"/downloads/{work.pk}/Fox_Hound.pdf"),
        ("HTML", f"/downloads/{work.pk}/Fox_Hound.html"),
    ]


def test_menu_offers_azw3_and_mobi_only_with_calibre(make_work, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert "AZW3" not in _menu(make_work()) and "MOBI" not in _menu(make_work())
    fake = tmp_path / "bin" / "ebook-convert"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    labels = parse(_menu(make_work())).texts("li.download a")
    assert labels == ["AZW3", "EPUB", "MOBI", "PDF", "HTML"]


def test_menu_is_empty_for_drafts(make_work):
    assert _menu(make_work(post=False)).strip() == ""


def test_command_writes_the_file_and_prints_its_path(make_work, tmp_path):
    work = make_work(title="Scripted")
    out = StringIO()
    target = tmp_path / "out" / "book.epub"
    call_command(
        DownloadCommand(), str(work.pk), "--format", "epub", "--output", str(target), stdout=out
    )
    assert out.getvalue().strip() == str(target.resolve())
    assert target.read_bytes().startswith(b"PK\x03\x04")


def test_command_names_the_file_in_a_directory(make_work, tmp_path):
    work = make_work(title="Into A Folder")
    out = StringIO()
    call_command(
        DownloadCommand(), str(work.pk), "--format", "html", "--output", str(tmp_path), stdout=out
    )
    path = Path(out.getvalue().strip())
    assert path == tmp_path / "Into_A_Folder.html"
    assert path.read_bytes().startswith(b"<!DOCTYPE html>")


@pytest.mark.parametrize("post", [False, None])
def test_command_refuses_drafts_and_missing_works(make_work, tmp_path, post):
    work_id = make_work(post=False).pk if post is False else 999999
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(CommandError):
        call_command(DownloadCommand(), str(work_id), "--output", str(folder))
    assert list(folder.iterdir()) == []
