package dev.mlcanary.rollout;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.mlcanary.MutableClock;
import dev.mlcanary.TestRequests;
import dev.mlcanary.audit.AuditEvent;
import dev.mlcanary.audit.EventLog;
import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.deployment.RolloutMonitor;
import dev.mlcanary.deployment.RolloutPhase;
import dev.mlcanary.deployment.RolloutStrategy;
import dev.mlcanary.rollout.RolloutScheduler.Outcome;
import dev.mlcanary.shared.Verdict;
import dev.mlcanary.store.RolloutLease;
import dev.mlcanary.store.StoreUnavailableException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The automation end to end in one application, driven by hand: a clock that moves only
 * when the test moves it, and {@link RolloutScheduler#analyzeNow()} instead of waiting
 * for the interval. Every strategy here analyses every hour, so the scheduler's own
 * thread never finds an analysis due, except in the one test that checks that it runs
 * them.
 */
@SpringBootTest(properties = "canary.rollout.max-inconclusive=5m")
@AutoConfigureMockMvc
@Import(RolloutSchedulerTest.Config.class)
@ExtendWith(OutputCaptureExtension.class)
class RolloutSchedulerTest {

	static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

	@TestConfiguration(proxyBeanMethods = false)
	static class Config {

		@Bean
		@Primary
		MutableClock testClock() {
			return new MutableClock(T0);
		}

		@Bean
		@Primary
		ScriptedAnalyst scriptedAnalyst(HealthCheckAnalyst real) {
			return new ScriptedAnalyst(real);
		}

	}

	@Autowired
	RolloutScheduler scheduler;

	@Autowired
	DeploymentService deployments;

	@Autowired
	ScriptedAnalyst analyst;

	@Autowired
	MutableClock clock;

	@Autowired
	EventLog events;

	@Autowired
	MockMvcTester mvc;

	@BeforeEach
	void stableV1OnlyOnAFreshDay() {
		analyst.reset();
		TestRequests.startFromStableOnly(deployments);
		if (!deployments.current().stable().version().equals("v1")) {
			deployments.deployCanary("v1", null, null, null);
			deployments.promoteCanary(null);
		}
		scheduler.tick();
		// A canary deployed by one test never shares its start time with another test's.
		clock.advance(Duration.ofDays(1));
	}

	@Test
	void passAtEveryStepPromotesStepByStep() {
		Deployment d = deploy(strategy(List.of(10.0, 25.0, 50.0, 100.0), true, true));
		long deployed = d.generation();
		analyst.answer(Verdict.PASS);

		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.ADVANCED);
		assertThat(deployments.current().weight()).isEqualTo(0.25);
		assertThat(deployments.current().rollout().step()).isEqualTo(1);
		assertThat(deployments.current().samples()).as("fresh windows for the new weight").isNotSameAs(d.samples());
		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.ADVANCED);
		assertThat(deployments.current().weight()).isEqualTo(0.50);
		assertThat(scheduler.analyzeNow()).as("the last step below 100%").isEqualTo(Outcome.PROMOTED);

		Deployment after = deployments.current();
		assertThat(after.stable().version()).isEqualTo("v2");
		assertThat(after.hasCanary()).isFalse();
		assertThat(after.hasRollout()).isFalse();
		assertThat(after.generation()).isEqualTo(deployed + 3);
		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.NO_ROLLOUT);
		List<AuditEvent> automatic = automaticEvents(3);
		assertThat(automatic).extracting(AuditEvent::action)
			.containsExactly("promote-canary", "rollout-step", "rollout-step");
		assertThat(automatic).extracting(AuditEvent::detail)
			.containsExactly(
					"step 3/4 (50%) passed, the last one analysed: promoted v2 to stable (a 100% step is never "
							+ "analysed: stable would have no traffic to compare with). Scripted PASS for the test.",
					"step 2/4 (25%) passed: weight 0.25 -> 0.50. Scripted PASS for the test.",
					"step 1/4 (10%) passed: weight 0.10 -> 0.25. Scripted PASS for the test.");
		assertThat(automatic).allSatisfy(e -> {
			assertThat(e.actor()).isEqualTo("rollout");
			assertThat(e.outcome()).isEqualTo("success");
			assertThat(e.method()).isNull();
		});
		assertThat(automatic.get(1).weight()).isEqualTo(0.5);
		assertThat(automatic.get(0).stableAfter()).isEqualTo("v2");
		assertThat(automatic.get(0).generation()).isEqualTo(deployed + 3);
	}

	@Test
	void failRollsBackAtOnceOnTheRealHealthCheck() {
		Deployment d = deploy(strategy(List.of(10.0, 50.0), true, true));
		for (int i = 0; i < 40; i++) {
			d.samples().stable().record(1_000_000 + i * 1_000);
			d.samples().canary().record(20_000_000 + i * 1_000);
		}

		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.ROLLED_BACK);

		assertThat(deployments.current().hasCanary()).isFalse();
		assertThat(deployments.current().stable().version()).isEqualTo("v1");
		AuditEvent event = automaticEvents(1).get(0);
		assertThat(event.action()).isEqualTo("rollback-canary");
		assertThat(event.detail()).startsWith("step 1/2 (10%) failed: rolled back v2. ");
		assertThat(event.canaryBefore()).isEqualTo("v2");
		assertThat(event.canaryAfter()).isNull();
		assertThat(event.verdict()).as("the health check's numbers are kept").isNotNull();
		assertThat(event.verdict().alertTriggered()).isTrue();
		assertThat(event.verdict().canarySampleCount()).isEqualTo(40);
	}

	@Test
	void inconclusiveHoldsTheStepUntilTheMaximumThenRollsBack() {
		deploy(strategy(List.of(10.0, 50.0), true, true));
		long generation = deployments.current().generation();

		assertThat(scheduler.analyzeNow()).as("no samples at all").isEqualTo(Outcome.HELD);
		clock.advance(Duration.ofMinutes(4));
		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.HELD);
		assertThat(deployments.current().generation()).as("holding changes nothing").isEqualTo(generation);
		clock.advance(Duration.ofMinutes(1));
		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.ROLLED_BACK);

		assertThat(deployments.current().hasCanary()).isFalse();
		assertThat(automaticEvents(1).get(0).detail()).startsWith("step 1/2 (10%) stayed inconclusive for 5m "
				+ "(canary.rollout.max-inconclusive is 5m): rolled back v2. Mean latency: need 20 samples");
	}

	@Test
	void theInconclusiveBudgetIsPerStep() {
		deploy(strategy(List.of(10.0, 25.0, 50.0), true, true));
		analyst.answer(Verdict.INCONCLUSIVE);
		clock.advance(Duration.ofMinutes(4));
		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.HELD);
		analyst.answer(Verdict.PASS);
		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.ADVANCED);
		analyst.answer(Verdict.INCONCLUSIVE);
		clock.advance(Duration.ofMinutes(4));

		assertThat(scheduler.analyzeNow()).as("4 minutes into step 2, 8 into the rollout").isEqualTo(Outcome.HELD);
		assertThat(deployments.current().weight()).isEqualTo(0.25);
	}

	@Test
	void aManualRollbackEndsTheAutomationWhichSaysSoOnce(CapturedOutput output) {
		deploy(strategy(List.of(10.0, 25.0, 50.0), true, true));
		analyst.answer(Verdict.PASS);
		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.ADVANCED);
		int before = output.getAll().length();

		assertThat(mvc.post().uri("/admin/rollback-canary").exchange()).hasStatusOk();

		assertThat(scheduler.tick()).isEqualTo(Outcome.NO_ROLLOUT);
		assertThat(scheduler.tick()).isEqualTo(Outcome.NO_ROLLOUT);
		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.NO_ROLLOUT);
		assertThat(output.getAll()
			.substring(before)
			.lines()
			.filter(l -> l.contains("The automated rollout of v2 ended: v2 was rolled back outside the automation")))
			.hasSize(1);
		assertThat(automaticEvents(1).get(0).action()).as("nothing automatic after the operator's rollback")
			.isEqualTo("rollout-step");
		assertThat(events.newest(1).get(0).actor()).isEqualTo("anonymous");
		assertThat(events.newest(1).get(0).action()).isEqualTo("rollback-canary");
	}

	@Test
	void aManualPromoteMidRolloutEndsItToo(CapturedOutput output) {
		deploy(strategy(List.of(10.0, 25.0, 50.0), true, true));
		scheduler.tick();

		int before = output.getAll().length();

		deployments.promoteCanary(null);

		assertThat(scheduler.tick()).isEqualTo(Outcome.NO_ROLLOUT);
		assertThat(output.getAll().substring(before))
			.contains("The automated rollout of v2 ended: v2 was promoted outside the automation");
		assertThat(deployments.current().stable().version()).isEqualTo("v2");
		deployments.deployCanary("v1", null, null, null);
		assertThat(scheduler.analyzeNow()).as("a canary deployed by hand is not automated")
			.isEqualTo(Outcome.NO_ROLLOUT);
	}

	@Test
	void anActionOnADeploymentThatChangedMeanwhileIsNotTaken() {
		deploy(strategy(List.of(10.0, 25.0, 50.0), true, true));
		analyst.answer(Verdict.PASS);
		analyst.duringNextAnalysis(() -> deployments.toggleSlowdown(null));

		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.CONFLICT);

		assertThat(deployments.current().weight()).isEqualTo(0.10);
		assertThat(deployments.current().slowdown()).isTrue();
		AuditEvent refused = automaticEvents(1).get(0);
		assertThat(refused.outcome()).isEqualTo("refused");
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.detail()).contains("not applied: The deployment changed");
		assertThat(scheduler.analyzeNow()).as("the slowdown toggle kept the rollout; the next analysis acts")
			.isEqualTo(Outcome.ADVANCED);
	}

	@Test
	void withoutAutoPromoteTheLastPassMovesToTheFullStepAndWaitsForAnOperator() {
		deploy(strategy(List.of(10.0, 50.0, 100.0), true, false));
		analyst.answer(Verdict.PASS);

		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.ADVANCED);
		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.READY);

		Deployment ready = deployments.current();
		assertThat(ready.weight()).isEqualTo(1.0);
		assertThat(ready.rollout().phase()).isEqualTo(RolloutPhase.READY_TO_PROMOTE);
		assertThat(ready.stable().version()).as("not promoted").isEqualTo("v1");
		assertThat(automaticEvents(1).get(0).detail()).startsWith(
				"step 2/3 (50%) passed, the last one analysed: weight 0.50 -> 1.00; ready to promote (auto_promote is off)");
		assertThat(scheduler.analyzeNow()).as("at 100% stable has no traffic to compare with")
			.isEqualTo(Outcome.NOT_ANALYSED);
		MvcTestResult status = mvc.get().uri("/admin/status").exchange();
		assertThat(status).bodyJson().extractingPath("$.rollout.phase").isEqualTo("ready_to_promote");
		assertThat(status).bodyJson().extractingPath("$.rollout.step_index").isEqualTo(2);
		assertThat(status).bodyJson().extractingPath("$.rollout.next_analysis_at").isNull();
		assertThat(status).bodyJson()
			.extractingPath("$.rollout.message")
			.asString()
			.startsWith("Ready to promote at step 3/3 (100%)");
		assertThat(mvc.post().uri("/admin/promote-canary").exchange()).hasStatusOk();
		assertThat(deployments.current().stable().version()).isEqualTo("v2");
	}

	@Test
	void readyToPromoteBelowFullTrafficIsStillWatched() {
		deploy(strategy(List.of(10.0, 50.0), true, false));
		analyst.answer(Verdict.PASS);
		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.ADVANCED);
		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.READY);
		assertThat(deployments.current().weight()).isEqualTo(0.5);
		analyst.answer(Verdict.INCONCLUSIVE);
		clock.advance(Duration.ofMinutes(50));
		assertThat(scheduler.analyzeNow()).as("a canary that passed has no deadline").isEqualTo(Outcome.HELD);

		analyst.answer(Verdict.FAIL);

		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.ROLLED_BACK);
		assertThat(deployments.current().hasCanary()).isFalse();
	}

	@Test
	void withoutAutoRollbackAFailureHaltsTheRolloutAndLeavesTheCanary() {
		deploy(strategy(List.of(10.0, 25.0, 50.0), false, true));
		analyst.answer(Verdict.PASS);
		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.ADVANCED);
		analyst.answer(Verdict.FAIL);

		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.HALTED);

		Deployment halted = deployments.current();
		assertThat(halted.canary().version()).isEqualTo("v2");
		assertThat(halted.weight()).isEqualTo(0.25);
		assertThat(halted.rollout().phase()).isEqualTo(RolloutPhase.HALTED);
		assertThat(automaticEvents(1).get(0).detail())
			.startsWith("step 2/3 (25%) failed: halted, auto_rollback is off; "
					+ "v2 keeps weight 0.25 until an operator promotes or rolls it back.");
		analyst.answer(Verdict.PASS);
		assertThat(scheduler.analyzeNow()).as("a halted rollout is not analysed").isEqualTo(Outcome.NOT_ANALYSED);
		assertThat(mvc.get().uri("/admin/status").exchange()).bodyJson()
			.extractingPath("$.rollout.phase")
			.isEqualTo("halted");
	}

	@Test
	void anAnalysisTheStoreCannotPoolTakesNoStepAndTheNextIntervalTriesAgain(CapturedOutput output) {
		Deployment d = deploy(strategy(List.of(10.0, 25.0, 50.0), true, true));
		int eventsBefore = events.newest(10_000).size();
		analyst.answer(Verdict.PASS);
		analyst.failWith(StoreUnavailableException.because("The fleet's samples cannot be pooled",
				new SQLException("Connection to 127.0.0.1:5432 refused")));

		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.NO_ANALYSIS);
		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.NO_ANALYSIS);
		assertThat(deployments.current().generation()).isEqualTo(d.generation());
		assertThat(deployments.current().weight()).isEqualTo(0.10);
		assertThat(events.newest(10_000)).as("nothing recorded: nothing was done").hasSize(eventsBefore);
		assertThat(output).containsOnlyOnce("paused, no analysis this interval: The fleet's samples cannot be pooled");
		MvcTestResult paused = mvc.get().uri("/admin/status").exchange();
		assertThat(paused).bodyJson().extractingPath("$.rollout.last_verdict").isNull();
		assertThat(paused).bodyJson()
			.extractingPath("$.rollout.last_reasons[0]")
			.asString()
			.startsWith("The fleet's samples cannot be pooled");
		assertThat(paused).bodyJson()
			.extractingPath("$.rollout.next_analysis_at")
			.as("an interval after the attempt, not at once")
			.isEqualTo(clock.instant().plusSeconds(3600).toString());
		clock.advance(Duration.ofMinutes(1));
		assertThat(scheduler.tick()).as("not due: the failed attempt counts as this interval's")
			.isEqualTo(Outcome.NOT_DUE);

		analyst.failWith(null);
		assertThat(scheduler.analyzeNow()).as("the store is back").isEqualTo(Outcome.ADVANCED);
		assertThat(output).contains("the fleet's samples can be pooled again");
		assertThat(deployments.current().weight()).isEqualTo(0.25);
	}

	@Test
	void theStatusShowsTheStepAndWhenTheNextAnalysisIsDue() {
		Deployment d = deploy(strategy(List.of(10.0, 25.0, 50.0, 100.0), true, true));
		Instant started = d.canaryStartTime();

		MvcTestResult fresh = mvc.get().uri("/admin/status").exchange();
		assertThat(fresh).bodyJson().extractingPath("$.rollout.step_index").isEqualTo(0);
		assertThat(fresh).bodyJson().extractingPath("$.rollout.step_percent").isEqualTo(10);
		assertThat(fresh).bodyJson()
			.extractingPath("$.rollout.next_analysis_at")
			.isEqualTo(started.plusSeconds(3600).toString());
		assertThat(fresh).bodyJson()
			.extractingPath("$.rollout.inconclusive_deadline")
			.isEqualTo(started.plusSeconds(300).toString());

		clock.advance(Duration.ofMinutes(2));
		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.HELD);
		MvcTestResult held = mvc.get().uri("/admin/status").exchange();
		assertThat(held).bodyJson().extractingPath("$.rollout.last_verdict").isEqualTo("INCONCLUSIVE");
		assertThat(held).bodyJson()
			.extractingPath("$.rollout.last_analysis_at")
			.isEqualTo(started.plusSeconds(120).toString());
		assertThat(held).bodyJson()
			.extractingPath("$.rollout.next_analysis_at")
			.isEqualTo(started.plusSeconds(120 + 3600).toString());
		assertThat(held).bodyJson()
			.extractingPath("$.rollout.last_reasons[0]")
			.asString()
			.startsWith("Mean latency: need 20 samples");

		analyst.answer(Verdict.PASS);
		assertThat(scheduler.analyzeNow()).isEqualTo(Outcome.ADVANCED);
		MvcTestResult moved = mvc.get().uri("/admin/status").exchange();
		assertThat(moved).bodyJson().extractingPath("$.canary_weight").isEqualTo(0.25);
		assertThat(moved).bodyJson().extractingPath("$.rollout.step_index").isEqualTo(1);
		assertThat(moved).bodyJson().extractingPath("$.rollout.step_percent").isEqualTo(25);
		assertThat(moved).bodyJson()
			.extractingPath("$.rollout.step_started_at")
			.isEqualTo(started.plusSeconds(120).toString());
		assertThat(moved).bodyJson()
			.extractingPath("$.rollout.next_analysis_at")
			.isEqualTo(started.plusSeconds(120 + 3600).toString());
	}

	@Test
	void aRestartedServiceWaitsAFullIntervalAndAFreshBudgetBeforeJudging() {
		Deployment d = deploy(strategy(List.of(10.0, 50.0), true, true));
		// Its own clock, so that the running scheduler does not find its analysis due
		// meanwhile.
		MutableClock threeHoursLater = new MutableClock(clock.instant().plus(Duration.ofHours(3)));

		RolloutScheduler restarted = new RolloutScheduler(deployments, analyst, events, threeHoursLater,
				RolloutLease.single("test"), new RolloutProperties(Duration.ofMinutes(5)));

		RolloutMonitor.Schedule schedule = restarted.schedule(deployments.current());
		assertThat(schedule.nextAnalysisAt()).isEqualTo(threeHoursLater.instant().plus(Duration.ofHours(1)));
		assertThat(schedule.inconclusiveDeadline()).isEqualTo(threeHoursLater.instant().plus(Duration.ofMinutes(5)));
		assertThat(restarted.tick()).isEqualTo(Outcome.NOT_DUE);
		assertThat(restarted.analyzeNow()).as("the step's deadline passed before the restart, not since")
			.isEqualTo(Outcome.HELD);
		assertThat(deployments.current().generation()).isEqualTo(d.generation());
	}

	@Test
	void theSchedulersOwnThreadAnalysesWhenTheIntervalHasPassed() {
		deploy(RolloutStrategy.parse(List.of(10.0, 50.0), "10s", true, true));
		analyst.answer(Verdict.PASS);
		clock.advance(Duration.ofSeconds(9));
		assertThat(scheduler.tick()).isEqualTo(Outcome.NOT_DUE);

		clock.advance(Duration.ofSeconds(1));

		await().atMost(Duration.ofSeconds(10)).until(() -> deployments.current().weight() == 0.5);
		clock.advance(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10)).until(() -> "v2".equals(deployments.current().stable().version()));
		assertThat(analyst.calls()).isEqualTo(2);
	}

	private Deployment deploy(RolloutStrategy strategy) {
		return deployments.deployCanary("v2", null, null, strategy, null).after();
	}

	private static RolloutStrategy strategy(List<Double> steps, boolean autoRollback, boolean autoPromote) {
		return RolloutStrategy.parse(steps, "1h", autoRollback, autoPromote);
	}

	/** The newest {@code n} events recorded by the automation, newest first. */
	private List<AuditEvent> automaticEvents(int n) {
		return events.newest(10_000).stream().filter(e -> "rollout".equals(e.actor())).limit(n).toList();
	}

}
