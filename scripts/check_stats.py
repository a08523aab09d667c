"""Fits the same GEE models with statsmodels and with `leadhub stats gee` on generated
participant-month panels, and compares every reported number to 1e-6.

Run through scripts/check-stats.sh, which makes the virtual environment. Modes:
  check_stats.py check BIN            compare on several generated panels (exit 1 on a difference)
  check_stats.py fixtures BIN DIR     write the panel and statsmodels' results the Rust tests use
  check_stats.py bench BIN            time and peak memory of both on 176 x 19 and 100,000 x 19 rows
"""

import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

TOLERANCE = 1e-6
MONTHS = 19  # the month before referral and 18 after

# name -> (family, outcome, predictors, corr, offset, weights)
MODELS = {
    "binomial_exchangeable": ("binomial", "housed", ["followup", "contacts"], "exchangeable", None, None),
    "binomial_independence_weights": ("binomial", "employed", ["followup", "contacts"], "independence", None, "weight"),
    "poisson_offset": ("poisson", "arrests", ["followup", "contacts"], "exchangeable", "log_days", None),
    "poisson_offset_independence": ("poisson", "arrests", ["followup"], "independence", "log_days", None),
}


def panel(people, seed, months=MONTHS, blanks=True):
    """A synthetic panel: a person effect makes months of one person alike, follow-up months
    and contacts raise the chance of being housed and lower arrests."""
    rng = np.random.default_rng(seed)
    pid = np.repeat(np.arange(people), months)
    month = np.tile(np.arange(months), people)
    followup = (month > 0).astype(float)
    person = rng.normal(0, 1.0, people)[pid]
    contacts = np.where(month == 0, 0, rng.poisson(3.0, people * months)).astype(float)
    housed_p = 1 / (1 + np.exp(-(-1.2 + 0.9 * followup + 0.08 * contacts + person)))
    employed_p = 1 / (1 + np.exp(-(-2.0 + 0.5 * followup + 0.05 * contacts + 0.7 * person)))
    days = rng.integers(10, 32, people * months).astype(float)
    rate = np.exp(-4.0 - 0.6 * followup - 0.02 * contacts + 0.5 * person) * days
    frame = pd.DataFrame({
        "participant": [f"p{i:06d}" for i in pid],
        "month": month,
        "followup": followup,
        "contacts": contacts,
        "housed": rng.binomial(1, housed_p).astype(float),
        "employed": rng.binomial(1, employed_p).astype(float),
        "arrests": rng.poisson(rate).astype(float),
        "log_days": np.log(days),
        "weight": rng.choice([0.5, 1.0, 2.0], people * months),
    })
    if blanks:
        # Unknown statuses are blanks, never "no": a few months of each outcome are unknown.
        for column in ("housed", "employed", "contacts"):
            frame.loc[rng.random(len(frame)) < 0.03, column] = np.nan
    # Rows arrive in no particular order, as an export would give them.
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def statsmodels_fit(frame, model):
    import statsmodels.api as sm

    family, outcome, predictors, corr, offset, weights = model
    used = [outcome, *predictors, "participant"] + [c for c in (offset, weights) if c]
    data = frame[used].dropna().reset_index(drop=True)
    exog = sm.add_constant(data[predictors], prepend=True).rename(columns={"const": "Intercept"})
    fam = sm.families.Binomial() if family == "binomial" else sm.families.Poisson()
    cov = sm.cov_struct.Exchangeable() if corr == "exchangeable" else sm.cov_struct.Independence()
    gee = sm.GEE(
        data[outcome], exog, groups=data["participant"], family=fam, cov_struct=cov,
        offset=data[offset] if offset else None,
        weights=data[weights] if weights else None,
    )
    result = gee.fit(maxiter=100, ctol=1e-10)
    ci = np.exp(result.conf_int())
    params = []
    for name in exog.columns:
        params.append({
            "name": name,
            "coef": float(result.params[name]),
            "se": float(result.bse[name]),
            "z": float(result.tvalues[name]),
            "p": float(result.pvalues[name]),
            "exp": float(np.exp(result.params[name])),
            "ci_low": float(ci.loc[name, 0]),
            "ci_high": float(ci.loc[name, 1]),
        })
    return {
        "n_obs": int(result.nobs),
        "n_clusters": int(data["participant"].nunique()),
        "iterations": len(result.fit_history["params"]),
        "alpha": float(result.cov_struct.dep_params) if corr == "exchangeable" else None,
        "params": params,
    }


def leadhub_args(binary, csv, model, out):
    family, outcome, predictors, corr, offset, weights = model
    args = [binary, "stats", "gee", "--csv", csv, "--outcome", outcome,
            "--predictors", ",".join(predictors), "--cluster", "participant",
            "--family", family, "--corr", corr, "--out", out]
    if offset:
        args += ["--offset", offset]
    if weights:
        args += ["--weights", weights]
    return args


def leadhub_fit(binary, csv, model):
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "result.json")
        subprocess.run(leadhub_args(binary, csv, model, out), check=True, stdout=subprocess.DEVNULL)
        with open(out) as f:
            return json.load(f)


def differences(expected, actual):
    """Every reported number that differs by more than the tolerance (relative for large
    values, absolute near zero)."""
    found = []

    def close(a, b):
        if a is None or b is None:
            return a is b
        return abs(a - b) <= TOLERANCE * max(1.0, abs(a))

    for key in ("n_obs", "n_clusters"):
        if expected[key] != actual[key]:
            found.append(f"{key}: statsmodels {expected[key]}, leadhub {actual[key]}")
    if not close(expected["alpha"], actual["alpha"]):
        found.append(f"alpha: statsmodels {expected['alpha']}, leadhub {actual['alpha']}")
    for e, a in zip(expected["params"], actual["params"], strict=True):
        if e["name"] != a["name"]:
            found.append(f"parameter order: {e['name']} vs {a['name']}")
        for key in ("coef", "se", "z", "p", "exp", "ci_low", "ci_high"):
            if not close(e[key], a[key]):
                found.append(f"{e['name']}.{key}: statsmodels {e[key]!r}, leadhub {a[key]!r}")
    return found


def check(binary):
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        for people, seed in ((176, 1), (176, 2), (60, 3), (500, 4)):
            frame = panel(people, seed)
            csv = os.path.join(work, f"panel_{seed}.csv")
            frame.to_csv(csv, index=False)
            for name, model in MODELS.items():
                expected = statsmodels_fit(frame, model)
                actual = leadhub_fit(binary, csv, model)
                found = differences(expected, actual)
                worst = max(
                    abs(e[k] - a[k]) / max(1.0, abs(e[k]))
                    for e, a in zip(expected["params"], actual["params"])
                    for k in ("coef", "se", "p", "ci_low", "ci_high")
                )
                status = "ok" if not found else "DIFFERS"
                print(f"{status:8} {people:4} people seed {seed} {name:30} "
                      f"largest difference {worst:.1e}; iterations statsmodels "
                      f"{expected['iterations']}, leadhub {actual['iterations']}")
                for line in found:
                    print("         " + line)
                failures += bool(found)
    if failures:
        print(f"{failures} fits differ from statsmodels by more than {TOLERANCE}")
        sys.exit(1)
    print(f"every fit agrees with statsmodels to {TOLERANCE}")


def fixtures(binary, directory):
    os.makedirs(directory, exist_ok=True)
    frame = panel(176, 2026)
    csv = os.path.join(directory, "panel.csv")
    frame.to_csv(csv, index=False)
    expected = {name: statsmodels_fit(frame, model) for name, model in MODELS.items()}
    with open(os.path.join(directory, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    for name, model in MODELS.items():
        found = differences(expected[name], leadhub_fit(binary, csv, model))
        print(f"{name}: {'agrees' if not found else found}")


def timed_child(args):
    """Wall time (s) and peak resident memory (MiB) of a child process, by /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r") as report:
        start = time.perf_counter()
        run = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name, *args],
                             check=True, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        kib = report.read().split()[-1]
    return elapsed, int(kib) / 1024, run.stdout


SM_CHILD = """
import sys, json, pandas as pd
sys.path.insert(0, {here!r})
import check_stats
import time
import statsmodels.api
frame = pd.read_csv({csv!r})
start = time.perf_counter()
check_stats.statsmodels_fit(frame, check_stats.MODELS["binomial_exchangeable"])
print(time.perf_counter() - start)
"""


def bench(binary):
    """Both fits run as fresh processes that read the same CSV: the times include reading the
    file (and, for statsmodels, starting Python and importing it: measured apart)."""
    here = os.path.dirname(os.path.abspath(__file__))
    model = MODELS["binomial_exchangeable"]
    with tempfile.TemporaryDirectory() as work:
        importing = [sys.executable, "-c", "import pandas, statsmodels.api"]
        base, base_mem, _ = min(timed_child(importing) for _ in range(3))
        print(f"python + import statsmodels alone: {base * 1000:.0f} ms, {base_mem:.0f} MiB")
        for people in (176, 100_000):
            frame = panel(people, 7, blanks=False)
            csv = os.path.join(work, "panel.csv")
            frame.to_csv(csv, index=False)
            out = os.path.join(work, "out.json")
            runs = 5 if people < 1000 else 1
            ours = min(timed_child(leadhub_args(binary, csv, model, out)) for _ in range(runs))
            child = [sys.executable, "-c", SM_CHILD.format(here=here, csv=csv)]
            theirs = min(timed_child(child) for _ in range(runs))
            print(f"{people} x {MONTHS} rows, binomial exchangeable (best of {runs}, whole process):")
            print(f"  leadhub stats gee: {ours[0] * 1000:8.0f} ms, peak {ours[1]:6.0f} MiB")
            print(f"  statsmodels GEE:   {theirs[0] * 1000:8.0f} ms, peak {theirs[1]:6.0f} MiB, "
                  f"of which the fit alone {float(theirs[2]) * 1000:.1f} ms")


if __name__ == "__main__":
    mode, binary = sys.argv[1], sys.argv[2]
    if mode == "check":
        check(binary)
    elif mode == "fixtures":
        fixtures(binary, sys.argv[3])
    elif mode == "bench":
        bench(binary)
    else:
        sys.exit(__doc__)
