package dev.mlcanary.model;

import java.util.List;
import java.util.Optional;

/**
 * Where uploaded models live when replicas share a database (postgres mode), so that a
 * model uploaded through one replica loads on every other. In file mode uploads are files
 * of the model directory instead, and there is no such store.
 */
public interface SharedModels {

	/** A stored model: its manifest and the exact bytes its SHA-256 is of. */
	record Stored(ModelManifest manifest, byte[] document) {

	}

	Optional<Stored> find(String version);

	/** Every stored manifest, ordered by version. */
	List<ModelManifest> list();

	/**
	 * Stores the model unless its version is taken.
	 * @return what the store held under the version before, or empty when this call
	 * stored it
	 */
	Optional<ModelManifest> insertIfAbsent(ModelManifest manifest, byte[] document);

	/**
	 * @return whether there was such a model
	 */
	boolean delete(String version);

	/**
	 * Inside a transaction that puts the version into service: locks its row against a
	 * concurrent delete until the transaction ends.
	 * @return whether the store holds the version
	 */
	boolean lockForServing(String version);

}
