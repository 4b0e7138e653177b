"""Fast float evaluation through the exact expansion (eq. 12), vectorised over many θ.

The outputs ``f_k(θ) = Σ_h a_{k,h} b_h(θ)`` (harmonic basis of :class:`~qnnsym.exact.trigpoly.TrigPoly`)
are compiled once; then for ``N`` parameter vectors the loss, its gradient, the Jacobian of the
outputs and the Hessian of the loss cost a few numpy kernels over an ``(N, T)`` array of monomial
values (``T`` = number of distinct monomials, closed under the derivative ``cos ↔ sin``).

Where the expansion comes from:

* :func:`product_output_polys` — *product instances* (every gate acts on one qubit, the observable
  and every state are tensor products, e.g. the Proposition-5 instances): each output factorises
  over qubits, ``f_k = κ_k Π_q F_{k,q}(θ_q)``, and each factor is expanded exactly on its own qubit
  with :func:`qnnsym.expansion.phi_terms` (eqs. 7–11).  Cost linear in the number of qubits.
* :func:`heisenberg_output_polys` — Pauli circuits with a Pauli observable and states of any
  kind (e.g. float pure encodings) whose Heisenberg expansion ``M(θ) = Σ_h Φ_h(M) b_h`` (eq. 11)
  is small: :func:`qnnsym.expansion.output_polys` in the Heisenberg picture;
* otherwise :func:`qnnsym.expansion.output_polys` (Pauli propagation / dense exact engine).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..errors import ValidationError
from ..exact.paulis import PauliSum
from ..exact.trigpoly import TrigPoly, as_theta
from ..model.circuit import QNN, FixedGate, Gate
from ..model.data import Instance
from .objective import FloatObjective

__all__ = ["TrigSimulator", "ProductSimulator", "product_factors", "product_factor_polys", "product_output_polys",
           "heisenberg_output_polys"]


def _restrict(op: PauliSum, q: int) -> PauliSum | None:
    """The 1-qubit operator ``A`` with ``op = A`` on qubit ``q`` (identity elsewhere), or None."""
    out = {}
    for (x, z), c in op.items():
        if (x | z) & ~(1 << q):
            return None
        out[((x >> q) & 1, (z >> q) & 1)] = c
    return PauliSum(1, out)


def product_factors(op: PauliSum) -> tuple[object, list[PauliSum]] | None:
    """Exact tensor factorisation ``op = κ ⊗_q A_q`` of a Pauli sum, or ``None`` if it is not a product.

    Examples
    --------
    >>> k, fac = product_factors(PauliSum.from_labels(2, {"I": 1, "Y0": 1, "Y1": 1, "Y0 Y1": 1}))
    >>> k, [f.to_string() for f in fac]
    (Fraction(1, 1), ['1 + Y0', '1 + Y0'])
    """
    if not op:
        return None
    n = op.n
    (x0, z0), kappa = next(iter(op.items()))
    factors = []
    for q in range(n):
        terms = {}
        for a in range(2):
            for b in range(2):
                key = ((x0 & ~(1 << q)) | (a << q), (z0 & ~(1 << q)) | (b << q))
                c = op.get(key, 0)
                if c:
                    terms[(a, b)] = c / kappa
        factors.append(PauliSum(1, terms))
    size = 1
    for f in factors:
        size *= len(f)
    if size != len(op):
        return None
    # multiply the factors out qubit by qubit (≈ 1.5 multiplications per term) and compare exactly
    prod = {(0, 0): kappa}
    for q, f in enumerate(factors):
        prod = {(x | (a << q), z | (b << q)): v * c if c != 1 else v
                for (x, z), v in prod.items() for (a, b), c in f.items()}
    if prod != dict(op.items()):
        return None
    return kappa, factors


def _product_terms(op: PauliSum) -> list[tuple[object, list[PauliSum]]]:
    """``op`` as a sum of tensor products: itself if it factorises, else one term per Pauli string."""
    fac = product_factors(op)
    if fac is not None:
        return [fac]
    return [product_factors(PauliSum(op.n, {key: c})) for key, c in op.items()]


def product_factor_polys(inst: Instance, max_terms: int = 4096) -> tuple[list[list[int]], list[list[tuple]]] | None:
    """Outputs as sums of per-qubit products: ``f_k(θ) = Σ_t κ_{k,t} Π_q F_{k,t,q}(θ on qubit q)``.

    ``M`` and each ``ρ_k`` are split into tensor-product terms (the operator itself when it
    factorises, e.g. ``⊗(I + Y)``; else its Pauli strings, e.g. 2 terms for ``(I + Z⊗Z⊗Z)/2``); each
    factor is expanded exactly on its own qubit (eqs. 10–11).

    Returns
    -------
    (gates_of_qubit, factors) or None
        ``gates_of_qubit[q]``: indices of the gates on qubit ``q``; ``factors[k]``: list of terms
        ``(κ, [F_0, F_1, …])``, ``F_q = {h_local: coeff}`` exact.  ``None`` unless every gate is a
        two-level Pauli sum on one qubit, there is no fixed gate, the operators are Pauli sums, and
        each output has at most ``max_terms`` product terms.

    Examples
    --------
    >>> from qnnsym.model.instances import prop5_instance
    >>> gq, fac = product_factor_polys(prop5_instance(2))
    >>> gq, len(fac[0]), fac[0][0][0], fac[0][0][1][1]
    ([[0], [1]], 1, Fraction(1, 1), {(0,): Fraction(1, 1)})
    """
    qnn, M = inst.qnn, inst.observable
    states = [s.state for s in inst.dataset.samples]
    if qnn.tied or not isinstance(M, PauliSum) or any(isinstance(o, FixedGate) for o in qnn.ops):
        return None
    if any(not isinstance(g.generator, PauliSum) or g.kind != "two-level" for g in qnn.gates):
        return None
    if not all(isinstance(r, PauliSum) for r in states):
        return None
    n = M.n
    gate_q: list[int] = []
    local_gates: list[Gate] = []
    for g in qnn.gates:
        support = 0
        for x, z in g.generator:
            support |= x | z
        if support.bit_count() != 1:
            return None
        q = support.bit_length() - 1
        gate_q.append(q)
        local_gates.append(Gate(_restrict(g.generator, q), g.kind))
    m_terms = _product_terms(M)
    if len(m_terms) > max_terms:
        return None
    gates_of = [[l for l in range(qnn.p) if gate_q[l] == q] for q in range(n)]
    heis_cache: dict = {}

    def heis(q, A):     # Heisenberg terms of a qubit's observable factor: {h_local: 1-qubit operator}
        key = (q, tuple(sorted(A.items())))
        if key not in heis_cache:
            heis_cache[key] = _phi_local([local_gates[l] for l in gates_of[q]], A) if gates_of[q] else {(): A}
        return heis_cache[key]

    out = []
    for rho in states:
        r_terms = _product_terms(rho)
        if len(r_terms) * len(m_terms) > max_terms:
            return None
        terms = []
        for kM, Mq in m_terms:
            for kr, Rq in r_terms:
                # tr of a tensor product = product of the 1-qubit traces (2 · identity coefficient)
                facs = [{h: v for h, A in heis(q, Mq[q]).items() if (v := Rq[q].inner(A) / 2)} for q in range(n)]
                if all(facs):
                    terms.append((kM * kr * 2 ** n, facs))
        out.append(terms)
    return gates_of, out


def product_output_polys(inst: Instance, max_terms: int = 20000, factors=None) -> list[TrigPoly] | None:
    """Exact output polynomials of a product instance (the terms of :func:`product_factor_polys`
    multiplied out), or ``None`` when the instance is not a product instance or an output would
    exceed ``max_terms`` monomials.  ``factors``: a precomputed :func:`product_factor_polys` result.

    Examples
    --------
    >>> from qnnsym.model.instances import prop5_instance
    >>> from qnnsym.expansion import output_polys
    >>> inst = prop5_instance(3)
    >>> product_output_polys(inst) == output_polys(inst)
    True
    """
    pf = product_factor_polys(inst) if factors is None else factors
    if pf is None:
        return None
    gates_of, factors = pf
    p = inst.p
    out = []
    for terms in factors:
        total: dict = {}
        for kappa, facs in terms:
            acc = {(0,) * p: kappa}
            for idx, factor in zip(gates_of, facs):
                if len(acc) * len(factor) > max_terms:
                    return None
                new = {}
                for key, c in acc.items():
                    for h, v in factor.items():
                        k2 = list(key)
                        for l, j in zip(idx, h):
                            k2[l] = j
                        k2 = tuple(k2)
                        new[k2] = new.get(k2, 0) + c * v
                acc = new
            for key, c in acc.items():
                total[key] = total.get(key, 0) + c
            if len(total) > max_terms:
                return None
        out.append(TrigPoly(p, {k: v for k, v in total.items() if v}, inst.qnn.omega))
    return out


class ProductSimulator:
    """Float simulator in product form, ``f_k = Σ_t κ_{kt} Π_q (a_{ktq} + b_{ktq} cos φ_q + c_{ktq} sin φ_q)``,
    for product instances with one gate per qubit (:func:`product_factor_polys`): ``O(T p)`` per
    vector (``T`` product terms in all) however many monomials the multiplied-out expansion has
    (``3^p`` per output for a parity read-out).

    Examples
    --------
    >>> from qnnsym.model.instances import prop5_instance
    >>> from qnnsym.sim import simulator
    >>> sim = ProductSimulator.from_instance(prop5_instance(3))
    >>> th = np.array([[0.1, 0.2, 0.3]])
    >>> bool(np.allclose(sim.loss_and_grad(th)[1], simulator(prop5_instance(3), "trig").loss_and_grad(th)[1]))
    True
    """

    method = "product"

    def __init__(self, owner, kappa, a, b, c, gate_of_qubit, labels, objective: FloatObjective | None = None):
        self.kappa, self.a, self.b, self.c = (np.asarray(x, dtype=float) for x in (kappa, a, b, c))
        self.gq = np.asarray(gate_of_qubit, dtype=np.int64)     # parameter index of each varying qubit
        self.obj = objective or FloatObjective(labels)
        self.labels = self.obj.labels
        self.m, self.p = len(self.labels), len(self.gq)
        self.S = np.zeros((self.m, len(self.kappa)))            # rows (terms) -> outputs
        self.S[np.asarray(owner, dtype=np.int64), np.arange(len(self.kappa))] = 1.0

    @classmethod
    def from_instance(cls, inst: Instance, factors=None) -> "ProductSimulator | None":
        """``None`` unless ``inst`` is a product instance with at most one gate per qubit
        (``factors``: a precomputed :func:`product_factor_polys` result)."""
        pf = product_factor_polys(inst) if factors is None else factors
        if pf is None or any(len(g) > 1 for g in pf[0]):
            return None
        gates_of, factors = pf
        qs = [q for q, g in enumerate(gates_of) if g]
        rows = [(k, kappa, fs) for k, terms in enumerate(factors) for kappa, fs in terms]
        kap = [float(kappa) * float(np.prod([float(f.get((), 0)) for q, f in enumerate(fs) if not gates_of[q]]))
               for _, kappa, fs in rows]
        abc = [[[float(fs[q].get(h, 0)) for q in qs] for _, _, fs in rows] for h in ((0,), (1,), (-1,))]
        obj = FloatObjective.of_instance(inst)
        return cls([k for k, _, _ in rows], kap, *abc, [gates_of[q][0] for q in qs], obj.labels, obj)

    def _factors(self, theta):
        th = as_theta(theta, self.p, finite=False)[0]
        phi = 2.0 * th[:, self.gq]                                     # (N, n) in qubit order
        co, si = np.cos(phi)[:, None, :], np.sin(phi)[:, None, :]
        F = self.a + self.b * co + self.c * si                          # (N, R, n)
        dF = 2.0 * (self.c * co - self.b * si)                          # ∂F/∂θ
        return F, dF

    @staticmethod
    def _excl(F):
        """``Π_{q' ≠ q} F_q'`` without division (prefix and suffix products)."""
        one = np.ones_like(F[..., :1])
        pre = np.cumprod(np.concatenate([one, F[..., :-1]], -1), -1)
        suf = np.cumprod(np.concatenate([one, F[..., :0:-1]], -1), -1)[..., ::-1]
        return pre * suf

    def outputs(self, theta) -> np.ndarray:
        """``f_k(θ)``, shape ``(N, m)``."""
        F, _ = self._factors(theta)
        return (self.kappa * np.prod(F, axis=-1)) @ self.S.T

    def loss(self, theta) -> np.ndarray:
        """``L(θ)`` (eq. 6, or the instance's objective), shape ``(N,)``."""
        return self.obj.value(self.outputs(theta))

    def jacobian(self, theta) -> np.ndarray:
        """``∂f_k/∂θ_l``, shape ``(N, m, p)``."""
        F, dF = self._factors(theta)
        Jq = np.einsum("kr,nrq->nkq", self.S * self.kappa, dF * self._excl(F))
        J = np.zeros(Jq.shape[:2] + (self.p,))
        J[:, :, self.gq] = Jq
        return J

    def loss_and_grad(self, theta) -> tuple[np.ndarray, np.ndarray]:
        """``(L, ∇L)`` with shapes ``(N,)`` and ``(N, p)``."""
        F, dF = self._factors(theta)
        ex = self._excl(F)
        f = (self.kappa * F[..., 0] * ex[..., 0]) @ self.S.T
        w = (self.obj.coef(f) @ self.S) * self.kappa                   # (N, R)
        G = np.zeros((F.shape[0], self.p))
        G[:, self.gq] = np.einsum("nr,nrq->nq", w, dF * ex)
        return self.obj.value(f), G

    def hessian(self, theta) -> np.ndarray:
        """Hessian of the loss (the objective), ``(N, p, p)`` (``O(T p²)`` per vector)."""
        th = np.asarray(theta, dtype=float)
        F, dF = self._factors(th)
        n = F.shape[-1]
        H2 = np.zeros(F.shape + (n,))
        for i in range(n):
            Fi = F.copy()
            Fi[..., i] = 1.0
            ex = self._excl(Fi)                                         # Π over q' ∉ {i, q}
            H2[..., i, :] = dF[..., i:i + 1] * dF * ex
            H2[..., i, i] = -4.0 * (F[..., i] - self.a[:, i]) * ex[..., i]   # F'' = -4 (F - a)
        J = self.jacobian(th)
        H = np.einsum("k,nka,nkb->nab", self.obj.gauss, J, J)
        w = (self.obj.coef(self.outputs(th)) @ self.S) * self.kappa     # (N, R)
        H[np.ix_(np.arange(F.shape[0]), self.gq, self.gq)] += np.einsum("nr,nrab->nab", w, H2)
        return H


def heisenberg_output_polys(inst: Instance, max_strings: int = 4096) -> list[TrigPoly] | None:
    """Output polynomials from the exact Heisenberg expansion of ``M`` (Pauli circuits only), or
    ``None`` when the circuit is not a Pauli circuit or ``M(θ)`` has more than ``max_strings`` strings.

    Examples
    --------
    >>> from qnnsym.model.instances import prop5_instance
    >>> from qnnsym.expansion import output_polys
    >>> inst = prop5_instance(2)
    >>> heisenberg_output_polys(inst) == output_polys(inst)
    True
    """
    from ..expansion.phi import engine_for, output_polys, phi_terms

    if engine_for(inst.qnn, inst.observable) != "pauli":
        return None
    if len(inst.observable) * 2 ** inst.qnn.n_gates > 1 << 20:     # each gate at most doubles the strings
        return None
    if sum(len(A) for A in phi_terms(inst.qnn, inst.observable, "pauli").values()) > max_strings:
        return None
    return output_polys(inst, "pauli", picture="heisenberg")


def _phi_local(gates: Sequence[Gate], Mq: PauliSum) -> dict:
    from ..expansion.phi import phi_terms

    return phi_terms(QNN(tuple(gates), n_qubits=1), Mq, "pauli")


def _flip(h: tuple, l: int, w: int) -> tuple[tuple, float]:
    """``∂/∂θ_l b_h = coef · b_{h'}``: ``cos jφ → -jω sin jφ``, ``sin jφ → jω cos jφ``."""
    j = h[l]
    h2 = h[:l] + (-j,) + h[l + 1:]
    return h2, -j * w


class TrigSimulator:
    """Vectorised float loss / gradient / Jacobian / Hessian from exact output polynomials.

    Parameters
    ----------
    outputs : list of TrigPoly
        ``f_k`` (eq. 12), e.g. from :func:`product_output_polys` or ``output_polys``.
    labels : sequence of float
        ``y_k``.
    objective : FloatObjective, optional
        What is minimised (default: the square loss of eq. 6 with these labels).

    Examples
    --------
    >>> from qnnsym.model.instances import prop5_instance
    >>> from qnnsym.expansion import output_polys
    >>> inst = prop5_instance(2)
    >>> sim = TrigSimulator(output_polys(inst), [float(y) for y in inst.labels])
    >>> from fractions import Fraction
    >>> a = [np.arctan2(float(Fraction(s)), float(Fraction(c))) / 2 for c, s in inst.meta["angles"]]
    >>> float(sim.loss(np.array([a]))[0]) < 1e-15          # φ_l = a_l: the global minimum 0
    True
    """

    method = "trig"

    def __init__(self, outputs: Sequence[TrigPoly], labels: Sequence[float], objective: FloatObjective | None = None):
        if len(outputs) != len(labels):
            raise ValidationError("labels", f"{len(labels)} labels for {len(outputs)} outputs", expected="one per output")
        p = outputs[0].p
        self.p, self.m = p, len(outputs)
        self.omega = np.array(outputs[0].omega, dtype=float)
        self.obj = objective or FloatObjective(labels)
        self.labels = self.obj.labels
        index: dict[tuple, int] = {}

        def idx(h):
            if h not in index:
                index[h] = len(index)
            return index[h]

        coeffs = [(k, idx(h), float(c)) for k, f in enumerate(outputs) for h, c in f.terms.items()]
        base = list(index)
        d1 = []       # (t, l, t', coef): ∂_l χ_t = coef χ_t'
        for h in base:
            for l in range(p):
                if h[l]:
                    h2, c = _flip(h, l, outputs[0].omega[l])
                    d1.append((index[h], l, idx(h2), float(c)))
        self._d1 = np.array(d1, dtype=float).reshape(-1, 4)
        self._base_T = len(base)
        self._A = np.zeros((self.m, len(base)))
        for k, t, c in coeffs:
            self._A[k, t] += c
        self._d2 = None
        self._index = index
        self._compile()

    def _compile(self):
        hs = list(self._index)
        self.jmax = max((abs(j) for h in hs for j in h), default=0)
        S = max((sum(1 for j in h if j) for h in hs), default=0)
        # basis table index: 0 -> 1; 1 + (l*jmax + j-1)*2 + {0: cos, 1: sin}
        gather = np.zeros((len(hs), max(S, 1)), dtype=np.int64)
        for t, h in enumerate(hs):
            pos = 0
            for l, j in enumerate(h):
                if j:
                    gather[t, pos] = 1 + (l * self.jmax + abs(j) - 1) * 2 + (j < 0)
                    pos += 1
        self._gather = gather
        self._S = S
        d1 = self._d1
        self._t = d1[:, 0].astype(np.int64)
        self._l = d1[:, 1].astype(np.int64)
        self._tp = d1[:, 2].astype(np.int64)
        self._c = d1[:, 3]
        sel = np.zeros((len(d1), self.p))
        sel[np.arange(len(d1)), self._l] = 1.0
        self._sel = sel

    @property
    def n_monomials(self) -> int:
        return len(self._index)

    def _chi(self, theta: np.ndarray) -> np.ndarray:
        th = as_theta(theta, self.p, finite=False)[0]
        N = th.shape[0]
        phi = th * self.omega
        if self.jmax == 0:
            return np.ones((N, len(self._index)))
        j = np.arange(1, self.jmax + 1)
        ang = phi[:, :, None] * j                             # (N, p, jmax)
        tab = np.empty((N, 1 + 2 * self.p * self.jmax))
        tab[:, 0] = 1.0
        tab[:, 1::2] = np.cos(ang).reshape(N, -1)
        tab[:, 2::2] = np.sin(ang).reshape(N, -1)
        if self._S <= 1:
            return tab[:, self._gather[:, 0]]
        return np.prod(tab[:, self._gather], axis=-1)

    def outputs(self, theta) -> np.ndarray:
        """``f_k(θ)``, shape ``(N, m)``."""
        chi = self._chi(theta)
        return chi[:, :self._base_T] @ self._A.T

    def loss(self, theta) -> np.ndarray:
        """``L(θ)`` (eq. 6, or the objective), shape ``(N,)``."""
        return self.obj.value(self.outputs(theta))

    def loss_and_grad(self, theta) -> tuple[np.ndarray, np.ndarray]:
        """``(L, ∇L)`` with shapes ``(N,)`` and ``(N, p)`` (exact derivative of the expansion)."""
        chi = self._chi(theta)
        f = chi[:, :self._base_T] @ self._A.T
        L = self.obj.value(f)
        w = self.obj.coef(f) @ self._A                         # (N, T_base)
        contrib = w[:, self._t] * chi[:, self._tp] * self._c   # (N, nnz)
        return L, contrib @ self._sel

    def jacobian(self, theta) -> np.ndarray:
        """``∂f_k/∂θ_l``, shape ``(N, m, p)``."""
        chi = self._chi(theta)
        vals = chi[:, self._tp] * self._c                      # (N, nnz)
        J = np.zeros((chi.shape[0], self.m, self.p))
        Ak = self._A[:, self._t]                               # (m, nnz)
        for l in range(self.p):
            mask = self._l == l
            J[:, :, l] = vals[:, mask] @ Ak[:, mask].T
        return J

    def _second(self):
        """Second-derivative lists ``∂_a ∂_b χ_t = c χ_t''`` for base monomials."""
        if self._d2 is None:
            hs = list(self._index)
            rows = []
            for t in range(self._base_T):
                h = hs[t]
                for a in range(self.p):
                    if not h[a]:
                        continue
                    h1, c1 = _flip(h, a, int(self.omega[a]))
                    for b in range(self.p):
                        if not h1[b]:
                            continue
                        h2, c2 = _flip(h1, b, int(self.omega[b]))
                        if h2 not in self._index:
                            self._index[h2] = len(self._index)
                        rows.append((t, a, b, self._index[h2], c1 * c2))
            self._d2 = np.array(rows, dtype=float).reshape(-1, 5)
            self._compile()
        return self._d2

    def hessian(self, theta) -> np.ndarray:
        """Hessian of the loss, shape ``(N, p, p)``: ``(2/m) Σ_k (∇f_k ∇f_kᵀ + r_k ∇²f_k)`` (eq. 6;
        ``Σ_k ∂²Φ ∇f_k ∇f_kᵀ + ∂Φ/∂f_k ∇²f_k`` for the objective ``Φ``)."""
        d2 = self._second()
        chi = self._chi(theta)
        f = chi[:, :self._base_T] @ self._A.T
        J = self.jacobian(theta)
        Hs = np.einsum("k,nka,nkb->nab", self.obj.gauss, J, J)
        w = self.obj.coef(f) @ self._A                          # (N, T_base)
        t, a, b, t2 = (d2[:, i].astype(np.int64) for i in range(4))
        vals = w[:, t] * chi[:, t2] * d2[:, 4]
        flat = np.zeros((chi.shape[0], self.p * self.p))
        np.add.at(flat.T, a * self.p + b, vals.T)
        return Hs + flat.reshape(-1, self.p, self.p)
