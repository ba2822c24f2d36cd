package dev.mlcanary.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.mlcanary.apidocs.ApiProblem;
import dev.mlcanary.store.StoreUnavailableException;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Uploaded models in postgres mode when the database is down: a 503 that says so. */
class JdbcSharedModelsTest {

	/** Nothing listens on port 1 of loopback: every connection is refused at once. */
	private final JdbcSharedModels down = new JdbcSharedModels(
			new JdbcTemplate(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/canary", "canary", "x")),
			"replica-a");

	@Test
	void anUploadWhileTheDatabaseIsDownIsTheCataloguedStoreProblem() {
		PortableModel model = PortableModel.parse(TestModelDocuments.valid("v4").getBytes(StandardCharsets.UTF_8));
		ModelManifest manifest = model.manifest("model_v4.logreg.json", "0".repeat(64), Instant.EPOCH)
			.uploaded(Instant.EPOCH);

		assertThatThrownBy(() -> down.insertIfAbsent(manifest, model.canonicalBytes()))
			.isInstanceOf(StoreUnavailableException.class)
			.satisfies(ex -> {
				assertThat(((StoreUnavailableException) ex).status().value()).isEqualTo(503);
				assertThat(ex.getMessage())
					.startsWith("Model v4 was not stored: the PostgreSQL store cannot be used (");
				assertThat(ApiProblem.withExampleCause(ex.getMessage()))
					.isEqualTo(ApiProblem.MODEL_NOT_STORED_IN_STORE.detail());
			});
	}

	@Test
	void listingAndLoadingWhileTheDatabaseIsDownAre503s() {
		assertThatThrownBy(down::list).isInstanceOf(StoreUnavailableException.class)
			.hasMessageStartingWith("The uploaded models cannot be listed: the PostgreSQL store cannot be used (");
		assertThatThrownBy(() -> down.find("v4")).isInstanceOf(StoreUnavailableException.class)
			.hasMessageStartingWith("Model v4 cannot be read: the PostgreSQL store cannot be used (");
	}

}
