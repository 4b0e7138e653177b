"""The compiled jet kernel (qnnsym.critical.jetkernel) against the numpy evaluations it replaces, and its build."""
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnnsym.critical import jetkernel
from qnnsym.critical.homotopy import _product_jet, hessian_jet, loss_jet, start_system, system_jet
from qnnsym.exact.krawczyk import jet

needs_kernel = pytest.mark.skipif(jetkernel.load() is None, reason="no C compiler builds the kernel here")


def _close(a, b):
    s = 1 + np.abs(b).max()
    return a.shape == b.shape and np.abs(a - b).max() <= 1e-12 * s


@needs_kernel
@settings(max_examples=40, deadline=None)
@given(shape=st.lists(st.integers(1, 6), min_size=1, max_size=5), n=st.integers(1, 19), seed=st.integers(0, 2 ** 32 - 1),
       order=st.sampled_from([1, 2]))
def test_compiled_jet_equals_the_numpy_jet(shape, n, seed, order):
    # any axis lengths, any number of points (full and partial SIMD blocks), integer and float coefficients
    rng = np.random.default_rng(seed)
    A = rng.integers(-9, 10, size=shape).astype(float) * (1.0 if seed % 2 else rng.random())
    x = rng.normal(size=(n, len(shape))) * 2 + 1j * rng.normal(size=(n, len(shape)))
    v, g, H = jetkernel.compiled_hessian_jet(A, x, order)
    v0, g0, H0 = hessian_jet(A, x, order)
    assert _close(v, v0) and _close(g, g0)
    assert (H is None and H0 is None) if order == 1 else _close(H, H0)


@needs_kernel
def test_compiled_jet_on_a_dense_loss_tensor_and_many_points():
    # the tracker's case: 5^p coefficients, batches of hundreds of points
    rng = np.random.default_rng(0)
    for p in (4, 5):
        A = rng.normal(size=(5,) * p)
        x = rng.normal(size=(203, p)) + 1j * rng.normal(size=(203, p))
        for a, b in zip(jetkernel.compiled_hessian_jet(A, x), hessian_jet(A, x)):
            assert _close(a, b)


def test_the_numpy_fallback(monkeypatch):
    # QNNSYM_JET_KERNEL=numpy: no compiled kernel, loss_jet is hessian_jet
    monkeypatch.setenv(jetkernel.KERNEL_ENV, "numpy")
    jetkernel.load.cache_clear()
    try:
        assert jetkernel.load() is None
        A = np.arange(12.0).reshape(3, 4)
        x = np.array([[0.5 + 1j, -2.0 + 0j]])
        for a, b in zip(loss_jet(A, x), hessian_jet(A, x)):
            assert np.array_equal(a, b)
    finally:
        monkeypatch.delenv(jetkernel.KERNEL_ENV)
        jetkernel.load.cache_clear()


@needs_kernel
@settings(max_examples=30, deadline=None)
@given(p=st.integers(1, 6), n=st.integers(1, 9), seed=st.integers(0, 2 ** 32 - 1))
def test_compiled_start_jet_equals_the_numpy_start_system(p, n, seed):
    # degrees 0 (a factor 1) to 8, at random points and at exact start solutions (one factor per equation is 0)
    rng = np.random.default_rng(seed)
    S = start_system(rng.integers(0, 5, size=(p, p)) * 2, seed=seed)
    x = rng.normal(size=(n, p)) + 1j * rng.normal(size=(n, p))
    starts = S.solutions()
    if len(starts):
        x = np.concatenate([x, starts[:5]])
    G, J = jetkernel.compiled_start_jet(S.e, S.b, x)
    G0, J0 = _product_jet(*S._factors(x, True))
    assert _close(G, G0) and _close(J, J0)


@needs_kernel
@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 5), min_size=1, max_size=4), n=st.integers(1, 11), seed=st.integers(0, 2 ** 32 - 1))
def test_system_jet_equals_the_krawczyk_jet(shape, n, seed):
    # the tensors of a system (as the rotated re-tracking and the endpoint Newton steps use them)
    rng = np.random.default_rng(seed)
    T = rng.normal(size=[len(shape)] + shape)
    x = rng.normal(size=(n, len(shape))) + 1j * rng.normal(size=(n, len(shape)))
    F, J = system_jet(T, x)
    F0, J0 = jet(T, x)
    assert _close(F, F0) and _close(J, J0)
    assert _close(system_jet(T, x, derivative=False)[0], F0)


def test_doctor_reports_the_kernel():
    from qnnsym.cli.doctor import engine_report

    row = next(r for r in engine_report() if r["engine"] == "C compiler (jet kernel)")
    assert row["found"] == ("yes" if jetkernel.load() is not None else "no")


@needs_kernel
@settings(max_examples=30, deadline=None)
@given(p=st.integers(1, 7), n=st.integers(1, 9), seed=st.integers(0, 2 ** 32 - 1))
def test_compiled_solve_equals_numpy(p, n, seed):
    # inverses and solves of random complex matrices, and NaN for exactly singular ones
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, p, p)) + 1j * rng.normal(size=(n, p, p))
    y = rng.normal(size=(n, p)) + 1j * rng.normal(size=(n, p))
    A[0, :, 0] = 0                                     # singular
    X, M = jetkernel.compiled_solve(A, y), jetkernel.compiled_solve(A)
    assert np.isnan(X[0]).all() and np.isnan(M[0]).all()
    if n > 1:
        assert _close(X[1:], np.linalg.solve(A[1:], y[1:, :, None])[..., 0])
        assert _close(M[1:], np.linalg.inv(A[1:]))


@needs_kernel
@settings(max_examples=25, deadline=None)
@given(p=st.integers(1, 5), n=st.integers(1, 11), seed=st.integers(0, 2 ** 32 - 1))
def test_compiled_gradient_system_equals_the_numpy_one(p, n, seed):
    # GradientTarget.jet: the cleared gradient system and its Jacobian, compiled against numpy
    from qnnsym.critical import homotopy, lossjet

    rng = np.random.default_rng(seed)
    G = homotopy.GradientTarget(rng.normal(size=(5,) * p), rng.integers(1, 3, size=p).astype(float),
                                rng.normal(size=p) + 1j * rng.normal(size=p))
    t = rng.normal(size=(n, p)) + 1j * rng.normal(size=(n, p))
    F, J = G.jet(t)
    real = homotopy.fits
    try:
        homotopy.fits = lossjet.fits = lambda shape: False
        F0, J0 = G.jet(t)
    finally:
        homotopy.fits = lossjet.fits = real
    assert _close(F, F0) and _close(J, J0)


def test_a_long_axis_falls_back_to_numpy():
    # an axis longer than MAX_K: loss_jet is the numpy evaluation (the kernel's per-row buffer is fixed-size)
    A = np.random.default_rng(3).normal(size=(jetkernel.MAX_K + 1, 2))
    x = np.array([[0.3 + 0.1j, -1.2 + 0j]])
    assert not jetkernel.fits(A.shape)
    for a, b in zip(loss_jet(A, x), hessian_jet(A, x)):
        assert np.array_equal(a, b)


def test_build_into_a_fresh_cache_and_a_failing_compiler(monkeypatch, tmp_path):
    # a fresh cache folder: the library is compiled there (when a compiler works); a compiler that fails
    # leaves no library and load() is None (the numpy fallback), never an exception
    monkeypatch.setenv("QNNSYM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    try:
        jetkernel.load.cache_clear()
        if jetkernel._compilers():
            lib = jetkernel.load()
            assert lib is not None and lib._name.startswith(str(tmp_path / "cache"))
        monkeypatch.setenv("QNNSYM_CACHE_DIR", str(tmp_path / "other"))
        monkeypatch.setattr(jetkernel, "_compilers", lambda: ["false"])
        jetkernel.load.cache_clear()
        assert jetkernel.load() is None
        assert not list((tmp_path / "other").glob("*.so"))
    finally:
        jetkernel.load.cache_clear()


def test_an_unwritable_cache_builds_in_a_private_folder(monkeypatch, tmp_path):
    # the cache path is a file (cannot be a folder): the library is built in a private mkdtemp folder
    if not jetkernel._compilers():
        pytest.skip("no C compiler here")
    (tmp_path / "cache").write_text("not a folder")
    monkeypatch.setenv("QNNSYM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    try:
        jetkernel.load.cache_clear()
        lib = jetkernel.load()
        folder = os.path.dirname(lib._name)
        assert os.path.basename(folder).startswith("qnnsym-jetkernel-") and os.stat(folder).st_mode & 0o077 == 0
    finally:
        jetkernel.load.cache_clear()
