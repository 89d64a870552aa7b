"""Helpers shared by the book's pages, its Sphinx build and its tests.

- ``text``: the chapter as numbered paragraphs with page breaks and the apparatus of corrections.
- ``data``: the sourced collectivization tables and named series, checked, with units and sources.
- ``charts``: the accessible charts of those figures, one function per chart.
- ``sphinx_ext``: the directives that put that text into pages, and the page-weight fixes.
"""
