"""data/ validates against its Frictionless description."""

from __future__ import annotations

import json
import shutil

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


def package() -> Package:
    return Package(str(DATA / "datapackage.json"), basepath=str(DATA))


def test_every_data_file_is_described_in_the_package():
    described = {resource.path for resource in package().resources}
    files = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*.csv")}
    assert files == described


def test_every_field_is_described_and_every_source_points_to_the_sources_table():
    for resource in package().resources:
        descriptor = resource.to_descriptor()
        for field in descriptor["schema"]["fields"]:
            assert field.get("description"), f"{resource.name}.{field['name']}"
        if resource.path.startswith("collectivization/") and "source" in resource.schema.field_names:
            # the figures cite sources.csv by id (the reference tables cite in free text)
            keys = [key for key in descriptor["schema"].get("foreignKeys", []) if key["fields"] in ("source", ["source"])]
            assert keys, resource.name
            assert keys[0]["reference"]["resource"] == "sources" and keys[0]["reference"]["fields"] in ("id", ["id"])


def test_a_collectivization_row_breaking_the_schema_is_caught(tmp_path):
    shutil.copytree(DATA, tmp_path / "data")
    table = tmp_path / "data" / "collectivization" / "households_share.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[1] = "share_ussr,1930-13,USSR,130,percent,measure,nobody1999,guessed,note"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = Package(str(tmp_path / "data" / "datapackage.json"), basepath=str(tmp_path / "data")).validate()
    errors = {(error.type, getattr(error, "field_name", None)) for task in report.tasks for error in task.errors}
    assert {("constraint-error", "date"), ("constraint-error", "value"), ("constraint-error", "confidence"),
            ("foreign-key", None)} <= errors
