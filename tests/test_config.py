"""The configuration a fresh clone, Binder and a JupyterHub rely on."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import jupytext
import pytest
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
    assert CONFIG["execute"]["execute_notebooks"] == "force"  # no execution cache to go stale
    fixture = (ROOT / "tests" / "conftest.py").read_text()
    assert "shutil.rmtree(BUILD" in fixture  # and the session build starts from clean


def test_pages_with_code_cells_are_read_again_when_the_package_or_data_change():
    from types import SimpleNamespace

    from buber_course.sphinx_ext import notebooks

    # book/timeline has code cells (its chart); book/intro has none.
    env = SimpleNamespace(found_docs={"book/timeline", "book/intro"}, doc2path=lambda doc: ROOT / f"{doc}.md")
    assert notebooks.pages_with_code_cells(None, env, set(), set(), set()) == ["book/timeline"]
    assert notebooks.pages_with_code_cells(None, env, set(), set(), set()) == []  # nothing changed since
    env.notebook_inputs_digest = "the fingerprint of an older package"
    assert notebooks.pages_with_code_cells(None, env, set(), set(), set()) == ["book/timeline"]
    env.notebook_inputs_digest = "the fingerprint of an older package"
    assert notebooks.pages_with_code_cells(None, env, set(), {"book/timeline"}, set()) == []  # read anyway


# --- the two commands on the machines users have -----------------------------------------------


def make(*args, path: str | None = None) -> subprocess.CompletedProcess:
    # A fresh make: nothing inherited from a `make test` (or `PYTHON=...`) this suite runs under.
    inherited = {"PYTHON", "VENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}
    env = {k: v for k, v in os.environ.items() if k not in inherited} | ({"PATH": path} if path else {})
    return subprocess.run(["make", "-s", "-C", str(ROOT), *args], capture_output=True, text=True, env=env)


def shown_python(path: str) -> str:
    return make("--eval", "show-python: ; @echo $(PYTHON)", "show-python", path=path).stdout.strip()


def test_make_picks_the_newest_python_that_runs(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3.13").write_text("#!/bin/sh\necho 'pyenv: python3.13: command not found' >&2; exit 127\n")
    (bin_dir / "python3.13").chmod(0o755)
    (bin_dir / "python3.12").symlink_to(sys.executable)
    (bin_dir / "python3.11").symlink_to(sys.executable)
    system = f"{bin_dir}:/usr/bin:/bin"
    assert shown_python(system) == "python3.12"  # a shim that cannot run is passed over
    (bin_dir / "python3.12").unlink()
    assert shown_python(system) == "python3.11"


def test_make_stops_at_once_on_a_python_older_than_3_11():
    old = sorted(Path("/root/.pyenv/versions").glob("3.10.*/bin/python3.10")) or sorted(Path("/usr/bin").glob("python3.[0-9]"))
    if not old:
        pytest.skip("no Python older than 3.11 on this machine to try")
    result = make("python", f"PYTHON={old[-1]}")
    assert result.returncode != 0
    assert "the course needs Python 3.11, 3.12 or 3.13" in result.stdout + result.stderr
    result = make("python", "PYTHON=/nowhere/python3.12")
    assert result.returncode != 0 and "Cannot run PYTHON=/nowhere/python3.12" in result.stdout


def test_the_package_admits_python_3_11_to_3_13():
    assert PYPROJECT["project"]["requires-python"] == ">=3.11,<3.14"


def test_make_book_runs_no_npm_and_no_apt_get():
    commands = make("-n", "book", "STAMP=pyproject.toml").stdout  # STAMP: pretend .venv is installed
    assert "jupyter-book build" in commands
    assert not re.search(r"\b(npm|node|apt-get)\b", commands), commands


def test_the_vendored_icons_are_what_the_pinned_fontawesome_gives():
    from buber_course.sphinx_ext import icons

    assert icons.FONTAWESOME_SVGS.is_dir(), "`make test` installs the npm packages first"
    assert icons.VENDORED.read_text(encoding="utf-8") == icons.icon_css()
    assert "CC BY 4.0" in icons.VENDORED.read_text(encoding="utf-8").splitlines()[0]


def test_chromium_is_found_from_the_environment_then_the_path(tmp_path, monkeypatch):
    import chromium

    monkeypatch.setenv("CHROMIUM", "/opt/my/chrome")
    assert chromium.find() == "/opt/my/chrome"
    monkeypatch.delenv("CHROMIUM")
    browser = tmp_path / "chromium-browser"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert chromium.find() == str(browser)


def test_without_chromium_and_without_root_make_test_says_what_to_install(tmp_path, monkeypatch, capsys):
    import chromium

    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(chromium, "MACOS", ())
    monkeypatch.setattr(chromium, "can_install", lambda: False)
    assert chromium.main() == 1
    message = capsys.readouterr().err
    assert message.count("\n") == 1 and "apt-get install chromium" in message and "CHROMIUM=" in message


def test_the_build_stops_when_the_theme_is_not_the_version_the_overrides_were_written_for(tmp_path, monkeypatch):
    from sphinx.application import Sphinx
    from sphinx.errors import ExtensionError

    from buber_course.sphinx_ext import theme

    real = theme.metadata.version
    monkeypatch.setattr(theme.metadata, "version", lambda name: "0.18.0" if name == "pydata-sphinx-theme" else real(name))
    (tmp_path / "conf.py").write_text('extensions = ["buber_course.sphinx_ext"]\n')
    (tmp_path / "index.rst").write_text("Title\n=====\n")
    with pytest.raises(ExtensionError, match=r"pydata-sphinx-theme 0\.18\.0 is installed, the overrides were written for 0\.17\.1"):
        Sphinx(str(tmp_path), str(tmp_path), str(tmp_path / "out"), str(tmp_path / "doctrees"), "html", status=None)
    assert theme.WRITTEN_FOR["pydata-sphinx-theme"] == real("pydata-sphinx-theme")  # the real one passes
