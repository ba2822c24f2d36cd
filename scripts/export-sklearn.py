#!/usr/bin/env python3
"""Export a fitted scikit-learn logistic regression as an ml-canary portable model.

Usage:
  export-sklearn.py MODEL.joblib --version V [--out DIR] [--force]
                    [--description TEXT] [--holdout CSV] [--trained-at ISO]

MODEL.joblib holds a fitted binary sklearn.linear_model.LogisticRegression, or a
sklearn.pipeline.Pipeline of exactly a StandardScaler then a LogisticRegression (the
scaler is folded into the coefficients). The exporter writes into DIR (default: models,
relative to the current directory, as the service's canary.model-dir):

  model_<V>.logreg.json  the portable document (docs/model-format.md)
  model_<V>.json         its manifest, with the document's SHA-256

Both are written atomically, the document first. It loads MODEL.joblib with joblib.load,
which runs code from the file: export only files you trust (your own). The service never
unpickles: it reads the JSON document.

A refusal is one line on stderr, "export-sklearn: <reason>", and exit status 2.
Docs: docs/bring-your-own-model.md.
"""

import argparse
import csv
import datetime
import hashlib
import json
import math
import os
import re
import sys
import tempfile
import warnings

EXPORTER = "export-sklearn.py 1"
FORMAT = "ml-canary-logistic-regression"
FORMAT_VERSION = 1
FEATURE_NAMES = ["support_calls", "monthly_charges", "contract_length", "usage_decline", "payment_delays"]
VERSION_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MAX_DESCRIPTION = 1000
MAX_PROVENANCE_STRING = 200  # and class names, as the service's reader
# The exporter checks its own arithmetic: the exported coefficients must reproduce the
# model's predict_proba on probe inputs within this (the parity test in CI holds the
# service to 1e-9 as well).
SELF_CHECK_TOLERANCE = 1e-9


class Refusal(Exception):
    """A reason not to export, printed as one line."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise Refusal(message + " (see --help)")


def parse_args(argv):
    parser = Parser(
        prog="export-sklearn.py",
        description="Export a fitted scikit-learn LogisticRegression (or StandardScaler + LogisticRegression "
        "pipeline) as an ml-canary portable model document and manifest.",
    )
    parser.add_argument("model", metavar="MODEL.joblib", help="the joblib file of the fitted model")
    parser.add_argument("--version", required=True, help="the version name to deploy it under, e.g. v4")
    parser.add_argument("--out", default="models", metavar="DIR",
                        help="the model directory to write into (default: models, relative to the current directory)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite a version this exporter wrote before (never a bundled Smile model)")
    parser.add_argument("--description", help="what this version is, up to 1000 characters")
    parser.add_argument("--holdout", metavar="CSV",
                        help="held-out rows: the five features in the service's order, then the label; header optional")
    parser.add_argument("--trained-at", metavar="ISO",
                        help="when the model was trained, an ISO-8601 time with an offset or Z (default: now)")
    return parser.parse_args(argv)


def one_line(text):
    return " ".join(str(text).split())


def describe(obj):
    cls = type(obj)
    if cls.__module__ == "builtins":
        return f"a {cls.__qualname__}"
    return cls.__module__ + "." + cls.__qualname__


def load_model(path):
    if not os.path.isfile(path):
        raise Refusal(f"{path} is not a file")
    try:
        import joblib
    except ImportError as ex:
        raise Refusal(f"this Python has no joblib ({one_line(ex)}); use one with scikit-learn and joblib, "
                      "e.g. Debian's /usr/bin/python3 with python3-sklearn python3-joblib")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = joblib.load(path)
        except Exception as ex:  # any failure to unpickle is a refusal, not a traceback
            raise Refusal(f"cannot load {path} (not a joblib file?): {type(ex).__name__}: {one_line(ex)}")
    for w in caught:
        # e.g. a model pickled by another scikit-learn version; the self-check below
        # still verifies the exported numbers against this model's predict_proba.
        print(f"export-sklearn: warning: {one_line(w.message)}", file=sys.stderr)
    return model


def unpack(model):
    """(scaler or None, logistic regression, estimator description) or a refusal."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    # Exact types: a subclass may compute its probabilities differently.
    if type(model) is LogisticRegression:
        return None, model, "LogisticRegression"
    if type(model) is Pipeline:
        steps = [step for _, step in model.steps]
        shape = ", ".join(describe_step(s) for s in steps)
        if len(steps) == 2 and type(steps[0]) is StandardScaler and type(steps[1]) is LogisticRegression:
            return steps[0], steps[1], "Pipeline(StandardScaler, LogisticRegression)"
        raise Refusal(f"Pipeline({shape}) is not supported: only a LogisticRegression or a Pipeline of exactly "
                      "a StandardScaler then a LogisticRegression")
    raise Refusal(f"{describe(model)} is not supported: only a LogisticRegression or a Pipeline of exactly "
                  "a StandardScaler then a LogisticRegression")


def describe_step(step):
    if step is None or isinstance(step, str):
        return repr(step)
    return type(step).__name__


def check_feature_names(*estimators):
    for est in estimators:
        names = getattr(est, "feature_names_in_", None)
        if names is None:
            continue
        names = [str(n) for n in names]
        if names != FEATURE_NAMES:
            raise Refusal(f"the model was trained on the features {names}; the service serves "
                          f"{FEATURE_NAMES}, in this order")


def fold(scaler, lr):
    """The intercept and five coefficients of sigmoid(intercept + coefficients . x)."""
    import numpy as np

    if not hasattr(lr, "coef_") or not hasattr(lr, "classes_"):
        raise Refusal("the LogisticRegression is not fitted")
    classes = list(lr.classes_)
    if len(classes) != 2:
        raise Refusal(f"the model has {len(classes)} classes ({', '.join(str(c) for c in classes)}); "
                      "the service serves binary models (2 classes)")
    n_features = getattr(lr, "n_features_in_", None)
    if scaler is not None:
        if not hasattr(scaler, "n_features_in_"):
            raise Refusal("the StandardScaler is not fitted")
        n_features = scaler.n_features_in_
    if n_features != len(FEATURE_NAMES) or lr.coef_.shape != (1, len(FEATURE_NAMES)):
        raise Refusal(f"the model takes {n_features} features; the service serves models of "
                      f"{len(FEATURE_NAMES)} ({', '.join(FEATURE_NAMES)})")

    w = np.asarray(lr.coef_, dtype=np.float64).reshape(-1)
    b = float(np.asarray(lr.intercept_, dtype=np.float64).reshape(-1)[0]) if np.size(lr.intercept_) else 0.0
    if not (np.all(np.isfinite(w)) and math.isfinite(b)):
        raise Refusal("the model has non-finite coefficients or intercept")

    # A binary model fitted as multinomial answers softmax([-z, z]) = sigmoid(2z), as
    # scikit-learn's predict_proba computes it.
    multi_class = getattr(lr, "multi_class", "auto")
    ovr = multi_class in ("ovr", "warn") or (
        multi_class == "auto" and (len(classes) <= 2 or lr.solver in ("liblinear", "newton-cholesky")))
    if not ovr:
        w = w * 2.0
        b = b * 2.0

    if scaler is not None:
        # x' = (x - mean) / scale, so w . x' + b = (w / scale) . x + (b - sum(w * mean / scale)).
        scale = np.ones_like(w)
        if scaler.with_std and scaler.scale_ is not None:
            scale = np.asarray(scaler.scale_, dtype=np.float64)
        mean = np.zeros_like(w)
        if scaler.with_mean and scaler.mean_ is not None:
            mean = np.asarray(scaler.mean_, dtype=np.float64)
        if not (np.all(np.isfinite(scale)) and np.all(scale != 0) and np.all(np.isfinite(mean))):
            raise Refusal("the StandardScaler has non-finite or zero scale or mean")
        b = float(b - np.sum(w * mean / scale))
        w = w / scale
        if not (np.all(np.isfinite(w)) and math.isfinite(b)):
            raise Refusal("folding the StandardScaler gives non-finite coefficients")
    return b, [float(v) for v in w], classes


def self_check(model, intercept, coefficients):
    """The exported numbers must reproduce predict_proba, or nothing is written."""
    import numpy as np

    rng = np.random.default_rng(20261203)
    probes = np.vstack([
        np.zeros((1, 5)), np.eye(5), np.full((1, 5), 1.5),
        rng.uniform(0.0, 1.5, size=(40, 5)), rng.uniform(-3.0, 5.0, size=(20, 5)),
    ])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. "X does not have valid feature names"
        expected = model.predict_proba(probes)[:, 1]
    z = intercept + probes @ np.asarray(coefficients)
    actual = 1.0 / (1.0 + np.exp(-z))
    diff = float(np.max(np.abs(actual - expected)))
    if not diff <= SELF_CHECK_TOLERANCE:
        raise Refusal(f"the exported coefficients do not reproduce the model's predict_proba "
                      f"(max difference {diff:.3g}); this estimator is not supported")


def parse_trained_at(text):
    if text is None:
        moment = datetime.datetime.now(datetime.timezone.utc)
    else:
        value = text.strip()
        if value.endswith(("Z", "z")):
            value = value[:-1] + "+00:00"
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise Refusal(f"--trained-at {text!r} is not an ISO-8601 time (e.g. 2026-12-03T07:00:00Z)")
        if moment.tzinfo is None:
            raise Refusal(f"--trained-at {text!r} has no offset; add Z or e.g. +01:00")
    return moment.astimezone(datetime.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_holdout(path, classes):
    """(features, labels) from the CSV; labels are values of classes (matched by str())."""
    import numpy as np

    by_name = {str(c): c for c in classes}
    rows, labels = [], []
    try:
        with open(path, newline="", encoding="utf-8") as f:
            for number, row in enumerate(csv.reader(f), start=1):
                if not row or all(not cell.strip() for cell in row):
                    continue
                cells = [cell.strip() for cell in row]
                if number == 1 and not all(is_number(c) for c in cells[:5]):
                    if cells[:5] != FEATURE_NAMES or len(cells) != 6:
                        raise Refusal(f"holdout {path}: a header must be {','.join(FEATURE_NAMES)},<label>; "
                                      f"found {','.join(cells)}")
                    continue
                if len(cells) != 6:
                    raise Refusal(f"holdout {path} line {number}: {len(cells)} columns; expected 6 "
                                  "(the five features, then the label)")
                try:
                    values = [float(c) for c in cells[:5]]
                except ValueError:
                    raise Refusal(f"holdout {path} line {number}: a feature is not a number")
                if not all(math.isfinite(v) for v in values):
                    raise Refusal(f"holdout {path} line {number}: a feature is not finite")
                label = label_of(cells[5], by_name, classes)
                if label is None:
                    raise Refusal(f"holdout {path} line {number}: label {cells[5]!r} is not one of the model's "
                                  f"classes ({', '.join(by_name)})")
                rows.append(values)
                labels.append(label)
    except OSError as ex:
        raise Refusal(f"cannot read holdout {path}: {one_line(ex.strerror or ex)}")
    except UnicodeDecodeError:
        raise Refusal(f"holdout {path} is not UTF-8 text")
    if not rows:
        raise Refusal(f"holdout {path} has no rows")
    return np.asarray(rows, dtype=np.float64), np.asarray(labels, dtype=np.asarray(classes).dtype)


def is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def label_of(cell, by_name, classes):
    if cell in by_name:
        return by_name[cell]
    if is_number(cell):  # "1.0" for the class 1
        for c in classes:
            if isinstance(c, (int, float)) or hasattr(c, "dtype") and c.dtype.kind in "iuf":
                if float(c) == float(cell):
                    return c
    return None


def holdout_metrics(model, x, y, classes):
    from sklearn.metrics import accuracy_score, log_loss, roc_auc_score

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proba = model.predict_proba(x)
        predicted = model.predict(x)
    metrics = {
        "rows": int(len(y)),
        "accuracy": float(accuracy_score(y, predicted)),
        "log_loss": float(log_loss(y, proba, labels=list(classes))),
    }
    positive = (y == classes[1])
    if positive.any() and not positive.all():
        metrics["auc"] = float(roc_auc_score(positive, proba[:, 1]))
    else:
        # AUC needs both classes; it is left out rather than made up.
        print("export-sklearn: warning: the holdout rows hold one class only; no AUC", file=sys.stderr)
    return metrics


def check_target(out, version, force):
    if not os.path.isdir(out):
        raise Refusal(f"--out {out} is not a directory")
    manifest_path = os.path.join(out, f"model_{version}.json")
    document_path = os.path.join(out, f"model_{version}.logreg.json")
    existing = [p for p in (manifest_path, document_path) if os.path.lexists(p)]
    if not existing:
        return manifest_path, document_path
    if not force:
        raise Refusal(f"version {version} already exists in {out} ({', '.join(os.path.basename(p) for p in existing)});"
                      " choose another version or pass --force to replace a model this exporter wrote")
    if os.path.lexists(manifest_path):
        written_by_us = False
        uploaded = False
        try:
            with open(manifest_path, encoding="utf-8") as f:
                manifest = json.load(f)
            written_by_us = manifest.get("model_format") == FORMAT
            uploaded = manifest.get("uploaded_at") is not None
        except (OSError, ValueError, AttributeError):
            pass
        if uploaded:
            raise Refusal(f"version {version} in {out} was uploaded through POST /admin/models; --force does not "
                          "replace it")
        if not written_by_us:
            raise Refusal(f"version {version} in {out} is not a model this exporter wrote (its manifest has no "
                          f"\"model_format\": \"{FORMAT}\"); --force does not replace it")
    else:
        try:
            with open(document_path, encoding="utf-8") as f:
                written_by_us = json.load(f).get("format") == FORMAT
        except (OSError, ValueError, AttributeError):
            written_by_us = False
        if not written_by_us:
            raise Refusal(f"{document_path} is not a document this exporter wrote; --force does not replace it")
    return manifest_path, document_path


def to_json_bytes(obj):
    # float repr round-trips every double exactly; NaN and Infinity are refused.
    return (json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def write_atomically(path, data):
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


def export(args):
    if not VERSION_PATTERN.fullmatch(args.version):
        raise Refusal(f"version {args.version!r} is invalid: 1-64 letters, digits, '.', '_' or '-', "
                      "starting with a letter or digit")
    if args.description is not None and len(args.description) > MAX_DESCRIPTION:
        raise Refusal(f"--description is {len(args.description)} characters; at most {MAX_DESCRIPTION}")
    trained_at = parse_trained_at(args.trained_at)
    manifest_path, document_path = check_target(args.out, args.version, args.force)

    model = load_model(args.model)
    scaler, lr, estimator = unpack(model)
    check_feature_names(*[e for e in (model, scaler, lr) if e is not None])
    intercept, coefficients, classes = fold(scaler, lr)
    class_names = [str(c) for c in classes]
    if (any(not name or len(name) > MAX_PROVENANCE_STRING for name in class_names)
            or class_names[0] == class_names[1]):
        raise Refusal(f"the classes {class_names} must be two distinct, non-empty strings of at most "
                      f"{MAX_PROVENANCE_STRING} characters")
    self_check(model, intercept, coefficients)
    holdout = None
    if args.holdout is not None:
        x, y = read_holdout(args.holdout, classes)
        holdout = holdout_metrics(model, x, y, classes)

    import sklearn

    description = args.description
    if description is None:
        description = f"scikit-learn {estimator} exported from {os.path.basename(args.model)}."[:MAX_DESCRIPTION]
    provenance = {
        "library": "scikit-learn",
        "library_version": sklearn.__version__[:MAX_PROVENANCE_STRING],
        "estimator": estimator,
        "trained_at": trained_at,
    }
    if holdout is not None:
        provenance["holdout"] = holdout
    provenance["exporter"] = EXPORTER
    provenance["description"] = description
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "version": args.version,
        "feature_names": FEATURE_NAMES,
        "intercept": intercept,
        "coefficients": coefficients,
        "classes": class_names,
        "provenance": provenance,
    }
    document_bytes = to_json_bytes(document)
    document_file = os.path.basename(document_path)
    manifest = {
        "version": args.version,
        "algorithm": f"scikit-learn {sklearn.__version__} {estimator}",
        "model_format": FORMAT,
        "model_file": document_file,
        "sha256": hashlib.sha256(document_bytes).hexdigest(),
        "feature_names": FEATURE_NAMES,
        "created_at": trained_at,
        "seed": None,
        "training_rows": None,
        "holdout_rows": holdout["rows"] if holdout else None,
        "holdout_accuracy": holdout["accuracy"] if holdout else None,
        "holdout_log_loss": holdout["log_loss"] if holdout else None,
        "holdout_auc": holdout.get("auc") if holdout else None,
        "description": description,
    }
    # The document first: a manifest never names a file that is not there yet.
    write_atomically(document_path, document_bytes)
    write_atomically(manifest_path, to_json_bytes(manifest))

    print(f"wrote {document_path} ({estimator}, classes {class_names[0]!r}/{class_names[1]!r}, "
          f"sha256 {manifest['sha256']})")
    print(f"wrote {manifest_path}")
    if holdout is not None:
        auc = f"{holdout['auc']:.4f}" if "auc" in holdout else "n/a"
        print(f"holdout: {holdout['rows']} rows, accuracy {holdout['accuracy']:.4f}, "
              f"log-loss {holdout['log_loss']:.4f}, AUC {auc}")
    print(f"deploy it: POST /admin/deploy-canary {{\"version\": \"{args.version}\"}}")


def main(argv=None):
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
        export(args)
        return 0
    except Refusal as ex:
        print(f"export-sklearn: {one_line(ex)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
