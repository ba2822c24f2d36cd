package dev.mlcanary.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.mlcanary.shared.AgreementStats;
import dev.mlcanary.store.TestPostgres;
import org.flywaydb.core.Flyway;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * What a replica's publish of its samples costs ({@link SamplePublisher}), and what a
 * pooled check pays to read one other replica's, against a real PostgreSQL: the
 * throwaway cluster of the tests ({@link TestPostgres}, Debian's binaries) on loopback,
 * the schema from the Flyway migrations, one connection. {@code samples} per window (both
 * windows full; the default {@code canary.window-size} is 10,000), log-normal latencies
 * around 20 µs as in {@link AnalysisBenchmark}. The stored size of a publish is written
 * to {@code target/bench/publish-bytes.tsv} at the end of each trial
 * ({@code pg_column_size} of the rows and of the arrays).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PublishBenchmark {

	@Param({ "1000", "10000" })
	public int samples;

	private SingleConnectionDataSource dataSource;

	private PublishedSamples published;

	private PublishedSamples.Publish publish;

	private JdbcTemplate jdbc;

	@Setup(Level.Trial)
	public void setUp() {
		String database = TestPostgres.get().createDatabase();
		dataSource = new SingleConnectionDataSource(TestPostgres.get().jdbcUrl(database), TestPostgres.USER,
				TestPostgres.PASSWORD, true);
		Flyway.configure().dataSource(dataSource).load().migrate();
		jdbc = new JdbcTemplate(dataSource);
		published = new PublishedSamples(jdbc);
		SplittableRandom random = new SplittableRandom(42);
		long[] stable = new long[samples];
		long[] canary = new long[samples];
		for (int i = 0; i < samples; i++) {
			stable[i] = AnalysisBenchmark.latencyNanos(random, 20_000);
			canary[i] = AnalysisBenchmark.latencyNanos(random, 21_000);
		}
		publish = new PublishedSamples.Publish(2, "v1", "v2", stable, canary, samples, samples, 0, 0, false, false,
				new AgreementStats.Snapshot(samples, 3, 4, 0.0123));
		jdbc.update("INSERT INTO replica_heartbeat VALUES ('bench', now(), now(), 2, '{v1,v2}')");
		published.publish("bench", publish);
	}

	/** One full publish: both rows replaced, in one statement. */
	@Benchmark
	public void publish() {
		published.publish("bench", publish);
	}

	/**
	 * An unchanged publish: only {@code published_at} renewed.
	 */
	@Benchmark
	public boolean renew() {
		return published.renew("bench", 2);
	}

	/** What a pooled check reads of one other live replica. */
	@Benchmark
	public PeriodSamples readOneReplica() {
		jdbc.update("UPDATE replica_heartbeat SET last_seen = now()");
		return published.othersLive(2, "reader", Duration.ofHours(1)).get(0);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		String sizes = jdbc.queryForObject(
				"SELECT string_agg(role || '\t' || cardinality(latency_nanos) || '\t' || pg_column_size(latency_nanos) "
						+ "|| '\t' || pg_column_size(w.*), E'\\n' ORDER BY role) FROM latency_window w",
				String.class);
		try {
			Path out = Path.of("target", "bench", "publish-bytes.tsv");
			Files.createDirectories(out.getParent());
			Files.writeString(out, sizes + "\n", java.nio.file.StandardOpenOption.CREATE,
					java.nio.file.StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		dataSource.destroy();
	}

}
