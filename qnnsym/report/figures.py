"""The landscape pictures (optional ``plot`` extra), each saved with its data beside it.

Every ``draw_*`` function writes ``STEM.png`` (or the suffix given: ``.svg``, ``.pdf``) and the
numbers it shows as ``STEM.csv`` and/or ``STEM.json``, and returns the paths written:

* :func:`draw_torus_map` — ``p = 2``: contour map of ``L`` on the torus, every certified critical
  point marked by kind (global minimum a star), and the descent paths saddle → minimum;
* :func:`draw_slices` — any ``p``: 1-D slices along each coordinate through a chosen point, the
  straight segments from the global minimum to the spurious ones, and (``p ≥ 2``) a 2-D slice through
  three chosen points (global minimum, the lowest spurious minimum, the saddle between them);
* :func:`draw_tree` — the disconnectivity tree, global minimum marked, spurious minima labelled with
  their gap;
* :func:`draw_spectrum` — bar chart of the Fourier spectrum ``|c_k|`` of ``L``;
* :func:`draw_basins` — basin shares with 95 % intervals and the optimisers' success rates.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import ValidationError
from ..landscape.points import Block
from ..landscape.slices import (
    coordinate_slices,
    fourier_spectrum,
    plane_slice,
    segment_slice,
    split_on_wrap,
    torus_delta,
    torus_grid,
)
from ..paths import output_file, write_text
from ..plots import _plt, _save
from ..tables import table_text

__all__ = ["draw_torus_map", "draw_slices", "draw_tree", "draw_spectrum", "draw_basins", "KIND_STYLE"]

#: marker, colour and legend label of each kind of critical point
KIND_STYLE = {"minimum": ("o", "tab:blue", "minimum"), "saddle": ("X", "tab:orange", "saddle"),
              "maximum": ("^", "tab:red", "maximum"), "degenerate": ("s", "k", "degenerate"),
              "global": ("*", "gold", "global minimum")}


def _stem(path) -> tuple[Path, Path]:
    p = output_file(path, "figure")
    if not p.suffix:
        p = p.with_suffix(".png")
    return p, p.with_suffix("")


def _data(stem: Path, rows: Sequence[dict] | None = None, obj=None) -> list[Path]:
    out = []
    if rows is not None:
        out.append(write_text(stem.with_suffix(".csv"), table_text(list(rows), "csv"), "figure data"))
    if obj is not None:
        out.append(write_text(stem.with_suffix(".json"), json.dumps(obj, indent=1, default=_jd), "figure data"))
    return out


def _jd(o):
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    return str(o)


def _mark_points(ax, points, i: int = 0, j: int = 1, labels: bool = True):
    seen = set()
    for q in points:
        key = "global" if q.is_global else q.kind
        m, c, lab = KIND_STYLE.get(key, KIND_STYLE["degenerate"])
        ax.scatter([q.theta[i]], [q.theta[j]], marker=m, c=c, s=150 if key == "global" else 55, edgecolors="k",
                   linewidths=0.6, zorder=5, label=None if key in seen else lab)
        seen.add(key)
        if labels:
            ax.annotate(str(q.label), (q.theta[i], q.theta[j]), textcoords="offset points", xytext=(4, 4),
                        fontsize=7, zorder=6)


def draw_torus_map(block: Block, path, graph=None, n: int = 220) -> list[Path]:
    """Contour map of a two-parameter block on its torus, points by kind, saddle → minimum paths.

    ``graph`` (from :func:`~qnnsym.landscape.graph.minima_saddle_graph` with ``record > 0``) supplies the
    descent paths.  Data: ``STEM.csv`` (the grid: ``theta_1, theta_2, loss``) and ``STEM.json`` (points, paths).
    """
    if len(block.indices) != 2:
        raise ValidationError("block", f"{len(block.indices)} parameters", expected="p = 2 for a torus map",
                              fix="use draw_slices for p ≠ 2")
    plt = _plt()
    img, stem = _stem(path)
    xs, ys, Z = torus_grid(block.loss, n=n)
    per = block.period
    fig, ax = plt.subplots(figsize=(6.6, 5.6))
    cs = ax.contourf(xs, ys, Z, levels=40, cmap="viridis")
    ax.contour(xs, ys, Z, levels=40, colors="k", linewidths=0.25, alpha=0.5)
    fig.colorbar(cs, ax=ax, label=r"$L(\theta)$")
    paths = []
    for r in (graph.graph.get("descents", []) if graph is not None else []):
        if r.path is None:
            continue
        col = "w" if r.minimum is not None else "r"
        for seg in split_on_wrap(r.path, per):
            ax.plot(seg[:, 0], seg[:, 1], "-", color=col, lw=1.1, alpha=0.9, zorder=4)
        paths.append({"saddle": r.saddle, "sign": r.sign, "minimum": r.minimum, "path": r.path[::4].tolist()})
    _mark_points(ax, block.points)
    ax.set_xlim(0, per[0])
    ax.set_ylim(0, per[1])
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_title("L on the torus: certified critical points and steepest-descent paths (white)", fontsize=9)
    # below the axes: a legend inside would hide points (saddle 12 of prop5 p = 2 sat under it)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.11), ncol=4, framealpha=0.8)
    fig.tight_layout()
    out = [_save(plt, fig, img, dpi=120)]
    X, Y = np.meshgrid(xs, ys)
    rows = [{"theta_1": float(a), "theta_2": float(b), "loss": float(z)}
            for a, b, z in zip(X.ravel()[::4], Y.ravel()[::4], Z.ravel()[::4])]
    out += _data(stem, rows, {"points": [q.to_json() for q in block.points], "paths": paths,
                              "grid": {"n": n, "period": per.tolist(), "csv_every": 4}})
    return out


def draw_slices(block: Block, path, graph=None, point=None, n: int = 300) -> list[Path]:
    """1-D slices through ``point`` (default the global minimum) along every coordinate, segments from the
    global minimum to the (up to 4 lowest) spurious minima, and for ``p ≥ 2`` a 2-D slice through the
    global minimum, the lowest spurious minimum and the saddle joining them (if the graph has one)."""
    plt = _plt()
    img, stem = _stem(path)
    mins = sorted(block.minima, key=lambda q: q.loss)
    if not mins:
        raise ValidationError("block", "has no minimum", expected="a table with minima")
    g = next((q for q in mins if q.is_global), mins[0])
    c = np.asarray(g.theta if point is None else point, dtype=float)
    k = len(block.indices)
    ncol = 3 if k >= 2 else 2
    fig, axes = plt.subplots(1, ncol, figsize=(4.6 * ncol, 3.9))
    ts, V = coordinate_slices(block.loss, c, n=n)
    rows = []
    for l in range(k):
        axes[0].plot(ts, V[l], lw=1.2, label=rf"$\theta_{{{l + 1}}}$")
        rows += [{"slice": f"coordinate {l + 1}", "t": float(t), "loss": float(v)} for t, v in zip(ts, V[l])]
    axes[0].set_xlabel("offset from the point (fraction of the period)")
    axes[0].set_ylabel(r"$L$")
    axes[0].set_title(f"coordinate slices through point {g.label if point is None else 'chosen'}", fontsize=9)
    axes[0].legend(fontsize=7, ncol=2)
    for q in mins[1:5]:
        t, v = segment_slice(block.loss, g.theta, q.theta, n=n)
        axes[1].plot(t, v, lw=1.2, label=f"{g.label} → {q.label} (gap {q.gap:.3g})" if q.gap is not None else f"→ {q.label}")
        rows += [{"slice": f"segment {g.label}->{q.label}", "t": float(a), "loss": float(b)} for a, b in zip(t, v)]
    axes[1].set_xlabel("t along the straight segment")
    axes[1].set_title("straight segments global → spurious minima", fontsize=9)
    if len(mins) > 1:
        axes[1].legend(fontsize=7)
    meta = {"point": c.tolist(), "global": g.label}
    if k >= 2:
        spur = mins[1] if len(mins) > 1 else None
        sad = None
        if graph is not None and spur is not None:
            cand = [d for u, v, d in graph.edges(data=True) if {u, v} == {g.label, spur.label}]
            if cand:
                lab = min(cand, key=lambda d: d["level"])["saddle"]
                sad = next((q for q in block.points if q.label == lab), None)
        per = block.period
        if spur is not None:
            u = torus_delta(g.theta, spur.theta, per)
            d_sad = torus_delta(g.theta, sad.theta, per) if sad is not None else None
            w = d_sad if d_sad is not None else np.roll(u, 1) * np.array([1 if i % 2 == 0 else -1 for i in range(k)])
            if np.linalg.matrix_rank(np.stack([u, w]), tol=1e-9 * float(np.linalg.norm(u))) < 2:
                # the three points are collinear: any second direction (orthogonal to u) spans a plane through
                # all three; the saddle then sits on the a-axis, drawn where it is (not at (0, 1))
                e = np.eye(k)[int(np.argmin(np.abs(u)))]
                w = e - u * (e @ u) / (u @ u)
                w *= float(np.linalg.norm(u)) / (float(np.linalg.norm(w)) or 1.0)
            a, b, Z = plane_slice(block.loss, g.theta, u, w, n=120, extent=0.5)
            ax = axes[2]
            cs = ax.contourf(a, b, Z, levels=30, cmap="viridis")
            fig.colorbar(cs, ax=ax, label=r"$L$")
            marks = [(0.0, 0.0, g, "global"), (1.0, 0.0, spur, "minimum")]
            if sad is not None:          # plane coordinates of the saddle (exactly (0, 1) unless collinear)
                ab = np.linalg.lstsq(np.stack([u, w], axis=1), d_sad, rcond=None)[0]
                marks.append((float(ab[0]), float(ab[1]), sad, "saddle"))
            for x, y, q, key in marks:
                m, col, _ = KIND_STYLE[key]
                word = {"global": "global minimum", "minimum": "spurious minimum"}.get(key, q.kind)
                ax.scatter([x], [y], marker=m, c=col, s=150 if key == "global" else 55, edgecolors="k", zorder=5,
                           label=f"{word} {q.label} (L = {q.loss:.4g})")
            ax.set_xlabel("a (along global → spurious)")
            ax.set_ylabel("b")
            ax.set_title("2-D slice through " + (f"{g.label}, {spur.label}, {sad.label}" if sad is not None
                                                 else f"{g.label}, {spur.label}"), fontsize=9)
            ax.legend(fontsize=7)
            meta["plane"] = {"origin": list(g.theta), "u": u.tolist(), "v": w.tolist(),
                             "through": [g.label, spur.label] + ([sad.label] if sad is not None else []),
                             "markers": [{"a": x, "b": y, "label": q.label, "kind": q.kind, "loss": q.loss}
                                         for x, y, q, _ in marks],
                             "a": a.tolist(), "loss": Z.tolist()}
        else:
            axes[2].set_visible(False)
    fig.tight_layout()
    out = [_save(plt, fig, img, dpi=120)]
    out += _data(stem, rows, meta)
    return out


def draw_tree(tree, path, max_labels: int = 40) -> list[Path]:
    """The disconnectivity tree: each minimum a vertical line from its loss up to the level where its
    superbasin merges, merges as horizontal bars at the saddle level; the global minimum is a star,
    spurious minima are labelled with their gap.  Data: ``STEM.json`` (``tree.to_json()``)."""
    plt = _plt()
    img, stem = _stem(path)
    order = tree.leaf_order()
    xpos = {x: float(i) for i, x in enumerate(order)}
    height = {frozenset([x]): tree.leaves[x] for x in order}
    top = max([m.level for m in tree.merges], default=max(tree.leaves.values()))
    span = top - min(tree.leaves.values()) or 1.0
    fig, ax = plt.subplots(figsize=(max(6.0, 0.62 * len(order) + 2), 4.8))
    pos = {frozenset([x]): xpos[x] for x in order}
    for m in tree.merges:
        for part in (m.left, m.right):
            ax.plot([pos[part]] * 2, [height[part], m.level], "k-", lw=1)
        ax.plot([pos[m.left], pos[m.right]], [m.level] * 2, "k-", lw=1)
        pos[m.members] = (pos[m.left] + pos[m.right]) / 2
        height[m.members] = m.level
    for r in tree.roots:
        ax.plot([pos[r]] * 2, [height[r], top + 0.08 * span], "k-", lw=1)
    for n, x in enumerate(order):
        glob = x in tree.global_minima
        ax.scatter([xpos[x]], [tree.leaves[x]], marker="*" if glob else "o", s=140 if glob else 25,
                   c="gold" if glob else "tab:blue", edgecolors="k", zorder=5)
        if len(order) <= max_labels:
            gap = tree.gaps.get(x)
            txt = f"{x}" if glob else (f"{x}\ngap {gap:.2g}" if gap is not None else f"{x}")
            # neighbours alternate between two rows, so that their labels never overlap
            ax.annotate(txt, (xpos[x], tree.leaves[x]), textcoords="offset points", ha="center", va="top",
                        xytext=(0, -8 if n % 2 == 0 else -30), fontsize=6.5, gid=f"leaf {x}")
    ax.set_xlim(-0.8, len(order) - 0.2)
    ax.set_xticks([])
    ax.set_ylabel(r"$L$")
    ax.set_ylim(min(tree.leaves.values()) - 0.3 * span, top + 0.1 * span)
    ax.set_title(f"disconnectivity tree: {len(order)} minima, {len(tree.merges)} merges"
                 + ("" if tree.connected else f", {len(tree.roots)} components (not connected)"), fontsize=9)
    fig.tight_layout()
    return [_save(plt, fig, img, dpi=120)] + _data(stem, None, tree.to_json())


def draw_spectrum(loss, path, max_bars: int = 60) -> list[Path]:
    """Bar chart of ``|c_k|`` (Fourier coefficients of ``L``, one per pair ``±k``), the largest
    ``max_bars``, coloured by ``‖k‖₁``.  Data: ``STEM.csv`` (every coefficient, exact ``re``/``im``)."""
    plt = _plt()
    img, stem = _stem(path)
    rows = fourier_spectrum(loss)
    shown = sorted(rows, key=lambda r: -r["abs"])[:max_bars]
    shown.sort(key=lambda r: (r["l1"], r["k"]))
    fig, ax = plt.subplots(figsize=(max(6.0, 0.32 * len(shown) + 2), 4.2))
    cmap = plt.get_cmap("viridis")
    top = max((r["l1"] for r in rows), default=1) or 1
    # points, not bars: on a log scale a bar has no natural baseline (its length would depend on the axis limit)
    x = np.arange(len(shown))
    vals = [r["abs"] for r in shown]
    sc = ax.scatter(x, vals, c=[r["l1"] for r in shown], cmap=cmap, vmin=0, vmax=top, s=30, edgecolors="k",
                    linewidths=0.4, zorder=3)
    fig.colorbar(sc, ax=ax, label=r"$\|k\|_1$", fraction=0.025, pad=0.01)
    ax.set_xticks(x)
    ax.set_xticklabels(["(" + ",".join(str(v) for v in r["k"]) + ")" for r in shown], rotation=60, ha="right",
                       fontsize=8)
    ax.set_yscale("log")
    if vals:
        ax.set_ylim(min(vals) / 10, max(vals) * 2)
    ax.set_xlabel("frequency k (φ units)")
    ax.set_ylabel(r"$|c_k|$ (log scale)")
    ax.set_title(f"Fourier spectrum of L: {len(rows)} coefficient pairs"
                 + (f", the largest {len(shown)} shown" if len(shown) < len(rows) else ""), fontsize=9)
    fig.tight_layout()
    data = [dict(r, k=" ".join(str(x) for x in r["k"])) for r in rows]
    return [_save(plt, fig, img, dpi=120)] + _data(stem, data)


def draw_basins(basins, path, success: Sequence[dict] = (), max_bars: int = 40) -> list[Path]:
    """Basin shares (95 % intervals) of the minima, global in gold, and the optimisers' success rates as
    horizontal bands (the global basin's share is what a flow-following method achieves)."""
    plt = _plt()
    img, stem = _stem(path)
    every = sorted(basins.rows, key=lambda r: r["loss"])
    rows = every[:max_bars]
    fig, ax = plt.subplots(figsize=(max(6.0, 0.3 * len(rows) + 3), 4.0))
    x = np.arange(len(rows))
    sh = np.array([r["share"] for r in rows])
    err = np.array([[r["share"] - r["ci_low"] for r in rows], [r["ci_high"] - r["share"] for r in rows]])
    ax.bar(x, sh, yerr=err, capsize=2, color=["gold" if r["global"] else "tab:blue" for r in rows], edgecolor="k")
    ax.set_xticks(x)
    ax.set_xticklabels([r["minimum"] for r in rows], rotation=90 if len(rows) > 12 else 0, fontsize=7)
    colors = {"lbfgs": "tab:green", "adam": "tab:purple", "rmsprop": "tab:red", "gd": "tab:gray"}
    groups: dict = {}          # optimisers with identical results share one line (adam = rmsprop on prop5)
    for r in success:
        groups.setdefault((r["success_rate"], r["ci_low"], r["ci_high"], r.get("runs")), []).append(r["optimizer"])
    for (rate, lo, hi, _), names in groups.items():
        col = colors.get(names[0], "k")
        ax.axhspan(lo, hi, color=col, alpha=0.12)
        ax.axhline(rate, color=col, lw=1.2, label=f"{' = '.join(names)} success {rate:.3f}"
                   + (" (identical runs)" if len(names) > 1 else ""))
    ax.set_xlabel("minimum (sorted by loss; gold: global)" + (f" — the {len(rows)} lowest of {len(every)} minima shown"
                                                                if len(rows) < len(every) else ""))
    ax.set_ylabel("basin share")
    ax.set_title((f"{len(rows)} of {len(every)} minima shown. " if len(rows) < len(every) else "")
                 + f"basin volumes from {basins.n} uniform starts (seed {basins.seed}); global share "
                 f"{basins.global_share:.3f} [{basins.global_ci[0]:.3f}, {basins.global_ci[1]:.3f}]", fontsize=9)
    if success:
        ax.legend(fontsize=7)
    fig.tight_layout()
    return [_save(plt, fig, img, dpi=120)] + _data(stem, basins.rows, {"basins": basins.to_json(),
                                                                       "success": list(success)})
