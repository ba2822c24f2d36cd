#!/usr/bin/env python3
"""Train the example scikit-learn churn model: what a data scientist's notebook would do.

Usage:
  train-sklearn-example.py [--out DIR] [--seed N] [--rows N]

Draws synthetic customers like the service's own training data (five features uniform in
[0, 1.5], in the service's order; churn labels from a logistic ground truth), fits a
Pipeline(StandardScaler, LogisticRegression) on 75% of them and writes into DIR (default: the
current directory):

  churn.joblib   the fitted pipeline (joblib.dump), the input of scripts/export-sklearn.py
  holdout.csv    the other 25%: a header, then five feature columns and the label

Deterministic for a seed. Needs numpy, scikit-learn and joblib (Debian: python3-sklearn,
python3-joblib). Docs: docs/bring-your-own-model.md.
"""

import argparse
import csv
import os
import sys

FEATURES = ["support_calls", "monthly_charges", "contract_length", "usage_decline", "payment_delays"]
# The ground truth of the service's synthetic data (SyntheticChurnData.java)
TRUE_WEIGHTS = [1.6, 0.8, -1.8, 2.2, 1.2]
TRUE_INTERCEPT = -3.0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=".", help="directory to write churn.joblib and holdout.csv into")
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args(argv)
    try:
        import joblib
        import numpy as np
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
    except ImportError as missing:
        print(f"train-sklearn-example: {missing}; install python3-sklearn python3-joblib", file=sys.stderr)
        return 2
    if args.rows < 20:
        print("train-sklearn-example: --rows must be at least 20", file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)

    rng = np.random.default_rng(args.seed)
    x = rng.uniform(0.0, 1.5, size=(args.rows, len(FEATURES)))
    p = 1.0 / (1.0 + np.exp(-(x @ np.array(TRUE_WEIGHTS) + TRUE_INTERCEPT)))
    y = (rng.uniform(size=args.rows) < p).astype(int)
    split = args.rows * 3 // 4

    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(x[:split], y[:split])
    joblib.dump(model, os.path.join(args.out, "churn.joblib"))
    with open(os.path.join(args.out, "holdout.csv"), "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(FEATURES + ["churned"])
        for row, label in zip(x[split:], y[split:]):
            writer.writerow([repr(float(v)) for v in row] + [int(label)])
    accuracy = model.score(x[split:], y[split:])
    print(f"wrote {os.path.join(args.out, 'churn.joblib')} (trained on {split} rows) and "
          f"{os.path.join(args.out, 'holdout.csv')} ({args.rows - split} rows; holdout accuracy {accuracy:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
