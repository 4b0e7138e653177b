"""Integer-spectrum generators (remark after Proposition 5): ``(2J)^p`` local minima.

Generators ``H = Σ_a E_a P_a`` with integer eigenvalues give frequencies up to the largest
eigen-gap (docs/math.md "Generators with integer spectrum"); the design uses ``sin(J u_l)``.
"""
from __future__ import annotations

from ..errors import ValidationError
from ..exact.opmatrix import OpMatrix
from ..exact.paulis import PauliSum
from ..model.circuit import INTEGER, QNN, Gate, Operator
from ..model.data import Instance
from .construction import Construction
from .designs import MAX_DESIGN_P, angles_from_spec, default_angles, design_p, integer_design
from .realise import realise_design

__all__ = ['integer_spectrum_qnn', 'integer_spectrum_construction', 'integer_spectrum_instance']


# --- integer spectra ------------------------------------------------------------------------------

def _kron(a: OpMatrix, b: OpMatrix) -> OpMatrix:
    import flint

    da, db = a.dim, b.dim
    d = da * db
    re = flint.fmpq_mat(d, d)
    im = flint.fmpq_mat(d, d)
    for i in range(da):
        for j in range(da):
            ar, ai = a.re[i, j], a.im[i, j]
            if ar == 0 and ai == 0:
                continue
            for k in range(db):
                for q in range(db):
                    br, bi = b.re[k, q], b.im[k, q]
                    re[i * db + k, j * db + q] = ar * br - ai * bi
                    im[i * db + k, j * db + q] = ar * bi + ai * br
    return OpMatrix(d, re, im)


def integer_spectrum_qnn(p: int, generator: str = "z1z2") -> tuple[QNN, Operator, int]:
    """Registers with integer-spectrum generators, one per parameter, product observable.

    ``"z1z2"``: ``H_l = Z_a + Z_b`` on qubits ``(2l, 2l+1)`` (spectrum −2, 0, 0, 2: Δ = 4, ω₀ = 2,
    harmonic order J = 2), ``m = I + X_a + X_a X_b``.  ``"spin1"``: ``H_l = S_z = diag(1, 0, −1)`` on a
    qutrit (Δ = 2, ω₀ = 1, J = 2), ``m = I + |0⟩⟨1| + |1⟩⟨0| + |0⟩⟨2| + |2⟩⟨0|``.

    Returns
    -------
    (QNN, M, J)
    """
    p = design_p(p, hi=MAX_DESIGN_P if generator != "spin1" else 6)     # spin1: dense 3^p × 3^p matrices
    if generator == "z1z2":
        n = 2 * p
        gates = tuple(Gate(PauliSum.from_labels(n, {f"Z{2 * l}": 1, f"Z{2 * l + 1}": 1}), INTEGER, field=f"qnn.gates[{l}]")
                      for l in range(p))
        M = PauliSum.identity(n)
        for l in range(p):
            M = M * PauliSum.from_labels(n, {"I": 1, f"X{2 * l}": 1, f"X{2 * l} X{2 * l + 1}": 1})
        return QNN(gates, n_qubits=n), M, 2
    if generator == "spin1":
        sz = OpMatrix.from_rows([[1, 0, 0], [0, 0, 0], [0, 0, -1]])
        m1 = OpMatrix.from_rows([[1, 1, 1], [1, 1, 0], [1, 0, 1]])
        eye = OpMatrix.identity(3)

        def site(op, l):
            out = None
            for k in range(p):
                f = op if k == l else eye
                out = f if out is None else _kron(out, f)
            return out

        M = None
        for l in range(p):
            M = m1 if M is None else _kron(M, m1)
        gates = tuple(Gate(site(sz, l), INTEGER, field=f"qnn.gates[{l}]") for l in range(p))
        return QNN(gates, dim=3 ** p), M, 2
    raise ValidationError("generator", f"{generator!r}", expected="z1z2 or spin1")


def integer_spectrum_construction(p: int = 2, generator: str = "z1z2", theta_star=None, eps="1/8", t="1/8",
                                  kappa=None) -> Construction:
    """``(2J)^p`` minima (``Ω(Δ^p)``), ``(2J)^p − 1`` spurious, for integer-spectrum generators.

    Examples
    --------
    >>> c = integer_spectrum_construction(1, "spin1")
    >>> c.loss_verified, c.certificate.n_minima, c.certificate.certified
    (True, 4, True)
    """
    qnn, M, J = integer_spectrum_qnn(p, generator)
    angles = default_angles(p) if theta_star is None else angles_from_spec(theta_star, p, qnn.omega)
    return realise_design(qnn, M, integer_design(p, J, eps, t), angles, kappa,
                          name=f"integer-spectrum(p={p}, {generator})",
                          description=f"integer-spectrum construction ({generator}, J = {J}): (2J)^p minima")


def integer_spectrum_instance(p: int = 2, generator: str = "z1z2") -> Instance:
    """Integer-spectrum generators (Z1+Z2 or spin-1): (2J)^p minima, Ω(Δ^p).

    Parameters
    ----------
    p : int
        Number of parameters, ``p ≥ 1``.
    generator : str
        ``z1z2`` (``H_l = Z_a + Z_b`` on two qubits, spectrum −2, 0, 0, 2) or ``spin1`` (``S_z = diag(1, 0, −1)``).
    """
    return integer_spectrum_construction(int(p), generator).instance
