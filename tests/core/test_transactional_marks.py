"""Every transactional test restores the rows the migrations made (ratings, warnings, role
groups, the site-settings row): `transaction=True` empties the tables when the test ends, so
without `serialized_rollback=True` the next test on that worker finds no fixed tags, and the
next serialized one fails to load its content types."""

import re
from pathlib import Path

import tests

MARK = re.compile(r"django_db\(([^)]*)\)")


def test_transactional_tests_roll_back_serialized():
    offenders = []
    for path in sorted(Path(tests.__file__).parent.rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for args in MARK.findall(line):
                if "transaction=True" in args and "serialized_rollback=True" not in args:
                    offenders.append(f"{path.name}:{number}")
    assert offenders == []
