package dev.mlcanary.analysis;

import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.model.LoadedModel;
import dev.mlcanary.model.ModelStore;
import dev.mlcanary.shared.LatencyWindows;
import dev.mlcanary.statistics.LatencySummary;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The analysis side, over full windows of {@code samples} latencies per version (the default window
 * holds 10,000): the statistics of one window (copy plus mean, deviation and percentiles), and the
 * whole health check with its five judges, in the fixed and the sequential mode. Samples look like
 * real ones: log-normal around 20 µs, the canary a little slower, a few slow outliers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class AnalysisBenchmark {

	@Param({ "10000", "100000", "1000000" })
	public int samples;

	private Deployment deployment;

	private CanaryHealthService health;

	@Setup(Level.Trial)
	public void setUp() {
		ModelStore store = new ModelStore(Path.of("models"));
		LoadedModel stable = store.loadVersion("v1");
		LoadedModel canary = store.loadVersion("v2");
		LatencyWindows windows = new LatencyWindows(samples);
		SplittableRandom random = new SplittableRandom(42);
		for (int i = 0; i < samples; i++) {
			windows.stable().record(latencyNanos(random, 20_000));
			windows.canary().record(latencyNanos(random, 21_000));
			windows.agreement().record(random.nextDouble(), random.nextDouble());
		}
		deployment = new Deployment(stable, canary, 0.1, false, Instant.EPOCH, 2, windows);
		health = new CanaryHealthService(HealthProperties.defaults(), AnalysisProperties.defaults());
	}

	static long latencyNanos(SplittableRandom random, double medianNanos) {
		double gaussian = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
		double outlier = random.nextDouble() < 0.001 ? 50 : 1;
		return (long) (medianNanos * Math.exp(0.3 * gaussian) * outlier);
	}

	@Benchmark
	public LatencySummary windowStatistics() {
		return LatencySummary.of(deployment.samples().stable().samplesMillis());
	}

	@Benchmark
	public HealthReport healthCheckFixed() {
		return health.check(deployment, AnalysisMode.FIXED);
	}

	@Benchmark
	public HealthReport healthCheckSequential() {
		return health.check(deployment, AnalysisMode.SEQUENTIAL);
	}

}
