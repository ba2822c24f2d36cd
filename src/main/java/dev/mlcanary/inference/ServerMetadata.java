package dev.mlcanary.inference;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The protocol's {@code $metadata_server_response}.
 *
 * @param name the server, {@code ml-canary}
 * @param version its build version
 * @param extensions none
 */
@Schema(description = "The server's name, version and protocol extensions (none).")
record ServerMetadata(@Schema(example = "ml-canary") String name, @Schema(example = "0.1.0-SNAPSHOT") String version,
		List<String> extensions) {

}
