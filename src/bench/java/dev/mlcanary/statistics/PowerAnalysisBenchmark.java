package dev.mlcanary.statistics;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code GET /admin/power-analysis} without HTTP: solving the two-sample t-test's sample size on the
 * noncentral t distribution, for the prototype's effect size (0.666, 37 per group), a medium one and a
 * small one (0.05, about 6,280 per group).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class PowerAnalysisBenchmark {

	@Param({ "0.666", "0.2", "0.05" })
	public double effectSize;

	@Benchmark
	public PowerAnalysis.Result solveSampleSize() {
		return PowerAnalysis.solveSampleSize(effectSize, 0.05, 0.8);
	}

}
