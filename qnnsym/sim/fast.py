"""Fast float evaluation through the exact expansion (eq. 12), vectorised over many θ.

The outputs ``f_k(θ) = Σ_h a_{k,h} b_h(θ)`` (harmonic basis of :class:`~qnnsym.trigpoly.TrigPoly`)
are compiled once; then for ``N`` parameter vectors the loss, its gradient, the Jacobian of the
outputs and the Hessian of the loss cost a few numpy kernels over an ``(N, T)`` array of monomial
values (``T`` = number of distinct monomials, closed under the derivative ``cos ↔ sin``).

Where the expansion comes from:

* :func:`product_output_polys` — *product instances* (every gate acts on one qubit, the observable
  and every state are tensor products, e.g. the Proposition-5 instances): each output factorises
  over qubits, ``f_k = κ_k Π_q F_{k,q}(θ_q)``, and each factor is expanded exactly on its own qubit
  with :func:`qnnsym.expansion.phi_terms` (eqs. 7–11).  Cost linear in the number of qubits.
* :func:`heisenberg_output_polys` — Pauli circuits with a Pauli observable and states of any
  kind (e.g. float pure encodings): ``M(θ) = Σ_h Φ_h(M) b_h`` by exact Pauli propagation (eq. 11),
  then ``a_{k,h} = tr(ρ_k Φ_h(M))`` (exact for Pauli-sum states, float otherwise);
* otherwise :func:`qnnsym.expansion.output_polys` (Pauli propagation / dense exact engine).
"""
from __future__ import annotations

from fractions import Fraction
from typing import Sequence

import numpy as np

from ..errors import ValidationError
from ..model import FixedGate, Gate, Instance, QNN
from ..paulis import PauliSum
from ..trigpoly import TrigPoly

__all__ = ["TrigSimulator", "product_factors", "product_output_polys", "heisenberg_output_polys"]


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
    tables = [[f.get((a, b), 0) for a in (0, 1) for b in (0, 1)] for f in factors]
    trivial = [all(v in (0, 1) for v in t) for t in tables]
    for (x, z), c in op.items():
        v = kappa
        for q, t in enumerate(tables):
            fv = t[2 * ((x >> q) & 1) + ((z >> q) & 1)]
            if not trivial[q] or not fv:
                v = v * fv
        if v != c:
            return None
    return kappa, factors


def product_output_polys(inst: Instance, max_terms: int = 20000) -> list[TrigPoly] | None:
    """Exact output polynomials of a product instance (see module docstring), or ``None`` when the
    instance is not a product instance or an output would exceed ``max_terms`` monomials.

    Examples
    --------
    >>> from qnnsym.instances import prop5_instance
    >>> from qnnsym.expansion import output_polys
    >>> inst = prop5_instance(3)
    >>> product_output_polys(inst) == output_polys(inst)
    True
    """
    qnn, M = inst.qnn, inst.observable
    if not isinstance(M, PauliSum) or any(isinstance(o, FixedGate) for o in qnn.ops):
        return None
    if any(not isinstance(g.generator, PauliSum) or g.kind != "two-level" for g in qnn.gates):
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
    fm = product_factors(M)
    states = [s.state for s in inst.dataset.samples]
    if fm is None or not all(isinstance(r, PauliSum) for r in states):
        return None
    fr = [product_factors(r) for r in states]
    if any(f is None for f in fr):
        return None
    kM, Mq = fm
    p = qnn.p
    # Heisenberg terms of each qubit's observable factor: {h_q (local): 1-qubit operator}
    heis = []
    for q in range(n):
        idx = [l for l in range(p) if gate_q[l] == q]
        if idx:
            terms = _phi_local([local_gates[l] for l in idx], Mq[q])
        else:
            terms = {(): Mq[q]}
        heis.append((idx, terms))
    out = []
    for kr, Rq in fr:
        acc = {(0,) * p: kM * kr * 2 ** n}
        for q in range(n):
            idx, terms = heis[q]
            factor = {}
            for h, A in terms.items():
                v = Rq[q].inner(A) / 2   # 2 = tr of the 1-qubit identity; the 2^n is in acc
                if v:
                    factor[h] = v
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
            acc = {k: v for k, v in new.items() if v}
        out.append(TrigPoly(p, acc, qnn.omega))
    return out


def heisenberg_output_polys(inst: Instance, max_strings: int = 4096) -> list[TrigPoly] | None:
    """Output polynomials from the exact Heisenberg expansion of ``M`` (Pauli circuits only), or
    ``None`` when the circuit is not a Pauli circuit or ``M(θ)`` has more than ``max_strings`` strings.

    Examples
    --------
    >>> from qnnsym.instances import prop5_instance
    >>> from qnnsym.expansion import output_polys
    >>> inst = prop5_instance(2)
    >>> heisenberg_output_polys(inst) == output_polys(inst)
    True
    """
    from ..expansion import engine_for, phi_terms
    from ..model import to_opmatrix
    from .statevector import LinearOp

    if engine_for(inst.qnn, inst.observable) != "pauli":
        return None
    if len(inst.observable) * 2 ** inst.qnn.p > 1 << 20:     # each gate at most doubles the strings
        return None
    terms = phi_terms(inst.qnn, inst.observable, "pauli")
    if sum(len(A) for A in terms.values()) > max_strings:
        return None
    ops = {}
    out = []
    for smp in inst.dataset.samples:
        rho = smp.state
        R = None if isinstance(rho, PauliSum) else to_opmatrix(rho).to_numpy()
        acc = {}
        for h, A in terms.items():
            if R is None:
                v = rho.inner(A)
            else:
                if h not in ops:
                    ops[h] = LinearOp.from_operator(A, dense_if_many=False)
                v = float(np.trace(ops[h].apply(R.T)).real)     # tr(A ρ)
            if v:
                acc[h] = v
        out.append(TrigPoly(inst.p, acc, inst.qnn.omega))
    return out


def _phi_local(gates: Sequence[Gate], Mq: PauliSum) -> dict:
    from ..expansion import phi_terms

    return phi_terms(QNN(tuple(gates), n_qubits=1), Mq, "pauli")


def _flip(h: tuple, l: int, w: int) -> tuple[tuple, float]:
    """``∂/∂θ_l b_h = coef · b_{h'}``: ``cos jφ → -jω sin jφ``, ``sin jφ → jω cos jφ``."""
    j = h[l]
    h2 = h[:l] + (-j,) + h[l + 1:]
    return h2, (-j * w if j > 0 else -j * w)


class TrigSimulator:
    """Vectorised float loss / gradient / Jacobian / Hessian from exact output polynomials.

    Parameters
    ----------
    outputs : list of TrigPoly
        ``f_k`` (eq. 12), e.g. from :func:`product_output_polys` or ``output_polys``.
    labels : sequence of float
        ``y_k``.

    Examples
    --------
    >>> from qnnsym.instances import prop5_instance
    >>> from qnnsym.expansion import output_polys
    >>> inst = prop5_instance(2)
    >>> sim = TrigSimulator(output_polys(inst), [float(y) for y in inst.labels])
    >>> from fractions import Fraction
    >>> a = [np.arctan2(float(Fraction(s)), float(Fraction(c))) / 2 for c, s in inst.meta["angles"]]
    >>> float(sim.loss(np.array([a]))[0]) < 1e-15          # φ_l = a_l: the global minimum 0
    True
    """

    method = "trig"

    def __init__(self, outputs: Sequence[TrigPoly], labels: Sequence[float]):
        if len(outputs) != len(labels):
            raise ValidationError("labels", f"{len(labels)} labels for {len(outputs)} outputs", expected="one per output")
        p = outputs[0].p
        self.p, self.m = p, len(outputs)
        self.omega = np.array(outputs[0].omega, dtype=float)
        self.labels = np.asarray(labels, dtype=float)
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
        th = np.asarray(theta, dtype=float)
        if th.ndim != 2 or th.shape[1] != self.p:
            raise ValidationError("theta", f"shape {th.shape}", expected=f"(N, {self.p})")
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
        """``L(θ)`` (eq. 6), shape ``(N,)``."""
        r = self.outputs(theta) - self.labels
        return np.mean(r * r, axis=1)

    def loss_and_grad(self, theta) -> tuple[np.ndarray, np.ndarray]:
        """``(L, ∇L)`` with shapes ``(N,)`` and ``(N, p)`` (exact derivative of the expansion)."""
        chi = self._chi(theta)
        r = chi[:, :self._base_T] @ self._A.T - self.labels
        L = np.mean(r * r, axis=1)
        w = r @ self._A * (2.0 / self.m)                       # (N, T_base)
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
        """Hessian of the loss, shape ``(N, p, p)``: ``(2/m) Σ_k (∇f_k ∇f_kᵀ + r_k ∇²f_k)``."""
        d2 = self._second()
        chi = self._chi(theta)
        r = chi[:, :self._base_T] @ self._A.T - self.labels
        J = self.jacobian(theta)
        Hs = np.einsum("nka,nkb->nab", J, J)
        w = r @ self._A                                         # (N, T_base)
        t, a, b, t2 = (d2[:, i].astype(np.int64) for i in range(4))
        vals = w[:, t] * chi[:, t2] * d2[:, 4]
        flat = np.zeros((chi.shape[0], self.p * self.p))
        np.add.at(flat.T, a * self.p + b, vals.T)
        return (Hs + flat.reshape(-1, self.p, self.p)) * (2.0 / self.m)
