package dev.mlcanary.rollout;

import java.util.List;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.shared.Verdict;

/**
 * Answers the verdict a test sets, or asks the real health check when none is set.
 * Scripted verdicts keep the state-machine tests independent of how many judges there are
 * and how many samples each needs.
 */
final class ScriptedAnalyst implements CanaryAnalyst {

	private final CanaryAnalyst real;

	private volatile Verdict verdict;

	private volatile Runnable during;

	private volatile RuntimeException failure;

	private volatile Verdict once;

	private volatile int calls;

	ScriptedAnalyst(CanaryAnalyst real) {
		this.real = real;
	}

	/**
	 * Every analysis answers {@code next} from now on; {@code null} asks the real health
	 * check.
	 */
	void answer(Verdict next) {
		this.verdict = next;
	}

	/** The next analysis only answers {@code next}; the ones after it as before. */
	void answerOnce(Verdict next) {
		this.once = next;
	}

	/**
	 * Runs {@code action} inside the next analysis, as an operator acting at that very
	 * moment would.
	 */
	void duringNextAnalysis(Runnable action) {
		this.during = action;
	}

	/**
	 * Every analysis throws {@code next} from now on (as the health check does when a
	 * fleet's samples cannot be pooled); {@code null} stops it.
	 */
	void failWith(RuntimeException next) {
		this.failure = next;
	}

	int calls() {
		return calls;
	}

	void reset() {
		verdict = null;
		during = null;
		failure = null;
		once = null;
		calls = 0;
	}

	@Override
	public Result analyse(Deployment deployment) {
		calls++;
		Runnable action = during;
		during = null;
		if (action != null) {
			action.run();
		}
		RuntimeException thrown = failure;
		if (thrown != null) {
			throw thrown;
		}
		Verdict scripted = once != null ? once : verdict;
		once = null;
		return scripted == null ? real.analyse(deployment)
				: new Result(scripted, List.of("Scripted " + scripted + " for the test."), null);
	}

}
