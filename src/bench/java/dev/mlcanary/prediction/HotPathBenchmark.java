package dev.mlcanary.prediction;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.mlcanary.analysis.AnalysisProperties;
import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentProperties;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.model.LoadedModel;
import dev.mlcanary.model.ModelStore;
import dev.mlcanary.routing.CanaryRouter;
import dev.mlcanary.shared.LatencyWindows;
import dev.mlcanary.shared.Role;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request hot path without HTTP, with the production pieces: the bundled models, the
 * Prometheus registry, a canary at 10% with shadow scoring. Compare
 * <ul>
 * <li>{@code inference}: one model evaluation, the floor;</li>
 * <li>{@code routingAndRecording}: what the canary machinery adds on the request thread (routing
 * decision, the window sample, the agreement pair), without a model;</li>
 * <li>{@code offThreadExport}: per sample, what the metrics thread spends exporting it to Micrometer;</li>
 * <li>{@code predict*}: the whole of {@link PredictionService#predict}, two clock reads and shadow
 * scoring (a second inference for stable-routed requests while a canary is deployed) included.</li>
 * </ul>
 * Run with {@code -t 1} and {@code -t 2} (scripts/jmh.sh does both), and {@code -prof gc} to see the
 * bytes allocated per operation ({@code gc.alloc.rate.norm}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class HotPathBenchmark {

	private static final int VECTORS = 1024;

	private static final int BATCH = 1000;

	private LoadedModel stable;

	private Deployment withCanary;

	private Deployment stableOnly;

	private PredictionService canaryService;

	private PredictionService stableOnlyService;

	private PredictionMetrics metrics;

	private CanaryRouter router;

	private double[][] features;

	@Setup(Level.Trial)
	public void setUp() {
		ModelStore store = new ModelStore(Path.of("models"));
		stable = store.loadVersion("v1");
		LoadedModel canary = store.loadVersion("v2");
		withCanary = new Deployment(stable, canary, 0.1, false, Instant.EPOCH, 2, new LatencyWindows(10_000));
		stableOnly = new Deployment(stable, null, 0.1, false, null, 1, new LatencyWindows(10_000));
		metrics = new PredictionMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), fixed(withCanary),
				Duration.ofSeconds(5), System::nanoTime);
		router = new CanaryRouter();
		DeploymentProperties properties = DeploymentProperties.of(Duration.ofMillis(10), 10_000, Path.of("state"));
		canaryService = new PredictionService(fixed(withCanary), router, properties, AnalysisProperties.defaults(),
				metrics);
		stableOnlyService = new PredictionService(fixed(stableOnly), router, properties, AnalysisProperties.defaults(),
				metrics);
		SplittableRandom random = new SplittableRandom(42);
		features = new double[VECTORS][];
		for (int i = 0; i < VECTORS; i++) {
			features[i] = random.doubles(5, 0, 1.5).toArray();
		}
	}

	/** Each thread walks the vectors from its own offset. */
	@State(Scope.Thread)
	public static class Cursor {

		private int next = (int) (Thread.currentThread().getId() * 97);

		double[] next(double[][] vectors) {
			next = (next + 1) & (VECTORS - 1);
			return vectors[next];
		}

	}

	@Benchmark
	public double inference(Cursor cursor) {
		return stable.churnProbability(cursor.next(features));
	}

	@Benchmark
	public Role routingAndRecording(Cursor cursor) {
		double[] x = cursor.next(features);
		Role role = router.route(withCanary.hasCanary(), withCanary.weight());
		withCanary.samples().of(role).record(1_000 + (long) (x[0] * 1_000));
		withCanary.samples().agreement().record(x[1], x[2]);
		return role;
	}

	/** The parts of {@code routingAndRecording}, one at a time, to see where its time goes. */
	@Benchmark
	public Role partRouting() {
		return router.route(withCanary.hasCanary(), withCanary.weight());
	}

	@Benchmark
	public void partWindow(Cursor cursor) {
		withCanary.samples().stable().record(1_000 + (long) (cursor.next(features)[0] * 1_000));
	}

	/**
	 * Off the request thread: per sample, writing it into the window and {@link PredictionMetrics#drain()}
	 * exporting it into the Micrometer timer and counter, in batches of {@value #BATCH} as the drain
	 * thread sees them at about 10,000 predictions per second.
	 */
	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void offThreadExport(Cursor cursor) {
		for (int i = 0; i < BATCH; i++) {
			withCanary.samples().stable().record(1_000 + (long) (cursor.next(features)[0] * 1_000));
		}
		metrics.drain();
	}

	@Benchmark
	public void partAgreement(Cursor cursor) {
		double[] x = cursor.next(features);
		withCanary.samples().agreement().record(x[1], x[2]);
	}

	@Benchmark
	public long partClock() {
		return System.nanoTime();
	}

	@Benchmark
	public PredictionResponse predictStableOnly(Cursor cursor) {
		return stableOnlyService.predict(cursor.next(features));
	}

	@Benchmark
	public PredictionResponse predictCanaryAt10Percent(Cursor cursor) {
		return canaryService.predict(cursor.next(features));
	}

	private static DeploymentService fixed(Deployment deployment) {
		return new FixedDeployment(deployment);
	}

}
