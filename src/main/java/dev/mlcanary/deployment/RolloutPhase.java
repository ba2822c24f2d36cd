package dev.mlcanary.deployment;

import java.util.Locale;

/** Where an automated rollout stands. */
public enum RolloutPhase {

	/**
	 * Analysed every interval: PASS moves to the next step, FAIL rolls back, INCONCLUSIVE
	 * holds for a while.
	 */
	PROGRESSING,

	/**
	 * The last analysed step passed and {@code auto_promote} is off: the canary waits for
	 * an operator to promote it. It is still analysed (a FAIL rolls it back when
	 * {@code auto_rollback} is on), unless it serves all traffic and there is nothing
	 * left to compare it with.
	 */
	READY_TO_PROMOTE,

	/**
	 * The canary failed, or stayed inconclusive too long, and {@code auto_rollback} is
	 * off: the automation has stopped and the canary keeps its weight until an operator
	 * promotes or rolls it back.
	 */
	HALTED;

	/**
	 * As shown in JSON: {@code progressing}, {@code ready_to_promote}, {@code halted}.
	 */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

}
