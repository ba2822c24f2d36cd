package dev.mlcanary.model;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

import dev.mlcanary.store.StoreUnavailableException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The fleet's uploaded models: table {@code uploaded_model} (Flyway V4). Read on a model
 * load only, never on a prediction.
 */
final class JdbcSharedModels implements SharedModels {

	private final JdbcTemplate jdbc;

	private final JsonMapper json = ModelJson.mapper();

	private final String replicaId;

	JdbcSharedModels(JdbcTemplate jdbc, String replicaId) {
		this.jdbc = jdbc;
		this.replicaId = replicaId;
	}

	@Override
	public Optional<Stored> find(String version) {
		try {
			return findOrThrow(version);
		}
		catch (DataAccessException ex) {
			throw StoreUnavailableException.because("Model " + version + " cannot be read", ex);
		}
	}

	private Optional<Stored> findOrThrow(String version) {
		return jdbc
			.query("SELECT manifest::text, document FROM uploaded_model WHERE version = ?",
					(rs, row) -> new Stored(manifest(rs.getString(1)), rs.getBytes(2)), version)
			.stream()
			.findFirst();
	}

	@Override
	public List<ModelManifest> list() {
		try {
			return jdbc.query("SELECT manifest::text FROM uploaded_model ORDER BY version",
					(rs, row) -> manifest(rs.getString(1)));
		}
		catch (DataAccessException ex) {
			throw StoreUnavailableException.because("The uploaded models cannot be listed", ex);
		}
	}

	@Override
	public Optional<ModelManifest> insertIfAbsent(ModelManifest manifest, byte[] document) {
		try {
			return insertOrThrow(manifest, document);
		}
		catch (DataAccessException ex) {
			throw StoreUnavailableException.because("Model " + manifest.version() + " was not stored", ex);
		}
	}

	private Optional<ModelManifest> insertOrThrow(ModelManifest manifest, byte[] document) {
		int inserted = jdbc.update(
				"INSERT INTO uploaded_model (version, manifest, document, sha256, uploaded_at, uploaded_by) "
						+ "VALUES (?, ?::jsonb, ?, ?, ?, ?) ON CONFLICT (version) DO NOTHING",
				manifest.version(), json.writeValueAsString(manifest), document, manifest.sha256(),
				Timestamp.from(manifest.uploadedAt()), replicaId);
		if (inserted == 1) {
			return Optional.empty();
		}
		// Taken: by whom? Deleted meanwhile: try again
		return findOrThrow(manifest.version()).map(Stored::manifest).or(() -> insertOrThrow(manifest, document));
	}

	@Override
	public boolean delete(String version) {
		return jdbc.update("DELETE FROM uploaded_model WHERE version = ?", version) == 1;
	}

	@Override
	public boolean lockForServing(String version) {
		return !jdbc.queryForList("SELECT 1 FROM uploaded_model WHERE version = ? FOR SHARE", version).isEmpty();
	}

	private ModelManifest manifest(String text) {
		return json.readValue(text, ModelManifest.class);
	}

}
