"""`make student`: the learners' version of the exercise notebooks, made by nbgrader itself.

nbgrader's ``generate_assignment`` does the work: it removes what stands between ``### BEGIN
SOLUTION`` and ``### END SOLUTION``, the hidden tests and the model answers, and locks the check
cells. The source notebooks in ``exercises/`` stay the only copy the course edits, so the two
versions cannot drift. Output: ``exercises/student/lesson-N.ipynb`` (not kept in git).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jupytext

from .paths import ROOT

EXERCISES = ROOT / "exercises"
STUDENT = EXERCISES / "student"
CONFIG = """c = get_config()
c.ClearSolutions.code_stub = {"python": "# ^ write your answer in place of None on the line above"}
c.ClearSolutions.text_stub = "Write your answer here."
"""


def make_student_version(destination: Path = STUDENT) -> list[Path]:
    sources = sorted(EXERCISES.glob("lesson-*.md"))
    if not sources:
        raise FileNotFoundError(f"no exercise notebooks (lesson-*.md) in {EXERCISES}")
    destination.mkdir(parents=True, exist_ok=True)
    bin_dir = str(Path(sys.executable).parent)  # nbgrader calls alembic from the same environment
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    made = []
    with tempfile.TemporaryDirectory() as course:
        course = Path(course)
        (course / "nbgrader_config.py").write_text(CONFIG)
        for source in sources:
            name = source.stem
            (course / "source" / name).mkdir(parents=True)
            jupytext.write(jupytext.read(source), course / "source" / name / f"{name}.ipynb")
            result = subprocess.run([str(Path(bin_dir) / "nbgrader"), "generate_assignment", name, "--force"],
                                    cwd=course, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError(f"nbgrader could not make the student version of {source.name}:\n{result.stderr[-3000:]}")
            made.append(Path(shutil.copy(course / "release" / name / f"{name}.ipynb", destination / f"{name}.ipynb")))
    return made


if __name__ == "__main__":
    for path in make_student_version():
        print(f"wrote {path.relative_to(ROOT)}")
