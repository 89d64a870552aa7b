"""Which Chromium the browser tests drive: one rule, used by `make test` and by ``conftest``.

In order: ``$CHROMIUM``; ``chromium``, ``chromium-browser``, ``google-chrome`` on the PATH; the
usual macOS applications. Run as a script (`make test` does), it prints the path it found; with none
found it installs Debian's ``chromium`` with apt-get when it runs as root on Debian, and otherwise
says in one line what to install. It never downloads a browser of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MACOS = ("/Applications/Chromium.app/Contents/MacOS/Chromium",
         "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")
HOW_TO_INSTALL = ("no Chromium or Chrome found: install one (Debian/Ubuntu: `sudo apt-get install chromium`, or Google "
                  "Chrome's .deb; macOS: `brew install --cask chromium`) or set CHROMIUM=/path/to/chrome (see the README)")


def find() -> str | None:
    """The browser to drive, or None."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    found = (shutil.which(name) for name in NAMES)
    return next((path for path in found if path), None) or next((p for p in MACOS if Path(p).is_file()), None)


def can_install() -> bool:
    return os.geteuid() == 0 and Path("/etc/debian_version").is_file() and shutil.which("apt-get") is not None


def apt_install(package: str, check: bool = True) -> None:
    """Debian's package, installed quietly (the caller has asked ``can_install``); output to stderr."""
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", package]):
        subprocess.run(command, check=check, stdout=sys.stderr)


def main() -> int:
    path = find()
    if path is None and can_install():
        apt_install("chromium")
        path = find()
    if path is None:
        print(f"make test: {HOW_TO_INSTALL}", file=sys.stderr)
        return 1
    if not os.access(path, os.X_OK):
        print(f"make test: CHROMIUM={path} is not an executable file", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
