"""A block's rational univariate representation, checked and evaluated exactly (python-flint).

The parametrization ``x_i = N_i(u)/D(u)`` is substituted into every equation modulo the eliminant
``q`` (exact division in ``Z[u]``), the linear form separates the roots, the real roots of ``q``
are counted by Descartes' rule with bisection, and each real root is enclosed by interval Newton.
"""
from __future__ import annotations

from fractions import Fraction

__all__ = ["Rur", "PRIMES"]



def _fq(x):
    """A python-flint ``fmpq`` equal to the rational ``x``."""
    import flint

    x = Fraction(x)
    return flint.fmpq(x.numerator, x.denominator)


def _sgn(v) -> int:
    return (v > 0) - (v < 0)


class Rur:
    """A block's rational univariate representation, checked and evaluated exactly."""

    def __init__(self, d: dict, pb: int):
        import flint

        self.pb = pb
        self.q = flint.fmpz_poly([int(c) for c in d["eliminant"]])
        self.qq = flint.fmpq_poly(self.q)
        self.N = [flint.fmpq_poly([_fq(c) for c in n]) for n in d["numerators"]]
        den = d.get("denominator")
        self.D = flint.fmpq_poly([_fq(c) for c in den]) if den else flint.fmpq_poly([1])
        self.lf = None if d.get("linear_form") is None else [int(x) for x in d["linear_form"]]
        if int(d["eliminant"][-1]) == 0 or self.q.degree() < 1:
            raise ValueError("the eliminant's leading coefficient is 0 or it is constant (write q from its constant "
                             "term up to a non-zero leading coefficient, degree ≥ 1)")
        if self.lf is not None and len(self.lf) != 2 * pb:
            raise ValueError(f"{len(self.lf)} linear-form coefficients for {2 * pb} coordinates")
        if self.D.is_zero():
            raise ValueError("the denominator D is the zero polynomial")
        if len(self.N) != 2 * pb:
            raise ValueError(f"{len(self.N)} numerators for {2 * pb} coordinates")
        self._xs: dict = {}

    def coords_mod(self, f):
        """``x_i = N_i · D⁻¹ mod f`` (``D`` invertible mod ``f``), or None if ``gcd(D, f) ≠ 1``."""
        key = str(f)
        if key not in self._xs:
            g, s, _ = self.D.xgcd(f)
            if g.degree() != 0:
                self._xs[key] = None
            else:
                inv = s * (1 / g[0]) if hasattr(g, "__getitem__") else s
                self._xs[key] = [(n * inv) % f for n in self.N]
        return self._xs[key]

    @staticmethod
    def eval_mod(poly: dict, xs, f):
        """A ``cs_terms`` polynomial at ``x = xs`` modulo ``f`` (recursive Horner, one variable at a time)."""
        import flint

        def rec(terms: dict, var: int):
            if var == len(xs):
                return flint.fmpq_poly([_fq(sum(terms.values(), Fraction(0)))])
            groups: dict[int, dict] = {}
            for k, v in terms.items():
                groups.setdefault(k[var], {})[k] = v
            acc = flint.fmpq_poly([])
            for e in range(max(groups), -1, -1):
                acc = (acc * xs[var]) % f
                if e in groups:
                    acc += rec(groups[e], var + 1)
            return acc % f

        return rec(dict(poly), 0) if poly else flint.fmpq_poly([])

    def _integer_form(self):
        """``x_i = M_i / Dz`` with integer polynomials (one common denominator cleared)."""
        import math

        import flint

        if not hasattr(self, "_M"):
            den = math.lcm(1, *(int(c.q) for P in self.N + [self.D] for c in P.coeffs()))
            z = lambda P: flint.fmpz_poly([int(c * den) for c in P.coeffs()])  # noqa: E731
            self._M, self._Dz = [z(P) for P in self.N], z(self.D)
        return self._M, self._Dz

    def denominator_coprime(self) -> bool:
        """``gcd(D, q) = 1``: the denominator vanishes at no root of ``q``."""
        return self._integer_form()[1].gcd(self.q).degree() == 0

    def divides(self, A) -> bool:
        """``q | A`` in ``Z[u]`` (``q`` primitive: the same as in ``Q[u]``), by exact division."""
        if A.is_zero():
            return True
        B = A // self.q
        return self.q * B == A

    def vanishes(self, poly: dict) -> bool:
        """``P(x(u)) ≡ 0 (mod q)`` for a ``cs_terms`` polynomial ``P``, exactly (see :meth:`homogenized`)."""
        return self.divides(self.homogenized(poly))

    def homogenized(self, poly: dict):
        """``A(u) ∈ Z[u]``, a non-zero constant times ``P(x(u))·Dz(u)^k``; ``P(x(α)) = 0`` iff ``A(α) = 0``
        at every root ``α`` of ``q``.

        ``P`` is homogenised pair by pair (``c_l^a s_l^b ↦ M^a M^b Dz^{k_l−a−b}``, ``k_l`` the degree of
        ``P`` in the pair) into an integer polynomial ``A(u)``; since ``gcd(Dz, q) = 1`` (checked
        separately), ``P(x(u)) ≡ 0 mod q`` iff ``q | A``, tested by exact division in ``Z[u]``.  No
        reduction modulo the non-monic ``q`` happens on the way (that would blow up the heights).
        """
        import math

        import flint

        if not poly:
            return flint.fmpz_poly([])
        M, Dz = self._integer_form()
        pb = self.pb
        cden = math.lcm(*(Fraction(v).denominator for v in poly.values()))
        kdeg = [max(k[2 * l] + k[2 * l + 1] for k in poly) for l in range(pb)]
        powc: dict = {}

        def pw(P, key, e):
            if (key, e) not in powc:
                powc[(key, e)] = flint.fmpz_poly([1]) if e == 0 else pw(P, key, e - 1) * P
            return powc[(key, e)]

        def basis(l, a, b):
            return pw(M[2 * l], 2 * l, a) * pw(M[2 * l + 1], 2 * l + 1, b) * pw(Dz, -1, kdeg[l] - a - b)

        def rec(terms: dict, l: int):
            groups: dict = {}
            for k, v in terms.items():
                groups.setdefault((k[2 * l], k[2 * l + 1]), {})[k] = v
            acc = flint.fmpz_poly([])
            for (a, b), g in groups.items():
                if l == pb - 1:
                    c = sum((Fraction(v) for v in g.values()), Fraction(0)) * cden
                    acc += basis(l, a, b) * int(c)
                else:
                    acc += basis(l, a, b) * rec(g, l + 1)
            return acc

        return rec(dict(poly), 0)

    def linear_form_ok(self) -> bool:
        """``Σ λ_i x_i(u) ≡ ±u (mod q)``: distinct roots give distinct points."""
        import flint

        M, Dz = self._integer_form()
        lin = sum((m * int(c) for m, c in zip(M, self.lf)), flint.fmpz_poly([]))
        uD = flint.fmpz_poly([0, 1]) * Dz
        return self.divides(lin - uD) or self.divides(lin + uD)

    def real_root_count(self, intervals=()) -> int:
        """Exact number of real roots of ``q`` (square-free): Descartes' rule of signs with bisection
        (Vincent–Collins–Akritas) in exact integer arithmetic on ``(−B, B)``.

        ``B`` is Cauchy's bound, or ``Σ|λ_i| + 1`` once the parametrization is verified (a real root
        gives a real point, whose coordinates lie on unit circles, and ``u = ±Σ λ_i x_i``).  The line
        is cut at short dyadic numbers between the given ``intervals`` (the certificate's isolating
        intervals: only a hint for speed; the count does not depend on them).  A node is a polynomial
        ``P`` whose roots in ``(0, 1)`` are those of ``q`` in a sub-interval; its count is the number of
        sign variations of ``(x+1)^n P(1/(x+1))`` (0: no root, 1: exactly one); children
        ``2^n P(x/2)`` and its Taylor shift by 1.
        """
        import flint

        n = self.q.degree()
        B = Fraction(sum(abs(x) for x in self.lf) + 1) if self.lf else self.cauchy_bound()
        cuts = [-B]
        srt = sorted((Fraction(a), Fraction(b)) for a, b in intervals)
        for (_, h), (l2, _) in zip(srt, srt[1:]):
            if not h < l2:
                continue
            d = _short_dyadic(h, l2)
            if -B < d < B and d > cuts[-1]:
                cuts.append(d)
        cuts.append(B)
        one = flint.fmpz_poly([1, 1])

        def variations(P) -> int:
            cs = P.coeffs() + [0] * (n + 1 - len(P.coeffs()))
            cs = [c for c in flint.fmpz_poly(list(reversed(cs)))(one).coeffs() if c != 0]
            return sum(1 for x, y in zip(cs, cs[1:]) if (x > 0) != (y > 0))

        count = 0
        for a, b in zip(cuts, cuts[1:]):
            if a != -B and self.qq(_fq(a)) == 0:
                count += 1
            stack = [self.qq(flint.fmpq_poly([_fq(a), _fq(b - a)])).numer()]   # same roots, integer coefficients
            while stack:
                P = stack.pop()
                v = variations(P)
                if v <= 1:
                    count += v
                    continue
                cs = P.coeffs() + [0] * (n + 1 - len(P.coeffs()))
                left = flint.fmpz_poly([int(c) << (n - i) for i, c in enumerate(cs)])   # 2^n P(x/2)
                if sum(int(c) for c in left.coeffs()) == 0:      # P(1/2) = 0: a root at the midpoint
                    count += 1
                stack.append(left)
                stack.append(left(one))
        return count

    def nonsingular(self, jac: list[list[dict]]) -> tuple[bool | None, str]:
        """Whether ``det J(x(α)) ≠ 0`` at **every** root ``α`` of ``q`` (``J`` a square matrix of
        ``cs_terms`` polynomials, e.g. the Hessian of the loss), decided modulo a prime.

        With ``A(u) = det J(x(u)) mod q``: a common factor ``h`` of ``q`` and ``A`` over ``Q`` (take it
        primitive in ``Z[u]``; ``lc(h) | lc(q)``) survives reduction modulo any prime ``ℓ`` that divides
        neither ``lc(q)`` nor a denominator on the way and for which ``gcd(D, q) = 1`` mod ``ℓ`` (Gauss's
        lemma over ``Z_(ℓ)``).  So ``gcd(q̄, Ā) = 1`` over ``F_ℓ`` for one such prime **proves**
        ``gcd(q, A) = 1``.  A non-trivial gcd modulo a prime is inconclusive (``ℓ`` may divide a
        resultant); after every prime of :data:`PRIMES` it is reported as undecided (None).
        """
        import math

        import flint

        M, Dz = self._integer_form()
        dens = math.lcm(1, *(Fraction(v).denominator for row in jac for e in row for v in e.values()))
        for ell in PRIMES:
            if int(self.q.coeffs()[-1]) % ell == 0 or dens % ell == 0:
                continue
            qb = flint.nmod_poly([int(c) % ell for c in self.q.coeffs()], ell)
            Db = flint.nmod_poly([int(c) % ell for c in Dz.coeffs()], ell)
            g, inv, _ = Db.xgcd(qb)
            if g.degree() != 0:
                continue
            inv = inv * pow(int(g.coeffs()[0]), -1, ell)
            xs = [(flint.nmod_poly([int(c) % ell for c in m.coeffs()], ell) * inv) % qb for m in M]
            ev = [[_eval_nmod(e, xs, qb, ell) for e in row] for row in jac]
            det = _det_mod(ev, qb)
            if det.gcd(qb).degree() == 0:
                return True, (f"gcd(q, det J∘x) = 1 modulo the prime {ell} (deg q̄ = deg q), so every root of q "
                              "is a nonsingular solution")
        return None, f"gcd(q, det J∘x) non-trivial modulo {len(PRIMES)} primes: a singular root is possible"

    def cauchy_bound(self) -> Fraction:
        """A power of two ``B`` with every root of ``q`` in ``(−B, B)`` (Cauchy's bound)."""
        cs = [abs(int(c)) for c in self.q.coeffs()]
        bound = 1 + Fraction(max(cs[:-1], default=0), cs[-1])
        B = Fraction(1)
        while B <= bound:
            B *= 2
        return B

    def root_ball(self, lo: Fraction, hi: Fraction, bits: int):
        """An arb ball of radius ``< 2^-bits`` around the unique root of ``q`` in ``[lo, hi]``.

        Interval Newton ``N(X) = m − q(m)/q'(X)``, intersected with ``X`` (every root in ``X`` stays in
        ``N(X) ∩ X``); a bisection step (sign of ``q`` at the dyadic midpoint, exact when the ball
        does not decide it) whenever ``q'(X)`` contains 0.
        """
        import flint

        from ...exact.interval import ball, precision

        if lo == hi:
            return ball(lo)
        prec = 2 * bits + 2 * self.q.height_bits() + 64
        with precision(prec):
            P = flint.arb_poly([flint.arb(int(c)) for c in self.q.coeffs()])
            dP = P.derivative()
            X = ball(lo, hi)
            s_lo = _sgn(self.qq(_fq(lo)))
            target = flint.arb(2) ** (-bits)
            for _ in range(10 * bits + 1000):
                if X.rad() < target:
                    return X
                d = dP(X)
                if d > 0 or d < 0:
                    m = X.mid()
                    X2 = (m - P(m) / d).intersection(X)
                    if X2.rad() < X.rad() * 3 / 4:
                        X = X2
                        continue
                a, b = (Fraction(x) for x in _ball_ends(X))
                mid = (a + b) / 2
                v = P(ball(mid))
                sm = 1 if v > 0 else (-1 if v < 0 else _sgn(self.qq(_fq(mid))))
                if sm == 0:
                    return ball(mid)
                X = ball(a, mid) if sm != s_lo else ball(mid, b)
                s_lo = _sgn(self.qq(_fq(a))) if sm != s_lo else sm
        raise ValueError("root enclosure did not converge")

    def coord_balls(self, lo: Fraction, hi: Fraction, bits: int):
        """Balls around ``(c_1, s_1, …)`` at the root in ``[lo, hi]``, radius about ``2^-bits``."""
        import flint

        from ...exact.interval import precision

        work = bits
        while True:
            u = self.root_ball(lo, hi, work + 16)
            with precision(2 * work + 2 * self.q.height_bits() + 64):
                ev = lambda P: flint.arb_poly([flint.arb(c) for c in P.coeffs()])(u) if not P.is_zero() else flint.arb(0)  # noqa: E731
                den = ev(self.D)
                xs = [ev(n) / den for n in self.N]
            if all(x.is_finite() and x.rad() < flint.arb(2) ** (-bits) for x in xs):
                return xs
            work *= 2
            if work > 1 << 14:
                raise ValueError("coordinates did not converge")


def _short_dyadic(a: Fraction, b: Fraction) -> Fraction:
    """The dyadic rational with the smallest denominator strictly between ``a < b``."""
    if not a < b:
        raise ValueError(f"empty interval ({a}, {b})")
    k = 0
    while True:
        scale = 2 ** k
        cand = Fraction(int((a * scale).__floor__()) + 1, scale)
        if a < cand < b:
            return cand
        k += 1


def _ball_ends(b):
    from ...exact.interval import ball_bounds

    return ball_bounds(b)


#: primes for the modular nonsingularity test (each verified prime by python-flint in the tests)
PRIMES = (4611686018427387847, 9223372036854775783, 2305843009213693951, 4611686018427387817,
          2305843009213693921)


def _eval_nmod(poly: dict, xs, qb, ell):
    """A ``cs_terms`` polynomial (rational coefficients, ``ℓ``-integral) at ``x = xs`` in ``F_ℓ[u]/(q̄)``."""
    import flint

    def rec(terms: dict, var: int):
        if var == len(xs):
            v = sum((Fraction(c) for c in terms.values()), Fraction(0))
            return flint.nmod_poly([v.numerator * pow(v.denominator, -1, ell) % ell], ell)
        groups: dict[int, dict] = {}
        for k, v in terms.items():
            groups.setdefault(k[var], {})[k] = v
        acc = flint.nmod_poly([], ell)
        for e in range(max(groups), -1, -1):
            acc = (acc * xs[var]) % qb
            if e in groups:
                acc += rec(groups[e], var + 1)
        return acc % qb

    return rec(dict(poly), 0) if poly else flint.nmod_poly([], ell)


def _det_mod(m: list, qb):
    """Determinant of a square matrix over ``F_ℓ[u]/(q̄)`` (Laplace expansion; small sizes)."""
    n = len(m)
    if n == 1:
        return m[0][0] % qb
    total = None
    for j in range(n):
        minor = [[m[i][k] for k in range(n) if k != j] for i in range(1, n)]
        t = (m[0][j] * _det_mod(minor, qb)) % qb
        total = t if total is None else (total + t if j % 2 == 0 else total - t)
    return total % qb
