package dev.mlcanary.model;

import java.nio.file.Path;

/**
 * The bundled models v1 and v2 from {@code models/}, loaded once for all the tests that
 * use them.
 */
public final class BundledModels {

	private static final ModelStore STORE = new ModelStore(Path.of("models"));

	public static final LoadedModel V1 = STORE.loadVersion("v1");

	public static final LoadedModel V2 = STORE.loadVersion("v2");

	private BundledModels() {
	}

}
