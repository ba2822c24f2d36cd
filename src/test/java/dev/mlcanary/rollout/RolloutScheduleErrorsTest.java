package dev.mlcanary.rollout;

import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import dev.mlcanary.ExpectedLog;
import dev.mlcanary.MutableClock;
import dev.mlcanary.TestRequests;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.deployment.RolloutStrategy;
import dev.mlcanary.shared.Verdict;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The guarantee Spring's task scheduler must keep for the rollout's thread: an analysis
 * that throws is logged once, and the next tick still runs and acts. The same context as
 * {@link RolloutSchedulerTest}.
 */
@SpringBootTest(properties = "canary.rollout.max-inconclusive=5m")
@AutoConfigureMockMvc
@Import(RolloutSchedulerTest.Config.class)
class RolloutScheduleErrorsTest {

	@RegisterExtension
	final ExpectedLog log = ExpectedLog.of(RolloutScheduler.class);

	@Autowired
	DeploymentService deployments;

	@Autowired
	ScriptedAnalyst analyst;

	@Autowired
	MutableClock clock;

	@BeforeEach
	void stableOnly() {
		analyst.reset();
		TestRequests.startFromStableOnly(deployments);
	}

	@Test
	void anAnalysisThatThrowsIsLoggedAndTheScheduleGoesOn() {
		deployments.deployCanary("v2", null, null, RolloutStrategy.parse(List.of(10.0, 50.0), "10s", true, true), null);
		analyst.answer(Verdict.PASS);
		analyst.duringNextAnalysis(() -> {
			throw new IllegalStateException("Scripted failure of the analysis");
		});

		clock.advance(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> log.messages(Level.ERROR)
				.contains("The automated rollout analysis failed; it is retried at the next interval"));
		assertThat(deployments.current().weight()).isEqualTo(0.10);

		clock.advance(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10)).until(() -> deployments.current().weight() == 0.5);
	}

}
