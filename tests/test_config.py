"""The configuration a fresh clone, Binder and a JupyterHub rely on."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import jupytext
import yaml

from buber_course.paths import ROOT

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def pins(lines) -> dict[str, str]:
    found = {}
    for line in lines:
        match = re.match(r"^\s*([A-Za-z0-9_.\-\[\]]+)==([^\s;#]+)", line)
        if match:
            found[re.sub(r"\[.*\]", "", match[1]).lower().replace("_", "-")] = match[2]
    return found


def test_every_direct_dependency_is_pinned_and_the_lock_agrees():
    direct = PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["test"]
    assert all("==" in requirement for requirement in direct), direct
    lock = pins((ROOT / "requirements.lock").read_text().splitlines())
    for name, version in pins(direct).items():
        assert lock.get(name) == version, f"{name}: pyproject pins {version}, the lock has {lock.get(name)}"
    assert lock["jupyter-book"] == "1.0.4.post1"


def test_binder_installs_the_same_lock_and_the_helper_package():
    lines = [l.strip() for l in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    assert lines == ["-r ../requirements.lock", "-e ."]
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime == "python-3.11" and PYPROJECT["project"]["requires-python"].startswith(">=3.11")


def test_binder_opens_markdown_notebooks_as_notebooks(tmp_path):
    commands = [l for l in (ROOT / "binder" / "postBuild").read_text().splitlines() if l.startswith("jupytext-config")]
    assert commands, "binder/postBuild sets no default viewer"
    settings = tmp_path / "overrides.json"
    for command in commands:
        words = shlex.split(command)
        executable = str(Path(sys.executable).parent / words[0])
        subprocess.run([executable, "--settings-file", str(settings), *words[1:]], check=True)
    viewers = json.loads(settings.read_text())["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == viewers["myst"] == "Jupytext Notebook"


def notebook_pages() -> list[Path]:
    return [p for p in (ROOT / "book").rglob("*.md") if p.read_text().startswith("---\njupytext:")]


def test_notebooks_are_myst_text_notebooks_with_a_python_kernel():
    assert notebook_pages()
    for path in notebook_pages():
        notebook = jupytext.read(path)
        assert notebook.metadata["kernelspec"]["name"] == "python3", path
        assert any(cell.cell_type == "code" for cell in notebook.cells), path


def test_launch_buttons_and_repository_are_configured_in_one_place():
    url = CONFIG["repository"]["url"]
    assert url.startswith("https://github.com/")
    assert CONFIG["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert "jupyterhub_url" in CONFIG["launch_buttons"]
    elsewhere = [p for p in ("_toc.yml", "book/intro.md") if url in (ROOT / p).read_text() and p != "book/intro.md"]
    assert elsewhere == []


def test_cell_errors_fail_the_build_and_make_test_never_uses_stale_outputs():
    assert CONFIG["execute"]["allow_errors"] is False
    assert CONFIG["sphinx"]["config"]["nb_execution_raise_on_error"] is True
    assert CONFIG["execute"]["execute_notebooks"] == "cache"
    fixture = (ROOT / "tests" / "conftest.py").read_text()
    assert "shutil.rmtree(BUILD" in fixture  # the session build starts without the execution cache
