"""``qnnsym report``: one self-contained HTML page (and a Markdown twin) for one instance.

The page shows the instance, the summary of its exact expansion (eq. 6), the certified table of
critical points (Sect. 5), the certificate written for it and the independent checker's verdicts,
the minima–saddle graph and its disconnectivity tree, the pictures (torus map for ``p = 2``, slices,
Fourier spectrum, basins) and the basin shares next to the optimisers' success rates (Sect. 6,
Figure 4), with the command that reproduces each number.  Images are embedded in the HTML as
``data:`` URIs (one file to send); the Markdown links the files in ``figures/``; every figure's data
is saved beside it (CSV/JSON), and ``landscape.json`` holds all numbers of the page.
"""
from __future__ import annotations

import base64
import html
import json
import time
from pathlib import Path

from ..errors import QnnsymError
from ..paths import make_dirs, write_text
from ..tables import table_text
from . import figures
from .analysis import Analysis, analyse

__all__ = ["write_report", "REPORT_FILES"]

#: the files a report folder always holds
REPORT_FILES = ("report.html", "report.md", "landscape.json", "table.json")

_CSS = """body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#1d1d1f;line-height:1.45}h1{font-size:1.7em;border-bottom:2px solid #3b6;padding-bottom:.2em}
h2{font-size:1.3em;margin-top:1.8em;border-bottom:1px solid #ccc}table{border-collapse:collapse;font-size:.85em;
margin:.6em 0}td,th{border:1px solid #ccc;padding:2px 7px;text-align:right}th{background:#eef5ee}
img{max-width:100%;border:1px solid #ddd;margin:.4em 0}code,pre{background:#f4f4f4;border-radius:3px}
pre{padding:.6em;overflow-x:auto;font-size:.85em}.ok{color:#176f2c;font-weight:600}.bad{color:#b00020;font-weight:600}
.note{color:#555;font-size:.9em}"""


def _fmt(v, digits: int = 6):
    if isinstance(v, float):
        return f"{v:.{digits}g}"
    if v is None:
        return ""
    return v


def _html_table(rows, columns=None, max_rows: int = 200) -> str:
    rows = list(rows)
    if not rows:
        return "<p class='note'>(none)</p>"
    cols = list(columns or rows[0].keys())
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(_fmt(r.get(c))))}</td>" for c in cols) + "</tr>"
                   for r in rows[:max_rows])
    more = f"<p class='note'>… {len(rows) - max_rows} more rows in the data files</p>" if len(rows) > max_rows else ""
    return f"<table><tr>{head}</tr>{body}</table>{more}"


def _md_table(rows, columns=None, max_rows: int = 200) -> str:
    rows = [{k: _fmt(v) for k, v in r.items()} for r in list(rows)[:max_rows]]
    return table_text(rows, "md", columns) if rows else "(none)"


class _Doc:
    """Builds the HTML and the Markdown side by side."""

    def __init__(self, title: str):
        self.h = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
                  f"<style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1>"]
        self.m = [f"# {title}", ""]

    def section(self, title: str):
        self.h.append(f"<h2>{html.escape(title)}</h2>")
        self.m += ["", f"## {title}", ""]

    def para(self, text: str, cls: str | None = None):
        self.h.append(f"<p{' class=' + repr(cls) if cls else ''}>{html.escape(text)}</p>")
        self.m += [text, ""]

    def items(self, lines):
        self.h.append("<ul>" + "".join(f"<li>{html.escape(str(x))}</li>" for x in lines) + "</ul>")
        self.m += [f"- {x}" for x in lines] + [""]

    def table(self, rows, columns=None, max_rows: int = 200):
        self.h.append(_html_table(rows, columns, max_rows))
        self.m += [_md_table(rows, columns, max_rows), ""]

    def code(self, text: str):
        self.h.append(f"<pre><code>{html.escape(text)}</code></pre>")
        self.m += ["```", text, "```", ""]

    def figure(self, png: Path, rel: str, caption: str, data: list[Path]):
        b64 = base64.b64encode(png.read_bytes()).decode("ascii")
        dl = ", ".join(p.name for p in data)
        self.h.append(f"<figure><img alt='{html.escape(caption)}' src='data:image/png;base64,{b64}'>"
                      f"<figcaption class='note'>{html.escape(caption)} (data: {html.escape(dl)})</figcaption></figure>")
        self.m += [f"![{caption}]({rel})", "", f"*{caption}* (data: {dl})", ""]

    def verdicts(self, verdicts):
        self.h.append("<ul>" + "".join(
            f"<li><span class='{'ok' if v.ok else 'bad'}'>{'ok' if v.ok else 'REJECTED'}</span> "
            f"{html.escape(v.claim)} <span class='note'>— {html.escape(v.detail)}</span></li>" for v in verdicts) + "</ul>")
        self.m += [f"- **{'ok' if v.ok else 'REJECTED'}** {v.claim} — {v.detail}" for v in verdicts] + [""]

    def html(self) -> str:
        return "".join(self.h) + "</body></html>"

    def markdown(self) -> str:
        return "\n".join(self.m)


def write_report(instance, out_dir, analysis: Analysis | None = None, command: str | None = None,
                 samples: int = 4000, starts: int = 1000, seed: int = 0, backend: str = "auto",
                 time_limit: float | None = None, progress: bool = False, certificate: bool = True) -> dict:
    """Write the report of ``instance`` into ``out_dir`` (see the module docstring).

    Parameters
    ----------
    instance : Instance
        An exact instance.
    out_dir : path
        Folder (created when missing): ``report.html``, ``report.md``, ``landscape.json``, ``table.json``,
        ``certificate.json`` (when the table can be certified) and ``figures/`` (PNG + CSV/JSON).
    analysis : Analysis, optional
        A computed :func:`~qnnsym.report.analysis.analyse` (else computed here).
    command : str, optional
        How the instance is named on the command line (e.g. ``"dense --p 2 --seed 0"``), for the
        reproduce commands; default: the instance's built-in name and parameters when known.
    samples, starts, seed, backend, time_limit, progress
        Passed to :func:`~qnnsym.report.analysis.analyse`.
    certificate : bool
        Write the certificate and show the checker's verdicts.

    Returns
    -------
    dict
        ``files`` (paths written), ``seconds``, ``summary`` (graph summary, global basin share, rates).
    """
    t0 = time.perf_counter()
    out = make_dirs(out_dir, "-o")
    figdir = make_dirs(out / "figures", "-o")
    an = analysis or analyse(instance, samples=samples, starts=starts, seed=seed, backend=backend,
                             time_limit=time_limit, progress=progress)
    t = an.table
    loss = an.loss
    cmd = command or _command(instance)
    files: list[Path] = []
    doc = _Doc(f"Landscape report: {getattr(instance, 'name', '') or cmd}")
    doc.para("Generated by qnnsym (You & Wu, 'Exponentially Many Local Minima in Quantum Neural Networks'). "
             + provenance_sentence(t.certification, t.backend)
             + " They are re-checked by the independent certificate checker; the graph, basins and optimiser rates "
             "are float computations on that certified list.", "note")

    doc.section("1. Instance")
    doc.items([f"name: {getattr(instance, 'name', '')}", f"parameters p = {instance.p}",
               f"samples m = {instance.m}", f"Hilbert-space dimension d = {instance.dim}"
               + (f" ({instance.qnn.n_qubits} qubits)" if getattr(instance.qnn, "n_qubits", None) else ""),
               f"base frequencies ω = {list(loss.omega)} (period π in θ for two-level generators)",
               f"origin: {json.dumps(instance.meta.get('builtin'))} {json.dumps({k: v for k, v in instance.meta.items() if k in ('p', 'seed', 'r')})}"
               if instance.meta else "origin: instance file"])
    doc.section("2. Exact expansion of the loss (eqs. 7–12, 6)")
    fr = loss.fourier()
    doc.items([f"L has {len(loss.terms)} terms in the harmonic basis and {len(fr)} complex Fourier coefficients",
               f"degree per coordinate (φ units): {list(loss.degrees())}; max ‖k‖₁ = {loss.fourier_degree()} "
               f"(≤ 2p = {2 * loss.p}, Sect. 5)",
               f"constant term L̄ = {loss.coefficient((0,) * loss.p)}"])
    doc.code(_truncate(loss.to_string(), 1200))
    doc.para(f"Reproduce: qnnsym expand {cmd} --loss", "note")

    doc.section("3. Certified critical points (Sect. 5, Theorem 7)")
    doc.items(t.summary_lines() + [f"note: {n}" for n in t.notes])
    doc.table(t.rows(), max_rows=120)
    files.append(write_text(out / "table.json", t.to_text("json"), "-o"))
    doc.para(f"Reproduce: qnnsym critical {cmd} --format json", "note")

    doc.section("4. Certificate and the checker's verdicts")
    if certificate:
        _certificate_section(doc, an, instance, out, files, cmd)
    else:
        doc.para("(skipped: --no-certificate)", "note")

    doc.section("5. Minima–saddle graph and disconnectivity tree")
    gs = an.graph_summary()
    if gs is not None:
        doc.items([f"{k.replace('_', ' ')}: {v}" for k, v in gs.items()])
        from ..landscape.graph import graph_rows

        doc.table(graph_rows(an.graph), max_rows=60)
        um = an.graph.graph.get("unmatched", [])
        if um:
            doc.para("Unmatched descents:")
            doc.items([f"saddle {r.saddle} ({'+' if r.sign > 0 else '−'}): {r.reason}" for r in um])
        files += _fig(doc, figures.draw_tree(an.tree, figdir / "tree.png"), out,
                      "Disconnectivity tree (global minimum: star; spurious minima labelled with their gap).")
    else:
        doc.para("; ".join(an.notes) or "no graph", "note")
    doc.para(f"Reproduce: qnnsym landscape graph {cmd}; qnnsym landscape tree {cmd} --plot tree.png", "note")

    doc.section("6. Pictures")
    if len(an.blocks) == 1 and t.p == 2:
        files += _fig(doc, figures.draw_torus_map(an.blocks[0], figdir / "torus_map.png", graph=an.block_graphs[0]),
                      out, "Contour map of L on the torus, every certified critical point by kind, "
                           "steepest-descent paths from each saddle to the two minima it joins.")
    if len(an.blocks) == 1:
        files += _fig(doc, figures.draw_slices(an.blocks[0], figdir / "slices.png", graph=an.block_graphs[0]), out,
                      "1-D slices through the global minimum, straight segments to spurious minima, and a 2-D "
                      "slice through global minimum, lowest spurious minimum and the saddle between them.")
    else:
        doc.para(f"Separable loss: {len(an.blocks)} independent blocks; slices of block {list(an.blocks[0].indices)}.")
        files += _fig(doc, figures.draw_slices(an.blocks[0], figdir / "slices.png", graph=an.block_graphs[0]), out,
                      "Slices of the first block's loss.")
    files += _fig(doc, figures.draw_spectrum(loss, figdir / "spectrum.png"), out,
                  "Fourier spectrum |c_k| of L (eq. 6), k in φ = 2θ units.")
    doc.para(f"Reproduce: qnnsym landscape map {cmd} --plot map.png; qnnsym landscape slices {cmd} --plot "
             f"slices.png; qnnsym landscape spectrum {cmd} --plot spectrum.png", "note")

    doc.section("7. Basins and why optimisers fail (Sect. 6, Figure 4)")
    if an.basins is not None:
        b = an.basins
        sc = b.sum_check()
        doc.para(f"{b.n} starts uniform on the torus (seed {b.seed}), descended by steepest descent and captured by "
                 f"the certified minima. Global basin share {b.global_share:.4f} (95% CI [{b.global_ci[0]:.4f}, "
                 f"{b.global_ci[1]:.4f}]); unmatched {b.unmatched}; shares sum to {sc['sum_shares']:.6g} "
                 f"(intervals sum to [{sc['sum_ci_low']:.4f}, {sc['sum_ci_high']:.4f}]).")
        doc.table(b.rows, ["minimum", "loss", "global", "count", "share", "ci_low", "ci_high"], max_rows=60)
        if an.success:
            doc.para("A method that follows the gradient flow succeeds exactly on the global basin, so its success "
                     "rate is the global basin's share; the table compares them (two-proportion z-test, 95%).")
            doc.table(an.success, ["optimizer", "runs", "converged", "successes", "success_rate", "ci_low", "ci_high",
                                   "global_basin_share", "vs_basin_z", "vs_basin_agree", "seconds"])
        files += _fig(doc, figures.draw_basins(b, figdir / "basins.png", an.success), out,
                      "Basin shares with 95% intervals (gold: global) and optimiser success rates (lines, bands).")
        doc.para(f"Reproduce: qnnsym landscape basins {cmd} --samples {b.n} --sample-seed {b.seed} --compare "
                 f"--starts {an.settings.get('starts')}", "note")
    else:
        doc.para("(basins skipped: --samples 0)", "note")

    doc.section("8. Reproduce this page")
    doc.code(f"qnnsym report {cmd} -o {out}\n# timings (s): {json.dumps(an.timings)}")
    files.append(write_text(out / "landscape.json", json.dumps(an.to_json(), indent=1, default=figures._jd), "-o"))
    files.append(write_text(out / "report.md", doc.markdown(), "-o"))
    files.append(write_text(out / "report.html", doc.html(), "-o"))
    summary = {"graph": gs, "global_basin_share": None if an.basins is None else an.basins.global_share,
               "success": {r["optimizer"]: r["success_rate"] for r in an.success}}
    return {"files": [str(f) for f in files], "seconds": round(time.perf_counter() - t0, 3), "summary": summary}


def _fig(doc: _Doc, paths: list[Path], out: Path, caption: str) -> list[Path]:
    png = paths[0]
    doc.figure(png, str(png.relative_to(out)), caption, paths[1:])
    return paths


def _truncate(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n] + f" … ({len(text) - n} more characters)"


def _command(instance) -> str:
    meta = getattr(instance, "meta", None) or {}
    name = meta.get("builtin")
    if not name:
        return "INSTANCE.json"
    args = [name] + [f"--{k} {meta[k]}" for k in ("p", "seed") if k in meta]
    return " ".join(args)


def provenance_sentence(level: str, backend: str) -> str:
    """Where a report's certified numbers come from, by the table's one certification level.

    >>> provenance_sentence("numeric", "homotopy")[:60]
    'Certified numbers (critical points, indices, loss enclosures'
    >>> "exact solver" in provenance_sentence("numeric", "homotopy"), "exact solve" in provenance_sentence("exact", "sympy")
    (False, True)
    """
    head = "Certified numbers (critical points, indices, loss enclosures) of this table (certification level "
    if level in ("exact", "verified parametrization"):
        return head + f"{level!r}) come from an exact solve ({backend}): every point is an exact algebraic point."
    if level == "numeric":
        return head + (f"'numeric') come from the certified homotopy ({backend}): each point is proven to lie, "
                       "unique and nonsingular, in a Krawczyk box; values are enclosures, not exact numbers.")
    return head + f"{level!r}) are not rigorous: see docs/certification-levels.md."


def _certificate_section(doc: _Doc, an: Analysis, instance, out: Path, files: list, cmd: str) -> None:
    from ..certify.certificate import critical_certificate, write_json
    from ..certify.checker import check_certificate

    try:
        cert = critical_certificate(instance, table=an.table)
    except QnnsymError as e:
        doc.para(f"No certificate for this table: {e}", "note")
        return
    path = write_json(cert, out / "certificate.json")
    files.append(path)
    verdicts = check_certificate(path)
    n_ok = sum(1 for v in verdicts if v.ok)
    derived = next((v.detail.replace("re-derived: ", "") for v in verdicts if "certification level" in getattr(v, "claim", "")),
                   None)
    doc.para(f"certificate.json re-checked by the independent checker: {n_ok} of {len(verdicts)} claims ok — "
             + ("ACCEPTED" if n_ok == len(verdicts) else "REJECTED")
             + f". The table's certification level is {an.table.certification!r} (section 3)"
             + (f"; the checker's own level for the certificate: {derived}" if derived else "") + ".")
    doc.verdicts(verdicts)
    doc.para(f"Reproduce: qnnsym critical {cmd} --certificate cert.json && qnnsym check cert.json", "note")
