package dev.mlcanary.prediction;

import dev.mlcanary.shared.Role;

/**
 * The answer to a batch: one churn probability per row, all from the one version that
 * served the whole batch.
 *
 * @param probabilities churn probabilities, in the order of the rows
 * @param role the role that served (stable also when a failing canary fell back)
 * @param version the version that served
 */
public record BatchPrediction(double[] probabilities, Role role, String version) {

}
