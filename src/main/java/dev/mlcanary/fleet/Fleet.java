package dev.mlcanary.fleet;

/** Where {@code GET /admin/fleet} learns about the replicas: one variant per store. */
interface Fleet {

	/**
	 * The fleet now.
	 * @throws dev.mlcanary.store.StoreUnavailableException if the shared store cannot be
	 * read
	 */
	FleetView view();

}
