"""The package's shape (docs/architecture.md): the public API and CLI of before the move, one folder
per stage with a layer contract, no import cycles."""
import ast
import importlib
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import qnnsym

#: `qnnsym.__all__` before the move to one folder per stage (issue 10): every name must stay
OLD_ALL = ['BackendUnavailable', 'CertificateError', 'DegenerateError', 'InstanceFileError', 'PositiveDimensionalError', 'QnnsymError', 'TimeBudgetExceeded', 'ValidationError', 'GaussianRational', 'format_scalar', 'parse_scalar', 'PauliSum', 'pauli_sum_from_matrix', 'OpMatrix', 'TrigPoly', 'h_to_xi', 'xi_to_h', 'Dataset', 'FixedGate', 'Gate', 'Instance', 'QNN', 'Sample', 'dense_arrays', 'loss_poly', 'output_poly', 'output_polys', 'phi', 'phi_terms', 'builtin_instance', 'dump_instance', 'instance_from_dict', 'instance_to_dict', 'load_instance', 'prop5_instance', 'run_checks', 'critical_system', 'dense_instance', 'solve_critical', 'CriticalTable', 'classify', 'critical_table', 'independent_blocks', 'interaction_graph', 'simulator', 'minimize_batch', 'run_experiment', 'cayley_qnn', 'haar_qnn', 'independence', 'theorem6_study', 'certify_design', 'integer_spectrum_construction', 'multistart_minima', 'prop5_construction', 'realise_design', 'theorem2_construction', 'critical_certificate', 'write_certificate_json', 'Verdict', 'check_certificate', 'loss_by_interpolation']

#: names added since (issue 11: landscapes and reports)
OLD_ALL += ["blocks_from_table", "minima_saddle_graph", "disconnectivity_tree", "basin_volumes", "analyse", "write_report"]
#: issue 13: extremal landscapes
OLD_ALL += ["search_minima", "minima_bounds", "count_minima", "residual_instance"]
OLD_ALL += ["reduce_loss"]   # issue 24: redundant parameters
#: issue 23: objective kinds
OLD_ALL += ["Objective"]
OLD_ALL += ["global_minimum"]   # issue 24
OLD_ALL += ["degenerate_cover"]   # issues 23, 24: degenerate critical sets by region leaves

#: the command-line verbs (`qnnsym --help`), in order
VERBS = ["expand", "list", "critical", "experiment", "simulate", "independence", "construct", "study", "check", "prove"]
VERBS += ["landscape", "report"]   # issue 11
VERBS += ["import", "export", "doctor"]   # issue 12
VERBS += ["search"]   # issue 13
VERBS.insert(VERBS.index("critical") + 1, "minimize")   # issue 24

STAGES = ["exact", "model", "expansion", "landscape", "critical", "certify", "construct", "sim", "report", "cli"]
PKG = Path(qnnsym.__file__).parent


def test_public_api_is_unchanged():
    assert sorted(qnnsym.__all__) == sorted(OLD_ALL)
    for name in OLD_ALL:
        assert getattr(qnnsym, name) is not None, name


def test_cli_verbs_are_unchanged():
    from qnnsym.cli import build_parser

    ap = build_parser()
    sub = next(a for a in ap._actions if a.__class__.__name__ == "_SubParsersAction")
    assert list(sub.choices) == VERBS


def _modules():
    for info in pkgutil.walk_packages([str(PKG)], prefix="qnnsym."):
        if not info.name.endswith("__main__"):
            yield info.name


def test_every_module_lists_its_public_names():
    for name in _modules():
        mod = importlib.import_module(name)
        assert isinstance(getattr(mod, "__all__", None), list), f"{name} has no __all__"
        for n in mod.__all__:
            assert hasattr(mod, n), f"{name}.__all__ names {n!r}, which it does not define"


def test_every_stage_is_a_documented_package():
    for stage in STAGES:
        mod = importlib.import_module(f"qnnsym.{stage}")
        assert mod.__file__.endswith("__init__.py"), stage
        assert mod.__doc__ and len(mod.__doc__.strip()) > 40, f"qnnsym.{stage} needs a docstring saying what it does"


def _imported_qnnsym_modules(path: Path, modname: str) -> set[str]:
    """Absolute names of the qnnsym modules a file imports (relative imports resolved)."""
    pkg = modname if path.name == "__init__.py" else modname.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
                out.add(".".join(base + ([node.module] if node.module else [])))
            elif node.module and node.module.startswith("qnnsym"):
                out.add(node.module)
    return out


def test_nothing_imports_the_cli():
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG.parent).with_suffix("")
        mod = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        if mod.startswith("qnnsym.cli") or mod == "qnnsym":
            continue
        bad = [m for m in _imported_qnnsym_modules(path, mod) if m == "qnnsym.cli" or m.startswith("qnnsym.cli.")]
        assert not bad, f"{mod} imports the command line {bad}"


def test_modules_stay_small():
    """No module above ~600 lines unless it holds one concept (listed here, with the reason)."""
    one_concept = {}
    for path in PKG.rglob("*.py"):
        n = len(path.read_text().splitlines())
        rel = str(path.relative_to(PKG))
        assert n <= 650 or rel in one_concept, f"{rel}: {n} lines; split it by concept"


def test_layer_contract_holds():
    """The contracts of pyproject.toml (layers, checker independence, no cycles), as CI runs them."""
    exe = shutil.which("lint-imports")
    assert exe, "lint-imports missing: pip install -e '.[test]' (import-linter is in the test extra)"
    r = subprocess.run([exe], cwd=PKG.parent, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "0 broken" in r.stdout


def test_python_dash_m_cli():
    r = subprocess.run([sys.executable, "-m", "qnnsym.cli", "list"], capture_output=True, text=True)
    assert r.returncode == 0 and "prop5" in r.stdout
