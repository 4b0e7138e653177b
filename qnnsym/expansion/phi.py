"""The Φ maps and the Fourier expansion of output and loss (paper eqs. 7–12).

For a two-level generator ``H`` (``H² = I``):

* ``Φ^(0)(A) = (A + HAH)/2``   (eq. 7)
* ``Φ^(1)(A) = (A - HAH)/2``   (eq. 8)
* ``Φ^(2)(A) = (i/2)[H, A]``   (eq. 9)

and ``V†AV = Φ^(0)(A) + cos 2θ Φ^(1)(A) + sin 2θ Φ^(2)(A)``.  Composing from the last gate to
the first gives ``M(θ) = Σ_ξ Φ_ξ(M) χ_ξ(θ)`` (eqs. 10–11) and ``f(ρ,θ) = Σ_ξ tr(ρ Φ_ξ(M)) χ_ξ(θ)``
(eq. 12).  Terms are keyed by the harmonic index ``h`` of :mod:`qnnsym.exact.trigpoly`
(``ξ_l = 1 ↦ h_l = 1``, ``ξ_l = 2 ↦ h_l = -1``).

For an integer-spectrum generator ``H = Σ_a E_a P_a``: ``V†AV = Σ_ω e^{iωθ} Ψ_ω(A)`` with
``Ψ_ω(A) = Σ_{E_a-E_b=ω} P_a A P_b``; in the real basis the coefficient of ``cos(jω₀θ)`` is
``Ψ_{jω₀} + Ψ_{-jω₀}`` and of ``sin(jω₀θ)`` is ``i(Ψ_{jω₀} - Ψ_{-jω₀})`` (``ω₀``: the gcd of
the gaps; for ±1 spectra this is eqs. 7–9 again).

Two engines: **Pauli propagation** (every generator a Pauli sum, observable a Pauli sum; no
``2^n × 2^n`` matrix is ever formed) and **dense** (exact Gaussian-rational or float matrices).
"""
from __future__ import annotations

from fractions import Fraction

from ..budget import Budget, format_count
from ..errors import JobTooLarge, ValidationError
from ..exact.opmatrix import OpMatrix, spectral_projectors
from ..exact.paulis import PauliSum, commutes, pauli_product, pauli_sum_from_matrix
from ..exact.scalars import GaussianRational
from ..exact.trigpoly import TrigPoly
from ..model.circuit import HERMITIAN, QNN, TWO_LEVEL, Gate, Operator, operator_dim, to_opmatrix
from ..model.data import Instance
from ..validate import require_type

__all__ = ['phi', 'phi_terms', 'output_polys', 'output_poly', 'loss_poly', 'engine_for', 'resolve_engine',
           'MAX_EXPANSION_TERMS']

Key = tuple[int, ...]

#: an intermediate operator of the propagation with more terms than this stops the expansion (≈ 10 GB)
MAX_EXPANSION_TERMS = 2 ** 25


# --- single maps --------------------------------------------------------------------------

def phi(which: int, A: Operator, H: Operator) -> Operator:
    """``Φ^(which)(A)`` for a two-level ``H`` (eqs. 7–9), exact for exact input.

    Examples
    --------
    >>> Y, Z = PauliSum.string(1, "Y0"), PauliSum.string(1, "Z0")
    >>> phi(2, Y, Z)                     # (i/2)[Z, Y] = X
    PauliSum(1, 'X0')
    >>> phi(0, Y, Z)
    PauliSum(1, '0')
    """
    if which not in (0, 1, 2) or isinstance(which, bool):
        raise ValidationError("which", f"{which!r}", expected="0, 1 or 2 (eqs. 7-9)")
    for name, op in (("A", A), ("H", H)):
        require_type(op, (PauliSum, OpMatrix), name, "a PauliSum or OpMatrix")
    if operator_dim(A) != operator_dim(H):
        raise ValidationError("A", f"dimension {operator_dim(A)}, H has dimension {operator_dim(H)}",
                              expected="operators on the same space")
    if isinstance(A, PauliSum) and isinstance(H, PauliSum):
        if len(H) == 1:
            (hk, hc), = H.items()
            return _phi_string(which, A, hk, hc)
        HA_r, HA_i = H.product(A)
        if which == 2:
            AH_r, AH_i = A.product(H)
            return (HA_i - AH_i).scale(Fraction(-1, 2))
        # (HA)H with HA = R + iJ: (R + iJ)H = RH + iJH; real part = Re(RH) - Im(JH)
        RH_r, RH_i = HA_r.product(H)
        JH_r, JH_i = HA_i.product(H)
        hah = RH_r - JH_i
        return (A + hah).scale(Fraction(1, 2)) if which == 0 else (A - hah).scale(Fraction(1, 2))
    A_, H_ = to_opmatrix(A), to_opmatrix(H)
    if which == 2:
        return (H_ @ A_ - A_ @ H_).times_i().scale(Fraction(1, 2))
    hah = H_ @ A_ @ H_
    return (A_ + hah).scale(Fraction(1, 2)) if which == 0 else (A_ - hah).scale(Fraction(1, 2))


def _phi_string(which: int, A: PauliSum, hk, hc) -> PauliSum:
    out = {}
    for k, c in A.items():
        if commutes(hk, k):
            if which == 0:
                out[k] = c
        elif which == 1:
            out[k] = c
        elif which == 2:
            g, r = pauli_product(hk, k)  # H Q = i^g R ; Φ2 = i·HQ = i^{g+1} R
            out[r] = c * hc * (1 if (g + 1) % 4 == 0 else -1)
    return PauliSum(A.n, out)


# --- engines ------------------------------------------------------------------------------

def engine_for(qnn: QNN, observable: Operator) -> str:
    """``"pauli"`` when Pauli propagation applies (all two-level Pauli generators, Pauli rotations
    as fixed gates, Pauli-sum observable), else ``"dense"``."""
    if qnn.is_pauli and isinstance(observable, PauliSum) and all(g.kind == TWO_LEVEL for g in qnn.gates):
        return "pauli"
    return "dense"


def resolve_engine(qnn: QNN, observable: Operator, engine: str = "auto") -> str:
    """The engine to use: ``engine`` checked against the circuit (``"auto"``: :func:`engine_for`).

    Raises
    ------
    ValidationError
        An unknown name, or ``"pauli"`` for a circuit that is not made of Pauli operators.
    """
    if engine not in ("auto", "pauli", "dense"):
        raise ValidationError("engine", f"unknown engine {engine!r}", expected="auto, pauli or dense")
    fits = engine_for(qnn, observable)
    if engine == "pauli" and fits != "pauli":
        mat = [i for i, g in enumerate(qnn.gates) if not isinstance(g.generator, PauliSum)]
        why = (f"generator {mat[0]} is a matrix" if mat else
               "a fixed gate is a unitary matrix" if not qnn.is_pauli else
               "the observable is a matrix" if not isinstance(observable, PauliSum) else "a generator is not two-level")
        raise ValidationError("engine", f"the Pauli engine needs Pauli generators ({why})",
                              expected="two-level Pauli-sum generators, Pauli fixed rotations and a Pauli-sum observable",
                              fix="use engine \"dense\" (or \"auto\") for this circuit")
    return fits if engine == "auto" else engine


def _check_expandable(qnn: QNN):
    for i, g in enumerate(qnn.gates):
        if g.kind == HERMITIAN:
            raise ValidationError(f"qnn.gates[{i}].kind", "a generic Hermitian generator has no finite Fourier expansion",
                                  expected="two-level or integer-spectrum generators",
                                  fix="declare the spectrum, or use the numeric simulator (qnnsym.sim)")


def phi_terms(qnn: QNN, observable: Operator, engine: str = "auto", budget: Budget | None = None) -> dict[Key, Operator]:
    """All non-zero ``Φ_h(M)`` (eq. 10): ``M(θ) = Σ_h Φ_h(M) b_h(θ)`` (eq. 11).

    Parameters
    ----------
    qnn : QNN
    observable : PauliSum or OpMatrix
    engine : {"auto", "pauli", "dense"}

    Returns
    -------
    dict
        ``{h: operator}``, ``h`` a harmonic index per parameterised gate (``ξ`` via :func:`~qnnsym.exact.trigpoly.h_to_xi`).

    Examples
    --------
    >>> q = QNN.from_paulis(["Z0"], 1)
    >>> sorted(phi_terms(q, PauliSum.from_labels(1, {"Y0": 1, "I": 1})).items())
    [((-1,), PauliSum(1, 'X0')), ((0,), PauliSum(1, '1')), ((1,), PauliSum(1, 'Y0'))]
    """
    _check_expandable(qnn)
    engine = resolve_engine(qnn, observable, engine)
    if engine == "pauli":
        flat = _pauli_flat(qnn, observable, budget=budget)
        grouped: dict[Key, dict] = {}
        for (h, k), c in flat.items():
            grouped.setdefault(h, {})[k] = c
        return {h: PauliSum(observable.n, t) for h, t in grouped.items()}
    return _dense_terms(qnn, observable, budget)


def _tick(budget: Budget | None, terms: int, where: str) -> None:
    """One step of a propagation: the time limit, the progress bar, and the memory cap."""
    if terms > MAX_EXPANSION_TERMS:
        raise JobTooLarge("expansion", f"the propagated operator reached {format_count(terms)} terms before {where}",
                          size=terms, limit=MAX_EXPANSION_TERMS,
                          fix="expand fewer gates or a sparser observable/state (the cost grows with the light cone)")
    if budget is not None:
        budget.tick(f"{where}, {terms:,} terms")


def _pauli_flat(qnn: QNN, A: PauliSum, picture: str = "heisenberg",
                budget: Budget | None = None) -> dict[tuple[Key, tuple[int, int]], object]:
    """Pauli propagation: ``{(h, pauli_key): coeff}``.

    ``picture="heisenberg"`` expands ``U†AU`` (gates from last to first, eq. 11);
    ``"schrodinger"`` expands ``UAU†`` (first to last), where ``VAV† = Φ0 + cos Φ1 - sin Φ2``.
    Internally a branch is the 4-tuple ``(cos_mask, sin_mask, x, z)`` of ints (fast to hash).
    """
    sgn = 1 if picture == "heisenberg" else -1
    ops = list(enumerate(qnn.ops))
    gate_index = {}
    for i, o in ops:
        if isinstance(o, Gate):
            gate_index[i] = len(gate_index)
    order = reversed(ops) if picture == "heisenberg" else iter(ops)
    cur: dict[tuple[int, int, int, int], object] = {(0, 0, x, z): c for (x, z), c in A.items()}
    n = A.n
    for i, op in order:
        _tick(budget, len(cur), f"gate {i + 1} of {len(ops)}")
        nxt: dict = {}
        get = nxt.get
        if isinstance(op, Gate):
            bit = 1 << gate_index[i]
            H = op.generator
            if len(H) == 1:
                (hk, hc), = H.items()
                hx, hz = hk
                for key, c in cur.items():
                    cm, sm, x, z = key
                    if ((hx & z) ^ (hz & x)).bit_count() & 1 == 0:
                        nxt[key] = get(key, 0) + c
                    else:
                        k1 = (cm | bit, sm, x, z)
                        nxt[k1] = get(k1, 0) + c
                        g, (rx, rz) = pauli_product(hk, (x, z))
                        k2 = (cm, sm | bit, rx, rz)
                        v = c * hc * sgn
                        nxt[k2] = get(k2, 0) + (v if (g + 1) % 4 == 0 else -v)
            else:
                groups: dict[tuple[int, int], dict] = {}
                for (cm, sm, x, z), c in cur.items():
                    groups.setdefault((cm, sm), {})[(x, z)] = c
                for (cm, sm), t in groups.items():
                    Aop = PauliSum(n, t)
                    for which, (c_add, s_add, f) in ((0, (0, 0, 1)), (1, (bit, 0, 1)), (2, (0, bit, sgn))):
                        for (x, z), c in phi(which, Aop, H).items():
                            key = (cm | c_add, sm | s_add, x, z)
                            nxt[key] = get(key, 0) + c * f
        else:  # fixed Pauli rotation: V†AV = Φ0 + cos2a Φ1 + sin2a Φ2 (Schrödinger: - sin2a)
            (hk, hc), = op.pauli.items()
            hx, hz = hk
            c2, s2 = op.cos2a, op.sin2a * sgn
            for key, c in cur.items():
                cm, sm, x, z = key
                if ((hx & z) ^ (hz & x)).bit_count() & 1 == 0:
                    nxt[key] = get(key, 0) + c
                else:
                    nxt[key] = get(key, 0) + c * c2
                    g, (rx, rz) = pauli_product(hk, (x, z))
                    k2 = (cm, sm, rx, rz)
                    v = c * s2
                    nxt[k2] = get(k2, 0) + (v if (g + 1) % 4 == 0 else -v)
        cur = {key: c for key, c in nxt.items() if c != 0}
    p = len(gate_index)
    out = {}
    for (cm, sm, x, z), c in cur.items():
        h = tuple(1 if (cm >> l) & 1 else (-1 if (sm >> l) & 1 else 0) for l in range(p))
        out[(h, (x, z))] = c
    return out


def _conj_terms(A: OpMatrix, gate: Gate) -> dict[int, OpMatrix]:
    """``V†AV = Σ_j coefficient_j b_j(ω₀θ)`` for one gate: ``{harmonic index j: operator}``."""
    H = to_opmatrix(gate.generator)
    if gate.kind == TWO_LEVEL:
        return {0: phi(0, A, H), 1: phi(1, A, H), -1: phi(2, A, H)}
    P = spectral_projectors(H, gate.spectrum)
    w0 = gate.omega
    psi: dict[int, OpMatrix] = {}
    for Ea, Pa in P.items():
        for Eb, Pb in P.items():
            w = Ea - Eb
            t = Pa @ A @ Pb
            psi[w] = psi[w] + t if w in psi else t
    out = {0: psi[0]}
    for w in sorted(x for x in psi if x > 0):
        j = w // w0
        out[j] = psi[w] + psi[-w]
        out[-j] = (psi[w] - psi[-w]).times_i()
    return out


def _dense_terms(qnn: QNN, observable: Operator, budget: Budget | None = None) -> dict[Key, OpMatrix]:
    exact = qnn.exact and observable.exact
    def dense(op):
        m = to_opmatrix(op)
        return m if exact else OpMatrix(m.dim, arr=m.to_numpy())
    cur: dict[Key, OpMatrix] = {(): dense(observable)}
    for i, op in reversed(list(enumerate(qnn.ops))):
        _tick(budget, len(cur), f"gate {i + 1} of {len(qnn.ops)}")
        nxt: dict[Key, OpMatrix] = {}
        if isinstance(op, Gate):
            g = op if exact else Gate(dense(op.generator), op.kind, op.name, op.field)
            for h, A in cur.items():
                for j, B in _conj_terms(A, g).items():
                    if not B.is_zero(1e-14):
                        nxt[(j,) + h] = B
        elif op.unitary is not None:
            U = dense(op.unitary)
            Ud = U.adjoint()
            nxt = {h: Ud @ A @ U for h, A in cur.items()}
        else:
            P = dense(op.pauli)
            c2, s2 = op.cos2a, op.sin2a
            for h, A in cur.items():
                B = phi(0, A, P) + phi(1, A, P).scale(c2) + phi(2, A, P).scale(s2)
                if not B.is_zero(1e-14):
                    nxt[h] = B
        cur = nxt
    return cur


# --- outputs and loss ---------------------------------------------------------------------------

def output_polys(inst: Instance, engine: str = "auto", picture: str = "auto",
                 budget: Budget | None = None) -> list[TrigPoly]:
    """``f(ρ_k, θ)`` for every sample as exact trigonometric polynomials (eq. 12).

    Parameters
    ----------
    inst : Instance
    engine : {"auto", "pauli", "dense"}
    picture : {"auto", "heisenberg", "schrodinger"}
        Pauli engine only: expand ``M(θ)`` once (eq. 11) and pair it with every ρ_k, or expand
        each ``U ρ_k U†`` and pair it with ``M``; ``auto`` picks the one with fewer starting
        terms.  Both give identical polynomials (a test checks it).
    budget : Budget, optional
        Time limit and progress bar (one tick per gate); the propagation also stops with
        :class:`~qnnsym.errors.JobTooLarge` when an intermediate operator passes
        :data:`MAX_EXPANSION_TERMS` terms.

    Gates sharing parameters (``inst.qnn.tied``) are expanded one variable per gate and the
    polynomials rewritten in the free parameters (:func:`~qnnsym.expansion.tied.substitute_angles`),
    in the largest base frequencies their harmonics allow (:func:`~qnnsym.expansion.tied.common_frequencies`).

    Examples
    --------
    >>> from qnnsym.model.instances import builtin_instance
    >>> f = output_polys(builtin_instance("prop5", p=1))
    >>> [g.to_string() for g in f]
    ['1 - 4/5*cos(2θ1) + 3/5*sin(2θ1)', '1 + 3/10*cos(2θ1) + 2/5*sin(2θ1)']
    """
    require_type(inst, Instance, "instance", "an Instance (e.g. load_instance('prop5', p=2))")
    if inst.qnn.tied:       # shared parameters: expand per gate, then substitute t_g = Σ_l a_gl θ_l
        from .tied import common_frequencies, substitute_angles, untied_instance

        return common_frequencies([substitute_angles(f, inst.qnn)
                                   for f in output_polys(untied_instance(inst), engine, picture, budget)])
    qnn, M = inst.qnn, inst.observable
    _check_expandable(qnn)
    eng = resolve_engine(qnn, M, engine)
    p, omega = qnn.p, qnn.omega
    exact = inst.exact
    states = [s.state for s in inst.dataset.samples]
    polys = []
    if eng == "pauli":
        scale = 2 ** M.n
        pstates = [rho if isinstance(rho, PauliSum) else pauli_sum_from_matrix(rho, M.n, "state") for rho in states]
        if picture == "auto":
            picture = "schrodinger" if sum(len(r) for r in pstates) < len(M) else "heisenberg"
        if picture == "heisenberg":
            index: dict[tuple[int, int], list] = {}
            for (h, k), c in _pauli_flat(qnn, M, budget=budget).items():
                index.setdefault(k, []).append((h, c))
            for rp in pstates:
                acc: dict[Key, object] = {}
                for k, r in rp.items():
                    for h, c in index.get(k, ()):
                        acc[h] = acc.get(h, 0) + r * c
                polys.append(TrigPoly(p, {h: _fix(v * scale, exact) for h, v in acc.items()}, omega))
        elif picture == "schrodinger":
            for rp in pstates:
                acc = {}
                for (h, k), r in _pauli_flat(qnn, rp, "schrodinger", budget).items():
                    c = M.get(k, 0)
                    if c:
                        acc[h] = acc.get(h, 0) + r * c
                polys.append(TrigPoly(p, {h: _fix(v * scale, exact) for h, v in acc.items()}, omega))
        else:
            raise ValidationError("picture", f"{picture!r}", expected="auto, heisenberg or schrodinger")
        return polys
    terms = phi_terms(qnn, M, "dense", budget)
    for rho in states:
        R = to_opmatrix(rho)
        if not exact:
            R = OpMatrix(R.dim, arr=R.to_numpy())
        acc = {}
        for h, A in terms.items():
            v = R.inner(A)
            acc[h] = _real(v, exact)
        polys.append(TrigPoly(p, acc, omega))
    return polys


def output_poly(inst: Instance, k: int, engine: str = "auto") -> TrigPoly:
    """``f(ρ_k, θ)`` of one sample (0-based ``k``)."""
    require_type(inst, Instance, "instance", "an Instance (e.g. load_instance('prop5', p=2))")
    if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < inst.m:
        raise ValidationError("sample", f"{k}", expected=f"a sample index 0..{inst.m - 1}")
    return output_polys(inst, engine)[k]


def loss_poly(inst: Instance, engine: str = "auto", outputs: list[TrigPoly] | None = None) -> TrigPoly:
    """The instance's objective as an exact trigonometric polynomial.

    ``square-loss``: ``L(θ) = (1/m) Σ_k (f(ρ_k, θ) - y_k)²`` (eq. 6); ``weighted-square``:
    ``Σ_k w_k (f_k - y_k)² / Σ_k w_k``; ``expectation``: ``E(θ) = f(ρ, θ)`` itself (eq. 12, Fourier
    degree 1 per gate).  See :class:`~qnnsym.model.data.Objective`.

    Examples
    --------
    >>> from qnnsym.model.instances import builtin_instance
    >>> L = loss_poly(builtin_instance("prop5", p=1))
    >>> L.fourier_degree(), L.degrees()
    (2, (2,))
    """
    require_type(inst, Instance, "instance", "an Instance (e.g. load_instance('prop5', p=2))")
    fs = outputs if outputs is not None else output_polys(inst, engine)
    exact = inst.exact
    obj = inst.objective
    if obj.kind == "expectation":
        return fs[0]
    residuals = [f - _fix(y, exact) for f, y in zip(fs, inst.labels)]
    if obj.kind == "square-loss":
        return TrigPoly.sum_of_squares(residuals, Fraction(1, inst.m) if exact else 1.0 / inst.m)
    groups: dict = {}                                  # one exact pass per distinct weight
    for r, c in zip(residuals, obj.normalised_weights(inst.m)):
        if c:
            groups.setdefault(c if exact else float(c), []).append(r)
    total = None
    for c, rs in groups.items():
        part = TrigPoly.sum_of_squares(rs, c)
        total = part if total is None else total + part
    return total


def _fix(v, exact):
    return Fraction(v) if exact else float(v.real if isinstance(v, complex) else v)


def _real(v, exact):
    if isinstance(v, GaussianRational):
        if v.im != 0:
            raise ValidationError("expansion", "tr(ρ Φ_ξ(M)) is not real (ρ or M not Hermitian)")
        return v.re
    if isinstance(v, complex):
        return v.real
    return Fraction(v) if exact else float(v)
