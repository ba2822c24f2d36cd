package dev.mlcanary.prediction;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How {@code POST /predict} is served, under {@code canary.prediction.}.
 *
 * @param fastPath whether {@link PredictFastPath} answers valid predictions before Spring
 * MVC (on by default; off, every prediction goes through the controller, with the same
 * answers)
 */
@Validated
@ConfigurationProperties(prefix = "canary.prediction")
record PredictionProperties(@DefaultValue("true") boolean fastPath) {

}
