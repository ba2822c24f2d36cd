/**
 * The Open Inference Protocol (KServe V2, REST) under {@code /v2}: server and model
 * metadata, health, and batch inference, served through the same routing, fallback,
 * shadow scoring and recording as {@code /predict} (prediction's
 * {@code PredictionService#predictBatch}). Depends on prediction and deployment; nothing
 * depends on it.
 */
@NullMarked
package dev.mlcanary.inference;

import org.jspecify.annotations.NullMarked;
