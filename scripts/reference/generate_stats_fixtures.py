"""Regenerate stats/__fixtures__/reference-vectors.json with scipy / statsmodels.

    python3 -m venv /tmp/ef-ref && /tmp/ef-ref/bin/pip install -r scripts/reference/requirements.txt
    /tmp/ef-ref/bin/python scripts/reference/generate_stats_fixtures.py

Large vectors (n=10,000) are not stored: the fixture keeps a generator recipe (seed + parameters)
that stats/__fixtures__/reference-vectors.ts reproduces bit for bit with the same mulberry32 PRNG.
Non-finite numbers are written as the strings "Infinity", "-Infinity" and "NaN".
"""

from __future__ import annotations

import json
import math
import platform
import sys
from pathlib import Path

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import TTestPower

OUT = Path(__file__).resolve().parents[2] / "stats" / "__fixtures__" / "reference-vectors.json"
UINT32 = 0xFFFFFFFF
TWO_POW_32 = 4294967296.0


# ---- shared PRNG and generator recipes (mirrored by stats/prng.ts, stats/reference-generators.ts) ----


def mulberry32(seed: int):
    state = seed & UINT32

    def next_u32() -> int:
        nonlocal state
        state = (state + 0x6D2B79F5) & UINT32
        t = ((state ^ (state >> 15)) * (state | 1)) & UINT32
        t = ((t + (((t ^ (t >> 7)) * (t | 61)) & UINT32)) & UINT32) ^ t
        return (t ^ (t >> 14)) & UINT32

    return next_u32


def quantized_pair(recipe: dict) -> tuple[list[float], list[float]]:
    """Scores in {0, 0.01, ..., 1}: many ties and zeros, like real judge scores."""
    rand = mulberry32(recipe["seed"])
    spread, shift = recipe["spread"], recipe["shift"]
    current, baseline = [], []
    for _ in range(recipe["n"]):
        base = rand() % 101
        noise = (rand() % (2 * spread + 1)) - spread
        cur = min(100, max(0, base + noise + shift))
        current.append(cur / 100)
        baseline.append(base / 100)
    return current, baseline


def uniform_pair(recipe: dict) -> tuple[list[float], list[float]]:
    """Continuous scores without ties: baseline ~ U(0,1), current = baseline + shift + U(-w/2, w/2)."""
    rand = mulberry32(recipe["seed"])
    width, shift = recipe["width"], recipe["shift"]
    current, baseline = [], []
    for _ in range(recipe["n"]):
        base = rand() / TWO_POW_32
        cur = base + shift + (rand() / TWO_POW_32 - 0.5) * width
        current.append(cur)
        baseline.append(base)
    return current, baseline


def quantized_group(recipe: dict) -> list[float]:
    rand = mulberry32(recipe["seed"])
    lo, hi = recipe["low"], recipe["high"]
    return [(lo + rand() % (hi - lo + 1)) / 100 for _ in range(recipe["n"])]


GENERATORS = {"quantized_pair": quantized_pair, "uniform_pair": uniform_pair}


def materialise_pair(case: dict) -> tuple[list[float], list[float]]:
    if "recipe" in case:
        return GENERATORS[case["recipe"]["kind"]](case["recipe"])
    return case["current"], case["baseline"]


def materialise_group(spec) -> list[float]:
    return quantized_group(spec) if isinstance(spec, dict) else spec


# ---- helpers ----


def num(value) -> float | str:
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def wilcoxon_auto_method(d: np.ndarray) -> str:
    """scipy 1.17 method='auto' rules (scipy/stats/_wilcoxon.py)."""
    nonzero = np.abs(d[d != 0])
    has_ties = len(np.unique(nonzero)) < len(nonzero)
    has_zeros = bool(np.any(d == 0))
    if len(d) > 50:
        return "asymptotic"
    if not (has_ties or has_zeros):
        return "exact"
    return "permutation" if len(d) <= 13 else "asymptotic"


def check_wilcoxon_method(d: np.ndarray, method: str, correction: bool, auto_p: float) -> None:
    """The label must reproduce scipy's own choice: rerun with that method explicitly."""
    explicit = stats.PermutationMethod() if method == "permutation" else method
    p = stats.wilcoxon(d, method=explicit, correction=correction).pvalue
    assert (math.isnan(p) and math.isnan(auto_p)) or abs(p - auto_p) < 1e-12, (method, p, auto_p)


def wilcoxon_reference(d: np.ndarray, correction: bool) -> dict:
    """zero_method='wilcox', method='auto'; `correction` is the continuity correction (scipy default False)."""
    res = stats.wilcoxon(d, correction=correction)
    method = wilcoxon_auto_method(d)
    check_wilcoxon_method(d, method, correction, float(res.pvalue))
    out = {"statistic": num(res.statistic), "pvalue": num(res.pvalue), "method": method}
    if method == "asymptotic":
        out["zstatistic"] = num(stats.wilcoxon(d, method="asymptotic", correction=correction).zstatistic)
    return out


def paired_t_reference(current: np.ndarray, baseline: np.ndarray) -> dict:
    res = stats.ttest_rel(current, baseline)
    ci = res.confidence_interval(0.95)
    d = current - baseline
    sd = float(np.std(d, ddof=1))
    return {
        "statistic": num(res.statistic),
        "pvalue": num(res.pvalue),
        "df": num(res.df),
        "mean_difference": num(np.mean(d)),
        "standard_error": num(sd / math.sqrt(len(d))),
        "ci_low": num(ci.low),
        "ci_high": num(ci.high),
        "cohen_dz": num(np.mean(d) / sd) if sd > 0 else "NaN",
    }


def mde_reference(se: float, df: float, alpha: float, power: float) -> float:
    """Bloom's t approximation: (t_{1-alpha/2, df} + t_{power, df}) * SE."""
    return (stats.t.ppf(1 - alpha / 2, df) + stats.t.ppf(power, df)) * se


# ---- cases ----

PAIRED_CASES = [
    {"name": "n=2", "current": [0.5, 0.7], "baseline": [0.4, 0.9]},
    {"name": "n=2 tied absolute differences", "current": [0.6, 0.4], "baseline": [0.5, 0.5]},
    {"name": "n=3 constant shift", "current": [1.0, 2.0, 3.0], "baseline": [0.0, 1.0, 2.0]},
    {
        "name": "n=8 no ties no zeros (exact)",
        "current": [0.91, 0.42, 0.77, 0.65, 0.32, 0.88, 0.51, 0.7],
        "baseline": [0.8, 0.5, 0.7, 0.7, 0.41, 0.6, 0.49, 0.81],
    },
    {
        "name": "n=10 ties (permutation)",
        "current": [1, 0.8, 0.6, 0.9, 0.4, 0.7, 0.8, 0.5, 0.9, 0.3],
        "baseline": [0.8, 0.6, 0.8, 0.7, 0.6, 0.5, 0.6, 0.3, 0.7, 0.5],
    },
    {
        "name": "n=12 zeros and ties (permutation)",
        "current": [0.5, 0.5, 0.75, 0.25, 1, 0.5, 0.75, 0, 0.25, 1, 0.5, 0.75],
        "baseline": [0.5, 0.25, 0.5, 0.25, 0.75, 0.75, 0.25, 0.25, 0.5, 0.5, 0.5, 0.5],
    },
    {"name": "n=13 single non-zero difference", "current": [0.5] * 12 + [0.7], "baseline": [0.5] * 13},
    {
        "name": "n=20 ties and zeros (asymptotic)",
        "current": [0.9, 0.8, 0.8, 0.7, 0.9, 0.6, 0.5, 0.8, 0.7, 0.9, 1, 0.4, 0.6, 0.8, 0.7, 0.7, 0.9, 0.5, 0.6, 0.8],
        "baseline": [0.8, 0.8, 0.9, 0.9, 0.7, 0.7, 0.6, 0.6, 0.7, 0.8, 0.8, 0.6, 0.6, 0.9, 0.9, 0.6, 0.8, 0.7, 0.8, 0.7],
    },
    {"name": "identical runs n=20", "current": [i / 20 for i in range(20)], "baseline": [i / 20 for i in range(20)]},
    {"name": "identical runs n=5", "current": [0.2, 0.4, 0.4, 0.9, 1], "baseline": [0.2, 0.4, 0.4, 0.9, 1]},
    {"name": "n=30 continuous (exact)", "recipe": {"kind": "uniform_pair", "seed": 11, "n": 30, "width": 0.3, "shift": -0.05}},
    {"name": "n=50 continuous (exact boundary)", "recipe": {"kind": "uniform_pair", "seed": 12, "n": 50, "width": 0.3, "shift": 0.02}},
    {"name": "n=51 continuous (asymptotic boundary)", "recipe": {"kind": "uniform_pair", "seed": 13, "n": 51, "width": 0.3, "shift": 0.02}},
    {"name": "n=200 quantized small regression", "recipe": {"kind": "quantized_pair", "seed": 21, "n": 200, "spread": 5, "shift": -1}},
    {"name": "n=10000 quantized regression", "recipe": {"kind": "quantized_pair", "seed": 42, "n": 10000, "spread": 8, "shift": -1}},
    {"name": "n=10000 quantized no shift", "recipe": {"kind": "quantized_pair", "seed": 43, "n": 10000, "spread": 3, "shift": 0}},
    {"name": "n=10000 continuous", "recipe": {"kind": "uniform_pair", "seed": 44, "n": 10000, "width": 0.2, "shift": 0.003}},
]

WELCH_CASES = [
    {"name": "n=2 each", "current": [0.5, 0.7], "baseline": [0.4, 0.9]},
    {
        "name": "unequal sizes",
        "current": [0.82, 0.75, 0.91, 0.66, 0.7, 0.88, 0.79, 0.85, 0.6, 0.73, 0.81, 0.77, 0.9, 0.69, 0.74],
        "baseline": [0.9, 0.84, 0.95, 0.8, 0.77, 0.92, 0.86, 0.81, 0.88, 0.79, 0.93, 0.85, 0.9, 0.82, 0.87, 0.91,
                     0.8, 0.84, 0.89, 0.83, 0.86, 0.94],
    },
    {"name": "identical constant groups", "current": [1, 1, 1], "baseline": [1, 1, 1]},
    {"name": "constant groups differ", "current": [1, 1, 1], "baseline": [0, 0, 0]},
    {"name": "pass/fail vectors", "current": [1] * 30 + [0] * 10, "baseline": [1] * 36 + [0] * 6},
    {"name": "one constant group", "current": [0.5, 0.5, 0.5, 0.5], "baseline": [0.4, 0.6, 0.3, 0.55, 0.45]},
    {
        "name": "n=10000 vs n=9000 quantized",
        "current": {"seed": 101, "n": 10000, "low": 40, "high": 100},
        "baseline": {"seed": 102, "n": 9000, "low": 42, "high": 100},
    },
]

MCNEMAR_CASES = [
    # (current passed, baseline passed) pairs as two 0/1 vectors
    {"name": "some discordant", "current": [1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1],
     "baseline": [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1]},
    {"name": "all pass both", "current": [1] * 25, "baseline": [1] * 25},
    {"name": "all fail both", "current": [0] * 25, "baseline": [0] * 25},
    {"name": "all fail vs all pass", "current": [0] * 12, "baseline": [1] * 12},
    {"name": "balanced discordance", "current": [1, 0, 1, 0, 1, 1], "baseline": [0, 1, 0, 1, 1, 1]},
    {"name": "n=2", "current": [0, 1], "baseline": [1, 1]},
    {"name": "large", "recipe": {"kind": "binary", "seed": 77, "n": 10000, "p_base": 90, "p_flip_down": 6, "p_flip_up": 40}},
]

CLUSTER_CASES = [
    {
        "name": "G=12 K=3 balanced",
        "clusters": [[0.1, 0.0, 0.2], [-0.1, 0.0, -0.2], [0.0, 0.1, 0.1], [0.3, 0.2, 0.2], [-0.1, -0.1, 0.0],
                     [0.0, 0.0, 0.0], [0.2, 0.1, 0.3], [-0.2, -0.3, -0.1], [0.1, 0.1, 0.0], [0.0, -0.1, 0.1],
                     [0.2, 0.3, 0.1], [0.1, 0.0, 0.0]],
    },
    {
        "name": "G=10 unbalanced K in 1..4",
        "clusters": [[0.05], [0.1, -0.05], [0.2, 0.15, 0.1], [-0.1, -0.2, 0.0, -0.05], [0.0, 0.05],
                     [0.3], [0.1, 0.1, 0.2, 0.0], [-0.05, 0.05], [0.15, 0.1, 0.2], [0.0]],
    },
    {"name": "G=2 K=2", "clusters": [[0.1, 0.3], [-0.2, 0.0]]},
    {"name": "K=1 equals paired t", "clusters": [[0.1], [0.25], [-0.05], [0.3], [0.0], [0.12]]},
]

HOLM_CASES = [
    {"name": "three judges", "pvalues": [0.01, 0.04, 0.03]},
    {"name": "ties and clipping", "pvalues": [0.02, 0.02, 0.5, 0.9, 0.0001]},
    {"name": "single", "pvalues": [0.2]},
    {"name": "with ones", "pvalues": [1.0, 0.3, 1.0, 0.001]},
]

MDE_CASES = [
    {"n": n, "sd": sd, "alpha": alpha, "power": power}
    for (n, sd, alpha, power) in [(5, 0.2, 0.05, 0.8), (10, 0.1, 0.05, 0.8), (20, 0.15, 0.05, 0.8),
                                  (50, 0.1, 0.01, 0.9), (100, 0.25, 0.05, 0.8), (1000, 0.3, 0.05, 0.95),
                                  (10000, 0.2, 0.05, 0.8)]
]

BOOTSTRAP_CASES = [
    {"name": "paired n=12", "kind": "paired", "seed": 7, "resamples": 500, "level": 0.95,
     "values": [0.1, -0.05, 0.2, 0.0, 0.15, -0.1, 0.05, 0.3, 0.0, 0.1, -0.2, 0.05]},
    {"name": "two groups", "kind": "two_sample", "seed": 9, "resamples": 400, "level": 0.9,
     "current": [0.8, 0.7, 0.9, 0.65, 0.85, 0.75], "baseline": [0.9, 0.85, 0.8, 0.95, 0.88]},
    {"name": "clusters", "kind": "clustered", "seed": 3, "resamples": 300, "level": 0.95,
     "clusters": [[0.1, 0.0], [0.2, 0.1, 0.3], [-0.1], [0.0, 0.05], [0.15, 0.2], [-0.05, 0.0, 0.1]]},
]


def binary_pair(recipe: dict) -> tuple[list[int], list[int]]:
    rand = mulberry32(recipe["seed"])
    current, baseline = [], []
    for _ in range(recipe["n"]):
        base = 1 if rand() % 100 < recipe["p_base"] else 0
        roll = rand() % 100
        cur = base
        if base == 1 and roll < recipe["p_flip_down"]:
            cur = 0
        elif base == 0 and roll < recipe["p_flip_up"]:
            cur = 1
        current.append(cur)
        baseline.append(base)
    return current, baseline


GENERATORS["binary"] = binary_pair


# ---- bootstrap mirror (same PRNG stream as stats/bootstrap.ts) ----


def draw_index(rand, n: int) -> int:
    return (rand() * n) >> 32


def percentile_ci(replicates: list[float], level: float) -> tuple[float, float]:
    tail = (1 - level) / 2
    return float(np.percentile(replicates, 100 * tail)), float(np.percentile(replicates, 100 * (1 - tail)))


def bootstrap_reference(case: dict) -> tuple[float, float]:
    rand = mulberry32(case["seed"])
    reps = []
    for _ in range(case["resamples"]):
        if case["kind"] == "paired":
            v = case["values"]
            reps.append(math.fsum(v[draw_index(rand, len(v))] for _ in range(len(v))) / len(v))
        elif case["kind"] == "two_sample":
            c, b = case["current"], case["baseline"]
            mc = math.fsum(c[draw_index(rand, len(c))] for _ in range(len(c))) / len(c)
            mb = math.fsum(b[draw_index(rand, len(b))] for _ in range(len(b))) / len(b)
            reps.append(mc - mb)
        else:
            cl = case["clusters"]
            picked = [cl[draw_index(rand, len(cl))] for _ in range(len(cl))]
            flat = [x for c in picked for x in c]
            reps.append(math.fsum(flat) / len(flat))
    return percentile_ci(reps, case["level"])


# ---- build ----


def build_paired() -> list[dict]:
    out = []
    for case in PAIRED_CASES:
        current, baseline = (np.asarray(v, dtype=float) for v in materialise_pair(case))
        d = current - baseline
        expected = {
            "t": paired_t_reference(current, baseline),
            "wilcoxon": wilcoxon_reference(d, correction=True),
            "wilcoxon_uncorrected": wilcoxon_reference(d, correction=False),
        }
        stored = {k: case[k] for k in ("name", "recipe", "current", "baseline") if k in case}
        out.append({**stored, "expected": expected})
    return out


def build_welch() -> list[dict]:
    out = []
    for case in WELCH_CASES:
        current = np.asarray(materialise_group(case["current"]), dtype=float)
        baseline = np.asarray(materialise_group(case["baseline"]), dtype=float)
        res = stats.ttest_ind(current, baseline, equal_var=False)
        ci = res.confidence_interval(0.95)
        n1, n2 = len(current), len(baseline)
        v1, v2 = np.var(current, ddof=1), np.var(baseline, ddof=1)
        pooled = math.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
        diff = float(np.mean(current) - np.mean(baseline))
        out.append({
            "name": case["name"], "current": case["current"], "baseline": case["baseline"],
            "expected": {
                "statistic": num(res.statistic), "pvalue": num(res.pvalue), "df": num(res.df),
                "mean_difference": num(diff), "standard_error": num(math.sqrt(v1 / n1 + v2 / n2)),
                "ci_low": num(ci.low), "ci_high": num(ci.high),
                "cohen_d": num(diff / pooled) if pooled > 0 else "NaN",
            },
        })
    return out


def build_mcnemar() -> list[dict]:
    out = []
    for case in MCNEMAR_CASES:
        current, baseline = materialise_pair(case)
        pairs = list(zip(current, baseline))
        table = [[sum(1 for c, b in pairs if b == 1 and c == 1), sum(1 for c, b in pairs if b == 1 and c == 0)],
                 [sum(1 for c, b in pairs if b == 0 and c == 1), sum(1 for c, b in pairs if b == 0 and c == 0)]]
        res = mcnemar(table, exact=True)
        discordant = table[0][1] + table[1][0]
        if discordant > 0:  # cross-check with scipy's exact binomial test
            assert abs(stats.binomtest(table[0][1], discordant).pvalue - res.pvalue) < 1e-12
        stored = {k: case[k] for k in ("name", "recipe", "current", "baseline") if k in case}
        out.append({**stored, "expected": {"statistic": num(res.statistic), "pvalue": num(res.pvalue),
                                           "baseline_only_passed": table[0][1],
                                           "current_only_passed": table[1][0]}})
    return out


def build_clustered() -> list[dict]:
    out = []
    for case in CLUSTER_CASES:
        y = np.asarray([x for c in case["clusters"] for x in c], dtype=float)
        groups = np.asarray([g for g, c in enumerate(case["clusters"]) for _ in c])
        fit = sm.OLS(y, np.ones((len(y), 1))).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
        ci = fit.conf_int(0.05)[0]
        out.append({**case, "expected": {
            "mean": num(fit.params[0]), "standard_error": num(fit.bse[0]), "statistic": num(fit.tvalues[0]),
            "pvalue": num(fit.pvalues[0]), "df": num(fit.df_resid_inference), "ci_low": num(ci[0]),
            "ci_high": num(ci[1]),
        }})
    return out


def build_holm() -> list[dict]:
    return [{**case, "expected": [num(p) for p in multipletests(case["pvalues"], method="holm")[1]]}
            for case in HOLM_CASES]


def build_mde() -> list[dict]:
    out = []
    for case in MDE_CASES:
        se = case["sd"] / math.sqrt(case["n"])
        exact_dz = TTestPower().solve_power(effect_size=None, nobs=case["n"], alpha=case["alpha"],
                                            power=case["power"], alternative="two-sided")
        out.append({**case, "expected": {
            "mde": num(mde_reference(se, case["n"] - 1, case["alpha"], case["power"])),
            "noncentral_t_mde": num(exact_dz * case["sd"]),
        }})
    return out


def build_bootstrap() -> list[dict]:
    out = []
    for case in BOOTSTRAP_CASES:
        low, high = bootstrap_reference(case)
        out.append({**case, "expected": {"ci_low": num(low), "ci_high": num(high)}})
    return out


def build_comparison() -> dict:
    """Three judges on the same 40 samples, paired t + Holm: the end-to-end reference for compareJudgeScores."""
    judges = []
    for name, seed, shift in [("similarity", 501, -4), ("toxicity", 502, 0), ("quality", 503, 1)]:
        current, baseline = quantized_pair({"seed": seed, "n": 40, "spread": 6, "shift": shift})
        res = stats.ttest_rel(current, baseline)
        judges.append({"judge": name, "recipe": {"kind": "quantized_pair", "seed": seed, "n": 40, "spread": 6,
                                                  "shift": shift},
                       "expected": {"pvalue": num(res.pvalue), "statistic": num(res.statistic)}})
    adjusted = multipletests([float(j["expected"]["pvalue"]) for j in judges], method="holm")[1]
    for judge, p in zip(judges, adjusted):
        judge["expected"]["adjusted_pvalue"] = num(p)
    return {"judges": judges}


def main() -> None:
    fixtures = {
        "generated_with": {"python": platform.python_version(), "scipy": scipy.__version__,
                           "numpy": np.__version__, "statsmodels": statsmodels.__version__},
        "paired": build_paired(),
        "welch": build_welch(),
        "mcnemar": build_mcnemar(),
        "clustered": build_clustered(),
        "holm": build_holm(),
        "mde": build_mde(),
        "bootstrap": build_bootstrap(),
        "comparison": build_comparison(),
        "prng": [{"seed": seed, "first": [r() for r in [mulberry32(seed)] for _ in range(6)]} for seed in (0, 42, 2**32 - 1)],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixtures, indent=1) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
