"""The theme's icons as one small stylesheet, vendored in ``static/icons.css``.

sphinx-book-theme draws its icons with FontAwesome's 1.5 MB script; the course draws the few it
shows as CSS masks made from FontAwesome Free's SVG files instead. The stylesheet is committed, so
building the book needs neither Node nor npm. After a theme upgrade that shows a new icon (a test
of the built pages says which), add its name below and run ``make icons``, which installs the
pinned ``@fortawesome/fontawesome-free`` with npm and writes the file again.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import quote

from ..paths import ROOT

VENDORED = Path(__file__).parent / "static" / "icons.css"
FONTAWESOME_SVGS = ROOT / "node_modules" / "@fortawesome" / "fontawesome-free" / "svgs"
# The icons sphinx-book-theme draws, by FontAwesome style. A test checks that every ``fa-`` class in
# the built pages is here, so a theme upgrade that adds an icon fails loudly instead of showing a gap.
THEME_ICONS = {
    "solid": ["angle-left", "angle-right", "arrow-up", "bars", "circle-half-stroke", "download", "expand",
              "file", "file-pdf", "list", "outdent", "indent", "magnifying-glass", "moon", "sun", "rocket", "spinner",
              "arrow-up-right-from-square", "copy", "xmark", "book", "code", "pen", "lightbulb"],
    "brands": ["github"],
}


def icon_css(svgs: Path = FONTAWESOME_SVGS) -> str:
    """CSS that draws the theme's icons as masks from FontAwesome Free's SVG files (CC BY 4.0)."""
    version = json.loads((svgs.parent / "package.json").read_text(encoding="utf-8"))["version"]
    rules = [
        f"/* Icons: Font Awesome Free {version} by Fonticons, Inc., CC BY 4.0, https://fontawesome.com/license/free"
        " (made by `make icons` from the npm package's SVG files) */",
        ".fa-solid,.fa-brands,.fa-regular,.fas,.fab,.far{display:inline-block;width:1.1em;height:1em;vertical-align:-.125em;"
        "background-color:currentColor;-webkit-mask:var(--icon) center/contain no-repeat;"
        "mask:var(--icon) center/contain no-repeat}",
        ".fa-lg{font-size:1.25em}",
        # The theme's stylesheet would draw the same icons from 270 KB of web fonts: switch that off.
        ".fa-solid::before,.fa-brands::before,.fa-regular::before,.fas::before,.fab::before,.far::before"
        "{content:none!important}",
    ]
    for style, names in THEME_ICONS.items():
        for name in names:
            svg = (svgs / style / f"{name}.svg").read_text(encoding="utf-8")
            svg = re.sub(r"<!--.*?-->", "", svg)  # the licence comment: the header above carries it
            rules.append(f'.fa-{name}{{--icon:url("data:image/svg+xml,{quote(svg)}")}}')
    # The theme marks {download} links with the web font's download icon (a 156 KB font): draw it as a mask too.
    download = re.sub(r"<!--.*?-->", "", (svgs / "solid" / "download.svg").read_text(encoding="utf-8"))
    rules.append('a.reference.download::before{content:""!important;font:inherit;display:inline-block;width:.8em;'
                 "height:.8em;margin:0 .25em;padding:0;vertical-align:-.05em;background-color:var(--pst-color-text-muted);"
                 "-webkit-mask:var(--icon) center/contain no-repeat;mask:var(--icon) center/contain no-repeat;"
                 f'--icon:url("data:image/svg+xml,{quote(download)}")}}')
    return "\n".join(rules) + "\n"


def main() -> int:
    if not FONTAWESOME_SVGS.is_dir():
        print(f"missing {FONTAWESOME_SVGS}: run `npm ci` first (`make icons` does)", file=sys.stderr)
        return 1
    VENDORED.write_text(icon_css(), encoding="utf-8")
    print(f"wrote {VENDORED.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
