package dev.mlcanary.analysis;

import java.util.Collection;

import dev.mlcanary.shared.Verdict;

/**
 * The overall verdict from the judges': FAIL if any fails, PASS if all pass, INCONCLUSIVE
 * otherwise.
 */
final class JudgeVerdicts {

	private JudgeVerdicts() {
	}

	static Verdict combine(Collection<JudgeReport> reports) {
		if (reports.isEmpty()) {
			return Verdict.INCONCLUSIVE;
		}
		if (reports.stream().anyMatch(r -> r.verdict() == Verdict.FAIL)) {
			return Verdict.FAIL;
		}
		return reports.stream().allMatch(r -> r.verdict() == Verdict.PASS) ? Verdict.PASS : Verdict.INCONCLUSIVE;
	}

}
