package dev.mlcanary.model;

import java.util.SplittableRandom;

/**
 * A synthetic churn data set with real signal: features drawn uniformly from [0, 1.5],
 * labels drawn from a known logistic ground truth {@code P(churn) = sigmoid(b + w·x)}.
 * Unlike the prototype's random labels, a trained model can be judged against held-out
 * rows.
 */
final class SyntheticChurnData {

	/** Ground-truth weights, in the order of {@link ChurnFeatures#NAMES}. */
	static final double[] TRUE_WEIGHTS = { 1.6, 0.8, -1.8, 2.2, 1.2 };

	static final double TRUE_INTERCEPT = -3.0;

	static final double FEATURE_MAX = 1.5;

	private SyntheticChurnData() {
	}

	/** A labelled data set; rows of {@code x} are feature vectors. */
	record Rows(double[][] x, int[] y) {

		int size() {
			return y.length;
		}

		Rows slice(int from, int to) {
			double[][] xs = new double[to - from][];
			int[] ys = new int[to - from];
			for (int i = from; i < to; i++) {
				xs[i - from] = x[i].clone();
				ys[i - from] = y[i];
			}
			return new Rows(xs, ys);
		}

		/**
		 * The same rows with independent Gaussian noise (standard deviation {@code sd})
		 * on every feature.
		 */
		Rows withFeatureNoise(double sd, SplittableRandom random) {
			double[][] xs = new double[x.length][];
			for (int i = 0; i < x.length; i++) {
				xs[i] = x[i].clone();
				for (int j = 0; j < xs[i].length; j++) {
					xs[i][j] += sd * random.nextGaussian();
				}
			}
			return new Rows(xs, y.clone());
		}

		/**
		 * The same feature vectors with their labels permuted (Fisher-Yates, driven by
		 * {@code random}): the share of churners stays, every link between features and
		 * label is gone.
		 */
		Rows withShuffledLabels(SplittableRandom random) {
			int[] ys = y.clone();
			for (int i = ys.length - 1; i > 0; i--) {
				int j = random.nextInt(i + 1);
				int swap = ys[i];
				ys[i] = ys[j];
				ys[j] = swap;
			}
			double[][] xs = new double[x.length][];
			for (int i = 0; i < x.length; i++) {
				xs[i] = x[i].clone();
			}
			return new Rows(xs, ys);
		}

	}

	static Rows generate(int n, SplittableRandom random) {
		double[][] x = new double[n][ChurnFeatures.COUNT];
		int[] y = new int[n];
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < ChurnFeatures.COUNT; j++) {
				x[i][j] = FEATURE_MAX * random.nextDouble();
			}
			y[i] = random.nextDouble() < trueProbability(x[i]) ? 1 : 0;
		}
		return new Rows(x, y);
	}

	static double trueProbability(double[] x) {
		double z = TRUE_INTERCEPT;
		for (int j = 0; j < x.length; j++) {
			z += TRUE_WEIGHTS[j] * x[j];
		}
		return 1.0 / (1.0 + Math.exp(-z));
	}

}
