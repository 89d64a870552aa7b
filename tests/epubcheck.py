"""Which epubcheck the EPUB test runs: one rule, used by `make test` and by tests/test_print.py.

``$EPUBCHECK``, else ``epubcheck`` on the PATH. Debian's package installs the checker as a Java
archive at /usr/bin/epubcheck (run through binfmt when jarwrapper is set up), so an archive is run with
``java -jar``. Run as a script (`make test` does), it installs Debian's ``epubcheck`` with apt-get when
none is found and it runs as root on Debian, as tests/chromium.py does for the browser; elsewhere the
EPUB test skips that one check and says why.
"""

from __future__ import annotations

import os
import shutil
import sys

from chromium import apt_install, can_install

HOW_TO_INSTALL = "epubcheck not found (Debian/Ubuntu: `sudo apt-get install epubcheck`; or set EPUBCHECK=/path/to/epubcheck)"


def command() -> list[str] | None:
    """The command that checks an EPUB (the file's path is added after it), or None."""
    path = os.environ.get("EPUBCHECK") or shutil.which("epubcheck")
    if not path:
        return None
    with open(path, "rb") as handle:
        is_archive = handle.read(2) == b"PK"
    if is_archive:
        java = shutil.which("java")
        return [java, "-jar", path] if java else None
    return [path]


def main() -> int:
    if command() is None and can_install():
        apt_install("epubcheck", check=False)  # a failed install only skips the one epubcheck step
    found = command()
    if found is None:
        print(f"make test: {HOW_TO_INSTALL}; the EPUB test will skip its epubcheck step", file=sys.stderr)
        return 1
    print(" ".join(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
