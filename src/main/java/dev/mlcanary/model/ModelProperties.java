package dev.mlcanary.model;

import java.nio.file.Path;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the models are, under the {@code canary.} prefix ({@code CANARY_MODEL_DIR}).
 *
 * @param modelDir directory holding the model files and their JSON manifests
 */
@Validated
@ConfigurationProperties(prefix = "canary")
public record ModelProperties(@DefaultValue("models") @NotNull Path modelDir) {

}
