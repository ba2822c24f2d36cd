package dev.mlcanary.statistics;

import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * Descriptive statistics of one latency sample (milliseconds). Percentiles use the R-7 /
 * numpy "linear" definition so they match what an operator computes in a notebook.
 */
public record LatencySummary(int count, double mean, double stddev, double variance, double p50, double p95,
		double p99) {

	public static LatencySummary of(double[] samples) {
		if (samples.length == 0) {
			return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
		}
		double variance = samples.length > 1 ? StatUtils.variance(samples) : Double.NaN;
		Percentile percentile = new Percentile().withEstimationType(EstimationType.R_7);
		percentile.setData(samples);
		return new LatencySummary(samples.length, StatUtils.mean(samples), Math.sqrt(variance), variance,
				percentile.evaluate(50), percentile.evaluate(95), percentile.evaluate(99));
	}

}
