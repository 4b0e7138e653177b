"""Optimisers for many random starts at once: Adam, RMSProp, gradient descent (vectorised over all
starts) and L-BFGS (``scipy.optimize``, one start at a time, BLAS limited to one thread).

Convergence is explicit and relative to the *label scale* ``s = max(mean_k y_k², 1e-12)`` (the
loss, eq. 6, is quadratic in the labels): a run has converged when ``‖∇L‖_∞ ≤ gtol·s``
(``stop = "gtol"``).  First-order methods use a per-run *reduce-on-plateau* schedule (as
PyTorch's ``ReduceLROnPlateau``): when a run's loss decreased by less than ``ftol·s`` over the last
``window`` iterations (a limit cycle of the normalised steps of Adam/RMSProp), its learning rate is
divided by 10; with no progress after 6 reductions it stops as ``"stalled"``.  Stalled runs and
runs reaching ``max_iter`` are reported as not converged, never silently counted.  scipy's defaults (``gtol = 1e-5`` absolute, ``ftol ≈ 2.2e-9``) stop far too
early on these losses; we pass ``gtol·s`` and ``ftol = 1e-15`` explicitly.
"""
from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field

import numpy as np

from ..errors import ValidationError

__all__ = ["Convergence", "RunResult", "OPTIMIZERS", "DEFAULT_SETTINGS", "minimize_batch", "label_scale",
           "uniform_starts", "single_blas_thread"]

OPTIMIZERS = ("adam", "rmsprop", "gd", "lbfgs")

#: hyper-parameters (justified in docs/experiments.md); lr in radians of θ per step
DEFAULT_SETTINGS = {
    "adam": {"lr": 0.05, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "decay": 200.0},
    "rmsprop": {"lr": 0.02, "alpha": 0.99, "eps": 1e-8, "decay": 200.0},
    "gd": {"lr": None},             # None: 1/(curvature bound), see _gd_lr
    "lbfgs": {"maxcor": 10},
}


@dataclass(frozen=True)
class Convergence:
    """Stopping rule: ``‖∇L‖_∞ ≤ gtol·s`` (``s`` the label scale); plateau test (loss decrease
    below ``ftol·s`` over ``window`` iterations: learning rate ÷10, stalled after 6); ``max_iter``."""

    gtol: float = 1e-7
    ftol: float = 1e-13
    window: int = 100
    max_iter: int = 20000

    def __post_init__(self):
        if not (self.gtol > 0):
            raise ValidationError("gtol", f"{self.gtol}", expected="a positive relative gradient tolerance")
        if int(self.max_iter) < 1:
            raise ValidationError("max_iter", f"{self.max_iter}", expected="a positive integer")


@dataclass
class RunResult:
    """Every run of one optimiser on one instance (arrays indexed by start)."""

    optimizer: str
    theta0: np.ndarray
    theta: np.ndarray
    loss0: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    iterations: np.ndarray
    converged: np.ndarray
    finished: np.ndarray
    stop: np.ndarray
    seconds: float
    settings: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.loss)


def label_scale(labels) -> float:
    """``max(mean y², 1e-12)``: the scale of every tolerance (eq. 6 is quadratic in y)."""
    y = np.asarray(labels, dtype=float)
    return max(float(np.mean(y * y)), 1e-12)


def uniform_starts(n: int, p: int, seed: int | None) -> np.ndarray:
    """``n`` starts uniform in ``[0, 2π]^p`` (the paper's initialisation), reproducible from ``seed``."""
    return np.random.default_rng(seed).uniform(0.0, 2 * np.pi, size=(int(n), int(p)))


@contextlib.contextmanager
def single_blas_thread():
    """Limit BLAS to one thread (many tiny calls: threading costs more than it gains)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:          # pragma: no cover - declared dependency
        yield
        return
    with threadpool_limits(limits=1):
        yield


def _gd_lr(sim) -> float:
    """A safe constant step for gradient descent: ``1/Λ`` with ``Λ`` an upper bound of the
    loss Hessian's spectral radius estimated from random points (×2 margin)."""
    p = sim.p
    th = uniform_starts(64, p, 0)
    H = sim.hessian(th)
    lam = np.abs(np.linalg.eigvalsh(H)).max()
    return 0.5 / max(lam, 1e-12)


def minimize_batch(sim, theta0: np.ndarray, optimizer: str = "adam", conv: Convergence = Convergence(),
                   settings: dict | None = None, progress: bool = True, desc: str = "") -> RunResult:
    """Run ``optimizer`` from every row of ``theta0`` on the simulator ``sim``.

    Parameters
    ----------
    sim : simulator
        Anything with ``p``, ``labels`` and ``loss_and_grad(theta (N, p)) -> (L, G)``
        (see :func:`qnnsym.sim.simulator`).
    theta0 : ndarray, shape (N, p)
    optimizer : {"adam", "rmsprop", "gd", "lbfgs"}
    conv : Convergence
    settings : dict, optional
        Overrides of :data:`DEFAULT_SETTINGS`.
    progress : bool
        tqdm bar on stderr.

    Returns
    -------
    RunResult
        On KeyboardInterrupt the runs done so far are kept: ``finished`` marks them.

    Examples
    --------
    >>> from qnnsym.model.instances import prop5_instance
    >>> from qnnsym.sim import simulator
    >>> sim = simulator(prop5_instance(2))
    >>> res = minimize_batch(sim, uniform_starts(8, 2, seed=1), "adam", progress=False)
    >>> bool(res.converged.all()), bool(np.allclose(res.loss * 4, np.round(res.loss * 4)))   # levels |ζ|/4
    (True, True)
    """
    if optimizer not in OPTIMIZERS:
        raise ValidationError("optimizer", f"{optimizer!r}", expected=", ".join(OPTIMIZERS))
    th0 = np.array(theta0, dtype=float, ndmin=2)
    if th0.shape[1] != sim.p:
        raise ValidationError("theta0", f"shape {th0.shape}", expected=f"(N, {sim.p})")
    cfg = dict(DEFAULT_SETTINGS[optimizer])
    for k, v in (settings or {}).items():
        if k not in cfg:
            raise ValidationError(f"settings.{k}", "unknown setting", expected=f"one of {sorted(cfg)} for {optimizer}")
        cfg[k] = v
    if optimizer == "gd" and cfg["lr"] is None:
        cfg["lr"] = _gd_lr(sim)
    tol = conv.gtol * label_scale(sim.labels)
    t0 = time.perf_counter()
    with single_blas_thread():
        L0, _ = sim.loss_and_grad(th0)
        if optimizer == "lbfgs":
            out = _lbfgs(sim, th0, tol, conv.max_iter, cfg, progress, desc)
        else:
            out = _first_order(sim, th0, optimizer, tol, conv, cfg, progress, desc)
    theta, L, gn, it, stop = out
    conv_ = stop == "gtol"
    fin = stop != ""
    stop = np.where(fin, stop, "interrupted")
    return RunResult(optimizer, th0, theta, L0, L, gn, it, conv_, fin, stop, time.perf_counter() - t0,
                     dict(cfg, gtol=conv.gtol, ftol=conv.ftol, window=conv.window, max_iter=conv.max_iter,
                          tolerance=tol))


def _first_order(sim, th0, kind, tol, cv, cfg, progress, desc):
    from tqdm import tqdm

    N, p = th0.shape
    max_iter = cv.max_iter
    ftol = cv.ftol * tol / cv.gtol
    theta = th0.copy()
    L = np.full(N, np.nan)
    L_ref = np.full(N, np.inf)
    lr_scale = np.ones(N)
    cuts = np.zeros(N, dtype=np.int64)
    gn = np.full(N, np.nan)
    iters = np.zeros(N, dtype=np.int64)
    stop = np.full(N, "", dtype=object)
    active = np.arange(N)
    m1 = np.zeros((N, p))
    v = np.zeros((N, p))
    bar = tqdm(total=N, desc=desc or kind, disable=not progress, leave=False, unit="run")
    try:
        for t in range(max_iter + 1):
            if not len(active):
                break
            th = theta[active]
            La, G = sim.loss_and_grad(th)
            g_inf = np.abs(G).max(axis=1)
            L[active], gn[active], iters[active] = La, g_inf, t
            done = g_inf <= tol
            stop[active[done]] = "gtol"
            if t and t % cv.window == 0:
                flat = ~done & (L_ref[active] - La <= ftol)
                lr_scale[active[flat]] *= 0.1
                cuts[active[flat]] += 1
                dead = flat & (cuts[active] > 6)
                stop[active[dead]] = "stalled"
                done |= dead
                L_ref[active] = La
            if t == max_iter:
                stop[active[~done]] = "max_iter"
                done[:] = True
            if done.any():
                bar.update(int(done.sum()))
                keep = ~done
                active, th, G = active[keep], th[keep], G[keep]
                if not len(active):
                    break
            lr = (cfg["lr"] / (1.0 + t / cfg["decay"]) if "decay" in cfg else cfg["lr"]) * lr_scale[active][:, None]
            if kind == "adam":
                b1, b2 = cfg["beta1"], cfg["beta2"]
                m1[active] = b1 * m1[active] + (1 - b1) * G
                v[active] = b2 * v[active] + (1 - b2) * G * G
                step = lr * (m1[active] / (1 - b1 ** (t + 1))) / (np.sqrt(v[active] / (1 - b2 ** (t + 1))) + cfg["eps"])
            elif kind == "rmsprop":
                a = cfg["alpha"]
                v[active] = a * v[active] + (1 - a) * G * G
                step = lr * G / (np.sqrt(v[active]) + cfg["eps"])
            else:
                step = lr * G
            theta[active] = th - step
    except KeyboardInterrupt:
        pass
    finally:
        bar.close()
    return theta, L, gn, iters, stop


def _lbfgs(sim, th0, tol, max_iter, cfg, progress, desc):
    from scipy.optimize import minimize
    from tqdm import tqdm

    N, p = th0.shape
    theta = th0.copy()
    L = np.full(N, np.nan)
    gn = np.full(N, np.nan)
    iters = np.zeros(N, dtype=np.int64)
    stop = np.full(N, "", dtype=object)

    def fun(x):
        Lx, Gx = sim.loss_and_grad(x[None])
        return float(Lx[0]), Gx[0]

    opts = {"maxiter": max_iter, "gtol": tol, "ftol": 1e-15, "maxcor": cfg["maxcor"], "maxls": 40}
    try:
        for i in tqdm(range(N), desc=desc or "lbfgs", disable=not progress, leave=False, unit="run"):
            r = minimize(fun, th0[i], jac=True, method="L-BFGS-B", options=opts)
            Lx, Gx = fun(r.x)
            theta[i], L[i], gn[i], iters[i] = r.x, Lx, np.abs(Gx).max(), r.nit
            stop[i] = "gtol" if gn[i] <= tol else ("max_iter" if r.nit >= max_iter else "lbfgs:" + str(r.status))
    except KeyboardInterrupt:
        pass
    return theta, L, gn, iters, stop
