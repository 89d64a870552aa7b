"""data/ validates against its Frictionless description."""

from __future__ import annotations

import json

from frictionless import Package

from buber_course.paths import DATA


def test_data_package_is_valid():
    report = Package(str(DATA / "datapackage.json"), basepath=str(DATA)).validate()
    errors = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors]
    assert report.valid, "\n".join(errors[:20])


def test_a_malformed_row_is_caught_by_the_schema(tmp_path):
    descriptor = json.loads((DATA / "datapackage.json").read_text())
    rows = (DATA / "corrections.csv").read_text(encoding="utf-8").splitlines()
    bad = rows[:2] + ["c99,131,foo,bar,invented-kind,note"]
    (tmp_path / "corrections.csv").write_text("\n".join(bad) + "\n", encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    report = Package(str(tmp_path / "datapackage.json"), basepath=str(tmp_path)).validate()
    messages = " ".join(error.message for task in report.tasks for error in task.errors)
    assert not report.valid
    assert "131" in messages and "invented-kind" in messages
