package dev.mlcanary.system;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the HTTP edge, under the {@code canary.} prefix.
 *
 * @param maxRequestSize largest request body accepted; larger bodies are answered with
 * 413
 */
@Validated
@ConfigurationProperties(prefix = "canary")
public record HttpProperties(@DefaultValue("64KB") @NotNull DataSize maxRequestSize) {

}
