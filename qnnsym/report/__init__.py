"""Reports: one instance's landscape, computed end to end and written as a page (``qnnsym report``).

This layer sits between :mod:`qnnsym.cli` and :mod:`qnnsym.construct` (``pyproject.toml``'s import
layers): it consumes certified tables (:mod:`qnnsym.critical`), certificates (:mod:`qnnsym.certify`)
and the optimisers of Section 6 (:mod:`qnnsym.sim`), while the landscape algorithms themselves work
on plain data in :mod:`qnnsym.landscape`.

* :mod:`.analysis`: :func:`analyse` (table → graph → tree → basins → optimiser success rates);
* :mod:`.figures`: the pictures, each saved with its data (CSV/JSON);
* :mod:`.page`: :func:`write_report`, the self-contained HTML page and its Markdown twin.
"""
from .analysis import DEFAULT_OPTIMIZERS, Analysis, analyse, compare_rates, optimizer_success
from .figures import draw_basins, draw_slices, draw_spectrum, draw_torus_map, draw_tree
from .page import REPORT_FILES, write_report

__all__ = ["Analysis", "analyse", "compare_rates", "optimizer_success", "DEFAULT_OPTIMIZERS",
           "draw_basins", "draw_slices", "draw_spectrum", "draw_torus_map", "draw_tree",
           "REPORT_FILES", "write_report"]
