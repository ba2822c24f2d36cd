package dev.mlcanary.shared;

/**
 * The outcome of a canary analysis. {@code INCONCLUSIVE} means there is not yet enough
 * evidence either way (too few samples, or no canary); it is never a pass.
 */
public enum Verdict {

	PASS, FAIL, INCONCLUSIVE

}
