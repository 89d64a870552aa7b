"""The look of every figure in the book (collectivization charts, timeline, quotation chart), in one place.

The palette is Okabe-Ito's, which colour-blind readers can tell apart, and every series also has its
own marker and dash pattern, so a figure still reads in greyscale. Figures are white with dark text
(at least 7:1), so they stay legible when the book is shown in dark mode.

Backend: figures are made as ``matplotlib.figure.Figure`` objects, never through pyplot, so no backend
is chosen and no global state is touched: ``savefig`` renders a PNG with Agg and an SVG with the SVG
backend by itself, in the build's kernels, in tests and under a reader's own ``%matplotlib`` setting.
"""

from __future__ import annotations

import io
import re
from contextlib import contextmanager
from html import escape

import matplotlib as mpl
from matplotlib.figure import Figure
from PIL import Image

OKABE_ITO = {"orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73", "yellow": "#F0E442",
             "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7", "black": "#000000"}
# The looks series take, in order: colour, marker and dash pattern all differ from one to the next.
LOOKS = [
    {"color": OKABE_ITO["blue"], "marker": "o", "linestyle": "-"},
    {"color": OKABE_ITO["vermillion"], "marker": "s", "linestyle": "--"},
    {"color": OKABE_ITO["bluish green"], "marker": "^", "linestyle": "-."},
    {"color": OKABE_ITO["reddish purple"], "marker": "D", "linestyle": ":"},
    {"color": OKABE_ITO["orange"], "marker": "v", "linestyle": (0, (6, 2, 1, 2, 1, 2))},
    {"color": OKABE_ITO["sky blue"], "marker": "P", "linestyle": (0, (1, 1))},
    {"color": OKABE_ITO["black"], "marker": "X", "linestyle": (0, (9, 3))},
]
TEXT = "#1a1a1a"  # 17:1 on white
MUTED = "#595959"  # 7:1 on white: event lines, leaders and notes
PAPER = "white"  # the figure's ground, and the face of a hollow marker or hatched bar
SHADE = {"color": OKABE_ITO["black"], "alpha": 0.07, "linewidth": 0}  # a span of time behind the data
# Type sizes in points, by role.
SIZE = {"title": 11, "body": 10, "label": 9.5, "axis": 9, "note": 8.5, "footer": 8, "small": 7}
RC = {
    "figure.facecolor": PAPER, "axes.facecolor": PAPER, "savefig.facecolor": PAPER,
    "text.color": TEXT, "axes.labelcolor": TEXT, "axes.edgecolor": MUTED, "axes.titlecolor": TEXT,
    "xtick.color": TEXT, "ytick.color": TEXT, "axes.spines.top": False, "axes.spines.right": False,
    "axes.grid": True, "axes.axisbelow": True, "grid.color": "#dddddd", "grid.linewidth": 0.6,
    "font.size": SIZE["body"], "axes.titlesize": SIZE["title"], "axes.titleweight": "bold", "axes.titlelocation": "left",
    "lines.linewidth": 2, "lines.markersize": 6.5, "lines.markeredgewidth": 1.5,
    "svg.fonttype": "none",  # an SVG keeps its text as text: small, searchable, read by screen readers
    "svg.hashsalt": "buber-course",  # and the same ids in every build
}
WIDTH, DPI = 9, 110  # inches and dots per inch: about 1000 pixels, sharp on a phone's screen as well


class Chart(Figure):
    """A figure that a notebook shows as a PNG image without any pyplot state. Its plain-text form is
    its description (``alt``), made from the rows it draws; the book uses it as the image's alt text,
    so a corrected figure cannot leave a stale number in the description."""

    alt = ""

    def __repr__(self) -> str:
        return self.alt or super().__repr__()

    def _repr_png_(self) -> bytes:
        return png(self)


@contextmanager
def course_style():
    """The course's matplotlib settings, for charts of your own: ``with style.course_style(): ...``."""
    with mpl.rc_context(RC):
        yield


def new_chart(height: float, width: float = WIDTH, layout: str = "constrained", **subplots) -> tuple[Chart, list]:
    """A chart of the course's width and resolution, its axes as a flat list (call in ``course_style``)."""
    figure = Chart(figsize=(width, height), dpi=DPI, layout=layout)
    return figure, figure.subplots(**subplots, squeeze=False).ravel().tolist()


def png(figure: Figure) -> bytes:
    """The figure as a PNG of 64 colours, cropped to what is drawn: a quarter of the bytes, and no loss
    a reader can see."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi, bbox_inches="tight", facecolor=PAPER)
    image = Image.open(buffer).convert("RGB").quantize(64, Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    small = io.BytesIO()
    image.save(small, format="PNG", optimize=True)
    return small.getvalue()


def inline_svg(figure: Figure, alt: str, css_class: str) -> str:
    """The figure as an ``<svg>`` element for a page: no date in its metadata (the same bytes in every
    build), no XML declaration, no fixed size (it scales with the page), named for screen readers."""
    buffer = io.StringIO()
    with mpl.rc_context(RC):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    return re.sub(r'<svg [^>]*?width="[^"]*" height="[^"]*"', lambda m: m.group(0).split(" width=")[0]
                  + f' role="img" aria-label="{escape(alt)}" class="{css_class}"', svg, count=1)


def direct_label(ax, text: str, xy, offset: tuple[float, float] = (0, 0), size: str = "label", **style):
    """A label written beside what it names (not in a legend), ``offset`` points away, in the text colour."""
    return ax.annotate(text, xy, xytext=offset, textcoords="offset points", fontsize=SIZE[size],
                       **{"color": TEXT} | style)
