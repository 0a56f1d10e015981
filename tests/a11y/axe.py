"""axe-core for the accessibility tests, installed from npm (never a downloaded binary).

`make test` installs it once (`make axe`); a targeted pytest run installs it here the first time,
under a lock so that parallel test workers share one copy.
"""

import fcntl
import shutil
import subprocess
from pathlib import Path

import pytest

AXE_VERSION = "4.10.3"
CACHE = Path(__file__).resolve().parents[2] / "var" / "test-cache" / f"axe-core-{AXE_VERSION}"
AXE_JS = CACHE / "node_modules" / "axe-core" / "axe.min.js"
# What the issue asks to be absent; "moderate" and "minor" ones are reported but not failed.
FAILING_IMPACTS = ("serious", "critical")


def axe_source() -> str:
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is not on PATH: `make browser` installs Debian's npm.")
        CACHE.mkdir(parents=True, exist_ok=True)
        with open(CACHE / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not AXE_JS.exists():
                subprocess.run(
                    [npm, "install", "--prefix", str(CACHE), "--no-audit", "--no-fund"]
                    + ["--no-save", "--no-package-lock", f"axe-core@{AXE_VERSION}"],
                    check=True,
                    capture_output=True,
                    timeout=300,
                )
    return AXE_JS.read_text()


def violations(page, source: str) -> dict[str, list[str]]:
    """axe's serious and critical violations on the page: {rule id: [targets…]}."""
    page.evaluate(source)  # an evaluation, not a <script>: the site's CSP stays as it is
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return {
        rule["id"]: [" ".join(map(str, node["target"])) for node in rule["nodes"]]
        for rule in result["violations"]
        if rule["impact"] in FAILING_IMPACTS
    }
