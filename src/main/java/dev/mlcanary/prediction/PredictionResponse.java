package dev.mlcanary.prediction;

import dev.mlcanary.routing.Role;

/**
 * @param churnProbability probability of churn (class 1)
 * @param modelUsed which role served the request
 * @param modelVersion which model version served it
 * @param latencyMs time spent serving the model, artificial delay included
 */
record PredictionResponse(double churnProbability, Role modelUsed, String modelVersion, double latencyMs) {
}
