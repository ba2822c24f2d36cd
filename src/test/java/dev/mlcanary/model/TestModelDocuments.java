package dev.mlcanary.model;

import java.util.Locale;

/** Portable model documents for tests (docs/model-format.md). */
public final class TestModelDocuments {

	/** The intercept of {@link #valid}. */
	public static final double INTERCEPT = -2.0716;

	/** The coefficients of {@link #valid}. */
	public static final double[] COEFFICIENTS = { 1.4521, 0.1024, -0.883, 1.2109, 0.9312 };

	private TestModelDocuments() {
	}

	/** A valid document of {@code version} with the fixed weights above. */
	public static String valid(String version) {
		return withWeights(version, INTERCEPT, COEFFICIENTS);
	}

	public static String withWeights(String version, double intercept, double... coefficients) {
		StringBuilder weights = new StringBuilder();
		for (double c : coefficients) {
			weights.append(weights.isEmpty() ? "" : ", ").append(Double.toString(c));
		}
		return String.format(Locale.ROOT,
				"""
						{
						  "format": "ml-canary-logistic-regression",
						  "format_version": 1,
						  "version": "%s",
						  "feature_names": ["support_calls", "monthly_charges", "contract_length", "usage_decline", "payment_delays"],
						  "intercept": %s,
						  "coefficients": [%s],
						  "classes": ["stays", "churns"],
						  "provenance": {
						    "library": "scikit-learn",
						    "library_version": "1.2.1",
						    "estimator": "LogisticRegression",
						    "trained_at": "2026-12-03T07:00:00Z",
						    "training_rows": 1500,
						    "holdout": {"rows": 500, "accuracy": 0.742, "log_loss": 0.512, "auc": 0.826},
						    "exporter": "test",
						    "description": "A test model."
						  }
						}
						""",
				version, Double.toString(intercept), weights);
	}

	/** The probability the document's formula gives. */
	public static double probability(double intercept, double[] coefficients, double[] x) {
		double z = intercept;
		for (int i = 0; i < x.length; i++) {
			z += coefficients[i] * x[i];
		}
		return 1 / (1 + Math.exp(-z));
	}

}
