"""Where the course's files are: the package lives at the top of the repository, beside data/."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
BOOK = ROOT / "book"
BUILD_HTML = ROOT / "_build" / "html"
