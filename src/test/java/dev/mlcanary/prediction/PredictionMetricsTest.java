package dev.mlcanary.prediction;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentPublished;
import dev.mlcanary.model.BundledModels;
import dev.mlcanary.model.LoadedModel;
import dev.mlcanary.shared.LatencyWindows;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request thread only writes into the period's windows;
 * {@link PredictionMetrics#drain()} exports those samples to Micrometer, each exactly
 * once, across period changes and concurrent writers.
 */
class PredictionMetricsTest {

	private static final LoadedModel v1 = BundledModels.V1;

	private static final LoadedModel v2 = BundledModels.V2;

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void exportsEverySampleOnceAtTheNextDrain() {
		Deployment deployment = withCanary(100);
		PredictionMetrics metrics = metrics(new PredictionServiceTest.SwappingDeployments(deployment));
		for (int i = 1; i <= 30; i++) {
			deployment.samples().stable().record(i * 1_000L);
		}
		deployment.samples().canary().record(7_000_000);

		metrics.drain();
		metrics.drain();

		assertThat(timer("v1", "stable").count()).isEqualTo(30);
		assertThat(timer("v1", "stable").totalTime(TimeUnit.NANOSECONDS)).isEqualTo(465_000.0);
		assertThat(timer("v2", "canary").count()).isEqualTo(1);
		assertThat(timer("v2", "canary").max(TimeUnit.MILLISECONDS)).isEqualTo(7.0);
		assertThat(predictions("v1", "stable")).isEqualTo(30);
		assertThat(predictions("v2", "canary")).isEqualTo(1);
	}

	@Test
	void aReplacedPeriodIsStillDrainedForLateRequestsUntilItsGraceHasPassed() {
		Deployment first = withCanary(100);
		PredictionServiceTest.SwappingDeployments deployments = new PredictionServiceTest.SwappingDeployments(first);
		AtomicLong clock = new AtomicLong();
		PredictionMetrics metrics = new PredictionMetrics(registry, deployments, Duration.ofSeconds(15), clock::get);
		first.samples().canary().record(1_000);
		metrics.drain();

		deployments.current = new Deployment(v2, null, 0.1, false, null, 3, new LatencyWindows(100)); // promoted
		first.samples().canary().record(2_000); // a request that read the old snapshot
												// finishes late
		deployments.current.samples().stable().record(3_000);
		metrics.drain();

		assertThat(predictions("v2", "canary")).isEqualTo(2);
		assertThat(predictions("v2", "stable")).isEqualTo(1);
		clock.addAndGet(Duration.ofSeconds(14).toNanos()); // a slowed request, within the
															// grace
		first.samples().canary().record(4_000);
		metrics.drain();
		assertThat(predictions("v2", "canary")).isEqualTo(3);
		clock.addAndGet(Duration.ofSeconds(2).toNanos());
		metrics.drain(); // quiet, and past the grace: forgotten
		first.samples().canary().record(5_000);
		metrics.drain();
		assertThat(predictions("v2", "canary")).as("forgotten after the grace").isEqualTo(3);
	}

	@Test
	void everyPublishedPeriodIsDrainedEvenSeveralBetweenTwoDrains() {
		Deployment first = withCanary(100);
		PredictionServiceTest.SwappingDeployments deployments = new PredictionServiceTest.SwappingDeployments(first);
		PredictionMetrics metrics = metrics(deployments);
		metrics.drain();

		Deployment second = new Deployment(v1, v2, 0.5, false, Instant.EPOCH, 3, new LatencyWindows(100)); // a
																											// rollout
																											// step
		deployments.current = second;
		metrics.published(new DeploymentPublished(first, second));
		second.samples().stable().record(1_000);
		second.samples().canary().record(1_000);
		Deployment third = new Deployment(v2, null, 0.5, false, null, 4, new LatencyWindows(100)); // promoted
		deployments.current = third;
		metrics.published(new DeploymentPublished(second, third));
		metrics.drain();

		assertThat(predictions("v1", "stable")).isEqualTo(1);
		assertThat(predictions("v2", "canary")).isEqualTo(1);
	}

	@Test
	void aScrapeDrainsFirst() throws Exception {
		Deployment deployment = withCanary(100);
		PredictionMetrics metrics = metrics(new PredictionServiceTest.SwappingDeployments(deployment));
		deployment.samples().stable().record(1_000);
		var registration = new PredictionObservationConfiguration().drainPredictionMetricsBeforeScrape(metrics,
				new WebEndpointProperties());
		MockFilterChain scrape = new MockFilterChain();

		registration.getFilter()
			.doFilter(new MockHttpServletRequest("GET", "/actuator/prometheus"), new MockHttpServletResponse(), scrape);

		assertThat(registration.getUrlPatterns()).containsExactly("/actuator/prometheus");
		assertThat(scrape.getRequest()).as("the scrape went on").isNotNull();
		assertThat(predictions("v1", "stable")).isEqualTo(1);
	}

	@Test
	void samplesOverwrittenBeforeADrainAreCountedButNotTimed() {
		Deployment deployment = withCanary(10);
		PredictionMetrics metrics = metrics(new PredictionServiceTest.SwappingDeployments(deployment));
		for (int i = 0; i < 25; i++) {
			deployment.samples().stable().record(1_000);
		}

		metrics.drain();

		assertThat(predictions("v1", "stable")).isEqualTo(25);
		assertThat(timer("v1", "stable").count()).isEqualTo(10);
	}

	@Test
	void concurrentWritersAndDrainsExportEachSampleExactlyOnce() throws InterruptedException {
		int writers = 4;
		int perWriter = 50_000;
		Deployment deployment = withCanary(writers * perWriter);
		PredictionMetrics metrics = metrics(new PredictionServiceTest.SwappingDeployments(deployment));
		CountDownLatch start = new CountDownLatch(1);
		CountDownLatch halfWritten = new CountDownLatch(writers);
		CountDownLatch drainedHalfway = new CountDownLatch(1);
		CountDownLatch done = new CountDownLatch(writers);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < writers; t++) {
			threads.add(started(() -> {
				awaitQuietly(start);
				for (int i = 1; i <= perWriter; i++) {
					deployment.samples().stable().record(i);
					if (i == perWriter / 2) {
						halfWritten.countDown();
						awaitQuietly(drainedHalfway); // so that drains surely overlap
														// writing
					}
				}
				done.countDown();
			}));
		}
		threads.add(started(() -> {
			awaitQuietly(start);
			while (done.getCount() > 0) {
				metrics.drain();
				if (halfWritten.getCount() == 0) {
					drainedHalfway.countDown();
				}
			}
		}));
		start.countDown();
		for (Thread thread : threads) {
			thread.join();
		}
		metrics.drain();

		assertThat(predictions("v1", "stable")).isEqualTo(writers * perWriter);
		assertThat(timer("v1", "stable").count()).isEqualTo(writers * perWriter);
		assertThat(timer("v1", "stable").totalTime(TimeUnit.NANOSECONDS))
			.isEqualTo(writers * (perWriter * (perWriter + 1.0) / 2));
	}

	private PredictionMetrics metrics(PredictionServiceTest.SwappingDeployments deployments) {
		return new PredictionMetrics(registry, deployments, Duration.ofSeconds(5), System::nanoTime);
	}

	private static Deployment withCanary(int windowSize) {
		return new Deployment(v1, v2, 0.1, false, Instant.EPOCH, 2, new LatencyWindows(windowSize));
	}

	private Timer timer(String version, String role) {
		return registry.get("canary.model.latency").tags("version", version, "role", role).timer();
	}

	private double predictions(String version, String role) {
		return registry.get("canary.predictions").tags("version", version, "role", role).counter().count();
	}

	private static Thread started(Runnable task) {
		Thread thread = new Thread(task);
		thread.start();
		return thread;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
