"""The compiled loss-jet kernel of the homotopy tracker (docs/math.md "Tracking": "A compiled kernel").

:func:`compiled_hessian_jet` returns what :func:`qnnsym.critical.homotopy.hessian_jet` returns (value,
gradient and Hessian of one real polynomial at complex points) from ``jetkernel.c``: the tensor is
contracted one axis at a time carrying only the derivative slots that are needed, eight points at once in
SIMD vectors.  Measured at dense ``p = 4`` and ``5``: 4–7× faster than the numpy + BLAS evaluation per
point, 2× faster tracking per path.

The C file ships with the package and is compiled on first use by the system C compiler (``$CC``, ``cc``,
``gcc`` or ``clang``; ``-O3 -march=native``) into a per-user cache (``$QNNSYM_CACHE_DIR``, else
``$XDG_CACHE_HOME/qnnsym``, else ``~/.cache/qnnsym``; where that cannot be written, a private temporary
folder of the process), keyed by the source, the compiler and the CPU, so a shared home on machines with
other CPUs gets one library per CPU; it is loaded with :mod:`ctypes` (no dependency).  Where no compiler works, or ``QNNSYM_JET_KERNEL=numpy``, :func:`load` returns ``None`` and
the tracker uses the numpy evaluation: the same numbers to rounding (tests/test_jetkernel.py).  Nothing
trusted uses this kernel (tracking only; endpoints are certified on the exact tensors).
"""
from __future__ import annotations

import ctypes
import functools
import hashlib
import math
import os
import platform
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import numpy as np

__all__ = ["KERNEL_ENV", "LANES", "MAX_K", "START_MAX_P", "fits", "compiled_gradient_system", "compiled_hessian_jet", "compiled_solve",
           "compiled_start_jet", "load"]

#: environment variable: ``numpy`` disables the compiled kernel (the tracker then evaluates with numpy)
KERNEL_ENV = "QNNSYM_JET_KERNEL"
#: points per SIMD vector in ``jetkernel.c``
LANES = 8
_SOURCE = Path(__file__).with_name("jetkernel.c")
_FLAGS = (["-O3", "-march=native"], ["-O3"])


def _cache_dir() -> Path:
    env = os.environ.get("QNNSYM_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "qnnsym"


def _cpu_id() -> str:
    """What the ``-march=native`` code depends on: the machine and its CPU flags."""
    flags = ""
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((line for line in f if line.startswith(("flags", "Features"))), "")
    except OSError:
        pass
    return platform.machine() + platform.system() + flags


def _compilers() -> list[str]:
    names = [os.environ["CC"]] if os.environ.get("CC") else []
    return [c for c in dict.fromkeys(names + ["cc", "gcc", "clang"]) if shutil.which(c.split()[0])]


def _build(cc: str, flags: list[str], target: Path) -> bool:
    """Compile the kernel into ``target`` (written under a temporary name, then renamed: processes that
    compile at the same time each leave a complete library)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".so", dir=target.parent)
    os.close(fd)
    try:
        r = subprocess.run(cc.split() + flags + ["-shared", "-fPIC", "-o", tmp, str(_SOURCE)],
                           capture_output=True, timeout=120)
        if r.returncode != 0:
            return False
        os.replace(tmp, target)
        return True
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@functools.lru_cache(maxsize=None)
def load():
    """The kernel's library (compiled and cached on first use), or ``None`` when it is disabled
    (``QNNSYM_JET_KERNEL=numpy``) or no compiler builds it."""
    if os.environ.get(KERNEL_ENV, "").lower() == "numpy":
        return None
    source = _SOURCE.read_bytes()
    for cc in _compilers():
        for flags in _FLAGS:
            key = hashlib.sha256(b"\0".join([source, cc.encode(), " ".join(flags).encode(),
                                             _cpu_id().encode()])).hexdigest()[:20]
            for folder in (_cache_dir(), None):
                # None: the cache cannot be written or loaded from; then a private folder of this process
                # (mkdtemp, mode 0700: never a shared /tmp path another user could have planted a library in)
                try:
                    path = (folder or Path(tempfile.mkdtemp(prefix="qnnsym-jetkernel-"))) / f"jetkernel-{key}.so"
                    if not path.exists() and not _build(cc, flags, path):
                        break                   # this compiler and these flags fail: try the next
                    lib = ctypes.CDLL(str(path))
                except OSError:
                    continue                    # a folder we cannot write, or a library we cannot load
                i, ptr = ctypes.c_int, ctypes.c_void_p
                for name in ("qnnsym_loss_jet", "qnnsym_start_jet", "qnnsym_gauss_jordan", "qnnsym_gradient_system"):
                    getattr(lib, name).restype = None
                lib.qnnsym_loss_jet.argtypes = [i, ptr, i, ptr, i, ptr, i] + [ptr] * 7
                lib.qnnsym_start_jet.argtypes = [i, i] + [ptr] * 5
                lib.qnnsym_gauss_jordan.argtypes = [i, i, i, ptr, ptr]
                lib.qnnsym_gradient_system.argtypes = [i, i, i, ptr, i, ptr, ptr] + [ptr] * 5
                return lib
    return None


#: longest axis ``qnnsym_loss_jet`` takes (its per-row buffer of the last axis is fixed-size)
MAX_K = 16


def fits(shape) -> bool:
    """Whether the compiled loss kernel takes a coefficient tensor of this shape (and is available)."""
    return 1 <= len(shape) and max(shape) <= MAX_K and load() is not None


@functools.lru_cache(maxsize=None)
def _plan(K: tuple[int, ...], order: int):
    """The level-by-level slot plan of ``jetkernel.c`` for axes ``K``, and where the value, gradient and
    Hessian sit among its final slots."""
    p = len(K)
    ntrip, trip, nslots, slots = [], [], [], [()]
    rows, work = math.prod(K), 0
    for lev in range(p):
        new = []
        for i, c in enumerate(slots):
            for o in range(order + 1 - sum(c)):
                trip += [len(new), i, o]
                new.append((o,) + c)
        rows //= K[p - 1 - lev]
        work = max(work, len(new) * rows)
        ntrip.append(len(new))
        nslots.append(len(new))
        slots = new
    pos = {c: i for i, c in enumerate(slots)}
    unit = [tuple(int(i == j) for j in range(p)) for i in range(p)]
    grad = np.array([pos[u] for u in unit] if order >= 1 else [], dtype=int)
    hess = np.array([[pos[tuple(a + b for a, b in zip(unit[i], unit[k]))] for k in range(p)] for i in range(p)]
                    if order >= 2 else np.zeros((0, 0)), dtype=int)
    ints = lambda v: np.ascontiguousarray(v, dtype=np.int32)  # noqa: E731
    return ints(K), ints(ntrip), ints(trip), ints(nslots), work, pos[(0,) * p], grad, hess


_SCRATCH = threading.local()


def _vectors(n: int) -> np.ndarray:
    """Room for ``n`` SIMD vectors (``LANES`` doubles each), 64-byte aligned: this thread's scratch, grown
    when too small and reused (fresh arrays of this size cost a page fault per 4 KB on every call)."""
    raw = getattr(_SCRATCH, "raw", None)
    if raw is None or raw.size < n * LANES + 8:
        _SCRATCH.raw = raw = np.empty(n * LANES + 8)
    off = (-raw.ctypes.data % 64) // 8
    return raw[off:off + n * LANES]


def _loss_slots(A: np.ndarray, x: np.ndarray, order: int):
    """The final slots of ``qnnsym_loss_jet`` (``(N, S)`` complex) and the plan that places them."""
    K = tuple(int(k) for k in A.shape)
    plan = _plan(K, order)
    Ka, ntrip, trip, nslots, work = plan[:5]
    A = np.ascontiguousarray(A, dtype=np.float64)
    x = np.ascontiguousarray(x, dtype=np.complex128)
    N, p = x.shape[0], len(K)
    out = np.empty((N, int(nslots[-1])), dtype=np.complex128)
    Kmax = max(K)
    nw = p * (order + 1) * Kmax * 2
    scratch = _vectors(nw + 4 * work)                 # powers, then two level buffers, each 64-byte aligned
    w, w0, w1 = (scratch[a * LANES:] for a in (0, nw, nw + 2 * work))
    load().qnnsym_loss_jet(p, Ka.ctypes.data, Kmax, A.ctypes.data, N, x.ctypes.data, order, ntrip.ctypes.data,
                           trip.ctypes.data, nslots.ctypes.data, out.ctypes.data, w.ctypes.data, w0.ctypes.data,
                           w1.ctypes.data)
    return out, plan


def compiled_gradient_system(A: np.ndarray, D: np.ndarray, c: np.ndarray, t: np.ndarray):
    """:meth:`qnnsym.critical.homotopy.GradientTarget.jet` by the compiled kernel: the cleared gradient
    system ``F_l = c_l((1 + t_l²)∂_l L̃ − 2D_l t_l L̃)`` (``(N, p)``) and its Jacobian (``(N, p, p)``) from the
    loss tensor ``A`` at the complex points ``t``.  Requires :func:`fits` of ``A.shape``."""
    slots, plan = _loss_slots(A, t, 2)
    v0, gi, hi = plan[5:]
    N, p = t.shape
    gi32, hi32 = np.ascontiguousarray(gi, dtype=np.int32), np.ascontiguousarray(hi, dtype=np.int32)
    t = np.ascontiguousarray(t, dtype=np.complex128)
    c = np.ascontiguousarray(c, dtype=np.complex128)
    D = np.ascontiguousarray(D, dtype=np.float64)
    F = np.empty((N, p), dtype=np.complex128)
    J = np.empty((N, p, p), dtype=np.complex128)
    load().qnnsym_gradient_system(p, N, slots.shape[1], slots.ctypes.data, int(v0), gi32.ctypes.data,
                                  hi32.ctypes.data, t.ctypes.data, c.ctypes.data, D.ctypes.data, F.ctypes.data,
                                  J.ctypes.data)
    return F, J


def compiled_hessian_jet(A: np.ndarray, x: np.ndarray, order: int = 2):
    """:func:`~qnnsym.critical.lossjet.hessian_jet` by the compiled kernel: ``(value, gradient, Hessian)``
    of the polynomial with real coefficient tensor ``A`` at the complex points ``x`` (``(N, p)``), shapes
    ``(N,)``, ``(N, p)``, ``(N, p, p)`` (``None`` when ``order = 1``).  Requires :func:`fits` of ``A.shape``
    and ``order ≤ 2``.

    >>> import numpy as np
    >>> if load() is None:                      # no C compiler here: the numpy evaluation's numbers
    ...     from qnnsym.critical.homotopy import hessian_jet as compiled_hessian_jet
    >>> A = np.zeros((3, 2)); A[2, 1] = 1.0          # x₀² x₁
    >>> v, g, H = compiled_hessian_jet(A, np.array([[2.0 + 0j, 3.0 + 0j]]))
    >>> v.real.tolist(), g.real.tolist(), H.real.tolist()
    ([12.0], [[12.0, 4.0]], [[[6.0, 4.0], [4.0, 0.0]]])
    """
    out, plan = _loss_slots(A, x, order)
    v0, gi, hi = plan[5:]
    return out[:, v0], out[:, gi], (out[:, hi] if order >= 2 else None)


#: most coordinates :func:`compiled_start_jet` and :func:`compiled_solve` take (fixed-size arrays per point)
START_MAX_P = 32


def compiled_start_jet(e: np.ndarray, b: np.ndarray, x: np.ndarray):
    """``G_l(x) = Π_j (x_j^{e_lj} − b_lj)`` (a factor 1 where ``e_lj = 0``) and its Jacobian at the complex
    points ``x`` (``(N, p)``), by the compiled kernel: :meth:`qnnsym.critical.homotopy.StartSystem.evaluate`.
    Requires :func:`load` not ``None`` and ``p ≤`` :data:`START_MAX_P`.

    >>> import numpy as np
    >>> if load() is not None:
    ...     G, J = compiled_start_jet(np.array([[2]]), np.array([[1.0 + 0j]]), np.array([[3.0 + 0j]]))
    ...     print(G.real.tolist(), J.real.tolist())
    ... else:
    ...     print([[8.0]], [[[6.0]]])
    [[8.0]] [[[6.0]]]
    """
    x = np.ascontiguousarray(x, dtype=np.complex128)
    N, p = x.shape
    e = np.ascontiguousarray(e, dtype=np.int32)
    b = np.ascontiguousarray(b, dtype=np.complex128)
    G = np.empty((N, p), dtype=np.complex128)
    J = np.empty((N, p, p), dtype=np.complex128)
    load().qnnsym_start_jet(p, N, e.ctypes.data, b.ctypes.data, x.ctypes.data, G.ctypes.data, J.ctypes.data)
    return G, J


def compiled_solve(A: np.ndarray, B: np.ndarray | None = None) -> np.ndarray:
    """``A[n]⁻¹ B[n]`` for a stack of complex ``p × p`` matrices ``A`` (``(N, p, p)``) and right-hand sides ``B``
    (``(N, p)`` or ``(N, p, m)``; ``None``: the inverses), by Gauss–Jordan elimination with partial pivoting in
    the compiled kernel; a singular matrix gives NaNs.  Requires :func:`load` not ``None`` and ``p ≤``
    :data:`START_MAX_P`.

    >>> import numpy as np
    >>> A = np.array([[[0, 2], [1, 1j]], [[1, 2], [2, 4]]], dtype=complex)    # the second is singular
    >>> if load() is not None:
    ...     X = compiled_solve(A, np.array([[2, 1], [1, 1]], dtype=complex))
    ... else:
    ...     X = np.array([[1 - 1j, 1], [np.nan, np.nan]])
    >>> X[0].tolist(), bool(np.isnan(X[1]).all())
    ([(1-1j), (1+0j)], True)
    """
    A = np.ascontiguousarray(A, dtype=np.complex128)
    N, p = A.shape[0], A.shape[1]
    if B is None:
        X = np.zeros((N, p, p), dtype=np.complex128)
        X[:, np.arange(p), np.arange(p)] = 1
    else:
        X = np.array(B, dtype=np.complex128, order="C")
    m = 1 if X.ndim == 2 else X.shape[2]
    load().qnnsym_gauss_jordan(p, N, m, A.ctypes.data, X.ctypes.data)
    return X
