"""Issue 24: the sharp bounds of the certified global minimum (vertex enclosures, the eigenbasis quadratic bound,
non-convexity pruning, Krawczyk boxes around local minima; exact minimisation along separate coordinates, arc polygons,
sign/half-turn folding) hold on sampled values and agree with the plain search."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from qnnsym.critical.exhaustion import LossJet
from qnnsym.critical.globalmin import _no_minimum_mask, global_minimum, quadratic_lower, value_bounds
from qnnsym.critical.folding import fold_symmetries, symmetry_group
from qnnsym.critical.vertexbound import VertexEnclosure, arc_polygon, arc_triangle, separate_axes
from qnnsym.exact.trigpoly import TrigPoly
from qnnsym.expansion.phi import loss_poly
from qnnsym.model.instances import instance_from_dict, prop5_instance


def ry_cz_energy(n_qubits: int, layers: int) -> dict:
    """RY layers with a CZ chain between them; energy of ZZ chain + X/2 (a real ansatz, p = n·layers)."""
    dim = 2 ** n_qubits
    circ = []
    for layer in range(layers):
        if layer:
            diag = [(-1) ** sum(((b >> (n_qubits - 1 - q)) & 1) * ((b >> (n_qubits - 2 - q)) & 1)
                                for q in range(n_qubits - 1)) for b in range(dim)]
            circ.append({"fixed": {"unitary": [[str(diag[i]) if i == j else "0" for j in range(dim)] for i in range(dim)]}})
        circ += [{"gate": f"Y{q}", "kind": "two-level"} for q in range(n_qubits)]
    ham = [["1", f"Z{q} Z{q + 1}"] for q in range(n_qubits - 1)] + [["1/2", f"X{q}"] for q in range(n_qubits)]
    return {"format": "qnnsym-instance/1", "name": f"ry_cz_{n_qubits}x{layers}", "n_qubits": n_qubits, "circuit": circ,
            "observable": {"pauli": ham}, "objective": {"kind": "expectation"},
            "samples": [{"state": {"vector": ["1"] + ["0"] * (dim - 1)}, "label": "0"}]}


def _sampled(poly: TrigPoly, u, r, rng, n=400):
    """Values of ``poly`` at random points of the box ``u ± r`` (turns), by direct float evaluation."""
    pts = u + (rng.random((n, len(u))) * 2 - 1) * r
    return poly(2 * np.pi * pts / np.array(poly.omega))


def test_arc_triangle_contains_the_arc():
    for d in (1e-6, 0.01, 0.3, np.pi / 4, 1.05, 1.5, 3.2):
        V = arc_triangle(d)
        t = np.linspace(-d, d, 2001)
        P = np.stack([np.cos(t), np.sin(t)], axis=1)
        # barycentric coordinates of the arc points in the triangle are all ≥ 0
        A = np.vstack([V.T, np.ones(3)])
        lam = np.linalg.solve(A, np.vstack([P.T, np.ones(len(t))]))
        assert (lam >= -1e-12).all(), d


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_vertex_enclosure_holds_sampled_values_and_beats_the_monomial_one(seed):
    from qnnsym.critical.globalmin import AffineEnclosure

    rng = np.random.default_rng(seed)
    p = 3
    terms = {}
    for _ in range(10):
        h = tuple(int(x) for x in rng.integers(-1, 2, size=p))
        terms[h] = Fraction(int(rng.integers(-9, 10)), int(rng.integers(1, 7)))
    f = TrigPoly(p, {h: c for h, c in terms.items() if c})
    ve, ae = VertexEnclosure(f), AffineEnclosure(f)
    for rr in (0.3, 0.2, 1 / 16, 1 / 256):
        u = rng.random((4, p))
        lo, hi = ve(u, np.full(p, rr))
        alo, ahi = ae(u, np.full(p, rr))
        for n in range(4):
            v = _sampled(f, u[n], rr, rng)
            assert lo[n] <= v.min() and v.max() <= hi[n]
        if rr <= 1 / 16:
            assert (lo >= alo - 1e-12).all() and (hi <= ahi + 1e-12).all()


def test_quadratic_bound_and_nonconvexity_hold_on_sampled_boxes():
    """The eigenbasis Taylor bound is below every sampled value; a box flagged as holding no minimum has a
    negative Hessian eigenvalue at each sampled point."""
    loss = loss_poly(prop5_instance(3))
    jet, fast = LossJet(loss), LossJet(loss).approximate()
    rng = np.random.default_rng(5)
    p = loss.p
    for rr in (1 / 16, 1 / 128, 1 / 1024):
        m = rng.random((60, p))
        r = np.full((60, p), rr)
        val, G, H, T = jet(m, third=True)
        q = quadratic_lower(jet, val, G, H, T, r)
        lo, _ = value_bounds(jet, val, G, H, r)
        nomin = _no_minimum_mask(jet, H, T, r)
        for n in range(60):
            pts = m[n] + (rng.random((200, p)) * 2 - 1) * rr
            v, _, Hs = fast(pts)
            assert q[n] <= v.min()
            if nomin[n]:
                assert (np.linalg.eigvalsh(Hs)[:, 0] < 0).all()
        if rr <= 1 / 128:            # near-quadratic scale: the bound is at least as tight somewhere
            assert (q > lo).any()


def _energy(th, n: int, layers: int) -> float:
    """The RY–CZ energy by a plain numpy statevector simulation (``exp(-iaY)`` = rotation by ``a``)."""
    from functools import reduce

    ry = lambda a: np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    dim = 2 ** n
    bits = [[(b >> (n - 1 - q)) & 1 for q in range(n)] for b in range(dim)]
    cz = np.array([(-1) ** sum(x[q] * x[q + 1] for q in range(n - 1)) for x in bits])
    psi = np.zeros(dim)
    psi[0] = 1
    for layer in range(layers):
        if layer:
            psi = cz * psi
        psi = reduce(np.kron, [ry(th[layer * n + q]) for q in range(n)]) @ psi
    Z, X, I = np.diag([1.0, -1.0]), np.array([[0.0, 1.0], [1.0, 0.0]]), np.eye(2)
    op = lambda fs: reduce(np.kron, [fs.get(q, I) for q in range(n)])
    Hm = sum(op({q: Z, q + 1: Z}) for q in range(n - 1)) + 0.5 * sum(op({q: X}) for q in range(n))
    return float(psi @ Hm @ psi)


def test_sharp_search_agrees_with_the_plain_search_on_an_energy():
    from scipy.optimize import minimize

    inst = instance_from_dict(ry_cz_energy(3, 1))
    sharp = global_minimum(inst)
    plain = global_minimum(inst, sharp_bounds=False)
    assert sharp.complete and plain.complete and sharp.sharp_bounds and not plain.sharp_bounds
    lo, hi = max(sharp.interval[0], plain.interval[0]), min(sharp.interval[1], plain.interval[1])
    assert lo <= hi and sharp.interval[1] - sharp.interval[0] < Fraction(1, 10 ** 9)
    # an independent float multistart (numpy statevector) reaches the certified interval and never goes below it
    rng = np.random.default_rng(0)
    best = min(minimize(_energy, rng.random(3) * np.pi, args=(3, 1)).fun for _ in range(20))
    assert float(sharp.interval[0]) <= best <= float(sharp.interval[1]) + 1e-9


def test_sharp_search_under_a_box_budget_is_partial_and_contains_the_minimum():
    inst = instance_from_dict(ry_cz_energy(3, 2))
    part = global_minimum(inst, max_boxes=2000)
    assert not part.complete and part.sharp_bounds
    rng = np.random.default_rng(1)
    from scipy.optimize import minimize

    best = min(minimize(_energy, rng.random(6) * np.pi, args=(3, 2)).fun for _ in range(20))
    assert float(part.interval[0]) <= best + 1e-12 and float(part.interval[1]) >= best - 1e-9


# --- exact minimisation along separate coordinates, arc polygons, symmetry folding ------------------------------------

def _random_affine(p: int, rng, n_terms: int = 8) -> TrigPoly:
    """A random polynomial of degree ≤ 1 per coordinate in which coordinates 0 and 2 share no term."""
    terms = {}
    while len(terms) < n_terms:
        h = tuple(int(x) for x in rng.integers(-1, 2, p))
        if h[0] and h[2]:
            continue
        terms[h] = Fraction(int(rng.integers(-5, 6)) or 1, int(rng.integers(1, 4)))
    return TrigPoly(p, terms)


@pytest.mark.parametrize("seed", range(3))
def test_arc_lower_holds_on_sampled_points_and_is_the_closed_form_on_the_circle(seed):
    rng = np.random.default_rng(seed)
    f = _random_affine(4, rng)
    assert set(separate_axes(f)) >= {0} and len(separate_axes(f)) >= 2 or separate_axes(f) == (0, 2)
    for k in (3, 5):
        ve = VertexEnclosure(f, k)
        for _ in range(4):
            u = rng.random(4)
            r = np.array([0.5, 2.0 ** -rng.integers(2, 6), rng.choice([0.5, 2.0 ** -3]), 2.0 ** -rng.integers(2, 6)])
            lo = ve.arc_lower(u[None], r, (0, 2))[0]
            plain = ve(u[None], r)[0][0]
            vals = _sampled(f, u, r, rng, 1500)
            assert lo <= vals.min() and plain <= vals.min()
            if r[0] == 0.5 and r[2] == 0.5:     # exact along 0 and 2 whatever the enclosure of the others
                assert lo >= plain - 1e-12
    # with the other coordinates nearly fixed, the bound is min over φ₀, φ₂ = a − ρ₀ − ρ₂ at the centre, up to the
    # first-order spread Σ|c|·2δ of the other two coordinates (and the grid's O(h²))
    ve = VertexEnclosure(f)
    u = rng.random(4)
    lo = ve.arc_lower(u[None], np.array([0.5, 2.0 ** -14, 0.5, 2.0 ** -14]), (0, 2))[0]
    grid = np.linspace(0, 1, 241)[:-1]
    pts = np.array([[a, u[1], b, u[3]] for a in grid for b in grid])
    exact = f(2 * np.pi * pts / np.array(f.omega)).min()
    spread = 2 * sum(abs(float(c)) for c in f.terms.values()) * 2 * np.pi * 2.0 ** -14 * 2
    assert lo <= exact + 1e-12 and exact - lo < spread + 5e-3 < 0.08


def test_arc_lower_refuses_axes_that_share_a_term():
    ve = VertexEnclosure(TrigPoly(2, {(1, 1): 1}))
    with pytest.raises(ValueError, match="share a term"):
        ve.arc_lower(np.zeros((1, 2)), np.full(2, 0.5), (0, 1))


@pytest.mark.parametrize("k,delta", [(4, 0.3), (5, 1.0), (6, 1.9), (4, 2.5), (5, 3.2), (4, 1e-6)])
def test_arc_polygon_contains_the_arc(k, delta):
    V = arc_polygon(delta, k)
    t = np.linspace(-delta, delta, 2001)
    P = np.stack([np.cos(t), np.sin(t)], axis=1)
    # every arc point inside the convex polygon: on the side of each edge where the polygon's centroid is
    g = V.mean(axis=0)
    for i in range(len(V)):
        a, b = V[i], V[(i + 1) % len(V)]
        side = lambda q: (b[0] - a[0]) * (q[..., 1] - a[1]) - (b[1] - a[1]) * (q[..., 0] - a[0])
        assert (side(P) * np.sign(side(g)) >= -1e-12).all()
    assert len(V) == k or delta < 1e-3
    assert np.hypot(V[:, 0], V[:, 1]).max() < 1 / np.cos(min(delta, 2) / (k - 2)) + 0.2


def test_symmetry_group_is_every_sign_and_half_turn_symmetry():
    rng = np.random.default_rng(3)
    for p in (2, 3):
        terms = {tuple(int(x) for x in rng.integers(-2, 3, p)): Fraction(int(rng.integers(1, 5))) for _ in range(4)}
        L = TrigPoly(p, terms, omega=1)
        th = rng.random((50, p)) * 2 * np.pi
        brute = set()
        for bits in range(4 ** p):
            s = tuple(bits >> l & 1 for l in range(p))
            e = tuple(bits >> (p + l) & 1 for l in range(p))
            if np.allclose(L(th * (1 - 2 * np.array(s)) + np.pi * np.array(e)), L(th), atol=1e-9):
                brute.add((s, e))
        assert set(symmetry_group(L)) == brute
        for f in fold_symmetries(L):                # each fold moves no other fold's pivot
            assert all(not (g.reflect[f.axis] or g.shift[f.axis]) for g in fold_symmetries(L) if g != f)


def test_hand_derived_minimum_with_exact_axes_and_folds():
    # L = cos φ₁ cos φ₂ + sin φ₁ sin φ₃: min over φ₂, φ₃ is −|cos φ₁| − |sin φ₁|, so min L = −√2 (φ₁ = π/4)
    L = TrigPoly(3, {(1, 1, 0): 1, (-1, 0, -1): 1}, omega=1)
    g = global_minimum(L)
    lo, hi = g.interval
    assert g.complete and g.blocks[0].stats["held"] == (1, 2) and g.blocks[0].stats["folds"]
    assert lo < 0 and lo * lo >= 2 and (hi >= 0 or hi * hi <= 2)         # lo ≤ −√2 ≤ hi, exactly
    assert hi - lo < Fraction(1, 10 ** 9)
    (a1, b1), _, _ = g.minimisers[0]
    assert any(float(a1) - 1e-6 <= (np.pi / 4 + j * np.pi / 2) % (2 * np.pi) <= float(b1) + 1e-6 for j in range(4))


def test_energy_with_exact_axes_agrees_with_the_plain_search_and_a_multistart():
    from scipy.optimize import minimize

    inst = instance_from_dict(ry_cz_energy(3, 1))
    sharp = global_minimum(inst)
    plain = global_minimum(inst, sharp_bounds=False)
    assert sharp.complete and plain.complete and sharp.blocks[0].stats["held"] == (0, 2)
    assert max(sharp.interval[0], plain.interval[0]) <= min(sharp.interval[1], plain.interval[1])
    # p = 4 (a manifold of minimisers: no Krawczyk box): stopped at a tolerance, the interval holds a multistart's best
    deep = global_minimum(instance_from_dict(ry_cz_energy(2, 2)), tol=1e-6)
    assert deep.blocks[0].stats["held"] and float(deep.interval[1] - deep.interval[0]) <= 1e-6
    rng = np.random.default_rng(2)
    best = min(minimize(_energy, rng.random(4) * np.pi, args=(2, 2)).fun for _ in range(30))
    assert float(deep.interval[0]) <= best <= float(deep.interval[1]) + 1e-9
