"""Trains the scikit-learn models of SklearnExportParityTest and what scikit-learn answers.

Usage: sklearn-parity-models.py OUT_DIR

Synthetic data shaped like the service's: five features drawn uniformly from [0, 1.5],
labels drawn from a logistic ground truth; seeded, so every run writes the same models.
Writes into OUT_DIR one joblib file per model and expected.json: the test inputs (some
outside [0, 1.5], negative or large) and, per parity model, predict_proba(x)[:, 1] at full
precision (json writes floats with repr, which round-trips).
"""

import json
import os
import sys

import joblib
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

SEED = 20261203
ROWS = 1500
TRUE_WEIGHTS = np.array([1.5, 0.1, -0.9, 1.2, 0.9])
TRUE_BIAS = -2.0

out = sys.argv[1]
rng = np.random.default_rng(SEED)
x = rng.uniform(0.0, 1.5, size=(ROWS, 5))
p = 1.0 / (1.0 + np.exp(-(TRUE_BIAS + x @ TRUE_WEIGHTS)))
y = (rng.uniform(size=ROWS) < p).astype(int)
# Unscaled features on different ranges, so that folding the scaler matters.
x_wide = x * np.array([1.0, 80.0, 24.0, 1.0, 6.0]) + np.array([0.0, 20.0, 1.0, -0.5, 0.0])

parity = {
    "plain": (LogisticRegression(), x, y),
    "pipeline": (Pipeline([("scale", StandardScaler()), ("logreg", LogisticRegression())]), x_wide, y),
    "pipeline-no-mean": (Pipeline([("scale", StandardScaler(with_mean=False)), ("logreg", LogisticRegression())]),
                         x_wide, y),
    "pipeline-no-std": (Pipeline([("scale", StandardScaler(with_std=False)), ("logreg", LogisticRegression())]),
                        x_wide, y),
    "multinomial": (LogisticRegression(multi_class="multinomial", C=0.5), x, y),
    "string-classes": (LogisticRegression(C=0.1, solver="liblinear"), x, np.where(y == 1, "churn", "stay")),
}
refused = {
    "multiclass": (LogisticRegression(max_iter=1000), x, (x[:, 0] * 2).astype(int)),
    "tree": (DecisionTreeClassifier(max_depth=3, random_state=SEED), x, y),
    "svc": (SVC(probability=True, random_state=SEED), x[:300], y[:300]),
    "four-features": (LogisticRegression(), x[:, :4], y),
    "pipeline-other-step": (Pipeline([("scale", MinMaxScaler()), ("logreg", LogisticRegression())]), x, y),
    "pipeline-three-steps": (Pipeline([("std", StandardScaler()), ("minmax", MinMaxScaler()),
                                       ("logreg", LogisticRegression())]), x, y),
}
for name, (model, features, labels) in {**parity, **refused}.items():
    model.fit(features, labels)
    joblib.dump(model, os.path.join(out, name + ".joblib"))

# As if fitted on a DataFrame with the right columns in the wrong order (the test Python
# need not have pandas).
swapped = LogisticRegression().fit(x, y)
swapped.feature_names_in_ = np.array(["monthly_charges", "support_calls", "contract_length", "usage_decline",
                                      "payment_delays"], dtype=object)
joblib.dump(swapped, os.path.join(out, "swapped-names.joblib"))
named = LogisticRegression().fit(x, y)
named.feature_names_in_ = np.array(["support_calls", "monthly_charges", "contract_length", "usage_decline",
                                    "payment_delays"], dtype=object)
joblib.dump(named, os.path.join(out, "named.joblib"))
joblib.dump({"not": "a model"}, os.path.join(out, "dict.joblib"))
with open(os.path.join(out, "garbage.joblib"), "wb") as f:
    f.write(b"this is not a joblib file\n")

inputs = np.vstack([
    rng.uniform(0.0, 1.5, size=(240, 5)),
    rng.uniform(-2.0, 0.0, size=(20, 5)),
    rng.uniform(1.5, 10.0, size=(20, 5)),
    rng.uniform(-100.0, 100.0, size=(15, 5)),
    np.zeros((1, 5)), np.full((1, 5), 1.5), np.full((1, 5), -1.0), np.full((1, 5), 50.0), np.eye(5)[:1],
])
expected = {"inputs": inputs.tolist(), "probabilities": {}}
for name, (model, _, _) in parity.items():
    # The same raw inputs for every model (the pipelines were trained on wider features:
    # the service sends them unscaled all the same, and the folded scaler must match).
    expected["probabilities"][name] = [float(v) for v in model.predict_proba(inputs)[:, 1]]
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f)

# A holdout CSV for the plain model: a header, then 500 fresh rows.
hx = rng.uniform(0.0, 1.5, size=(500, 5))
hp = 1.0 / (1.0 + np.exp(-(TRUE_BIAS + hx @ TRUE_WEIGHTS)))
hy = (rng.uniform(size=500) < hp).astype(int)
with open(os.path.join(out, "holdout.csv"), "w") as f:
    f.write("support_calls,monthly_charges,contract_length,usage_decline,payment_delays,churned\n")
    for row, label in zip(hx, hy):
        f.write(",".join(repr(float(v)) for v in row) + f",{label}\n")
plain = parity["plain"][0]
expected_holdout = {
    "rows": 500,
    "accuracy": float(accuracy_score(hy, plain.predict(hx))),
    "log_loss": float(log_loss(hy, plain.predict_proba(hx))),
    "auc": float(roc_auc_score(hy, plain.predict_proba(hx)[:, 1])),
}
with open(os.path.join(out, "holdout-expected.json"), "w") as f:
    json.dump(expected_holdout, f)
print("wrote", len(parity) + len(refused) + 4, "models and", len(inputs), "inputs into", out)
