package dev.mlcanary.fleet;

import dev.mlcanary.TestRequests;
import dev.mlcanary.TestTokens;
import dev.mlcanary.WithAdminTokens;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.store.FleetProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In file mode {@code GET /admin/fleet} lists the one process: live, the leader, ready,
 * with its models and the samples of its windows; the read token is enough.
 */
@WithAdminTokens
class FileFleetTest {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	DeploymentService deployments;

	@Autowired
	FleetProperties properties;

	@BeforeEach
	void stableOnly() {
		TestRequests.startFromStableOnly(deployments);
	}

	@Test
	void theOneProcessIsTheWholeFleet() {
		assertThat(mvc.post()
			.uri("/admin/deploy-canary")
			.header("Authorization", "Bearer " + TestTokens.OPERATOR)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"version\": \"v2\", \"weight\": 0.5}")).hasStatusOk();
		for (int i = 0; i < 20; i++) {
			assertThat(mvc.post()
				.uri("/predict")
				.contentType(MediaType.APPLICATION_JSON)
				.content(TestRequests.PREDICT_BODY)).hasStatusOk();
		}
		long generation = deployments.current().generation();
		int stable = deployments.current().samples().stable().size();
		int canary = deployments.current().samples().canary().size();

		var fleet = assertThat(
				mvc.get().uri("/admin/fleet").header("Authorization", "Bearer " + TestTokens.READER).exchange())
			.hasStatusOk()
			.bodyJson();
		fleet.extractingPath("$.store").isEqualTo("file");
		fleet.extractingPath("$.generation").isEqualTo((int) generation);
		fleet.extractingPath("$.replicas.length()").isEqualTo(1);
		fleet.extractingPath("$.replica_id").isEqualTo(properties.replicaId());
		fleet.extractingPath("$.replicas[0].replica_id").isEqualTo(properties.replicaId());
		fleet.extractingPath("$.replicas[0].live").isEqualTo(true);
		fleet.extractingPath("$.replicas[0].leader").isEqualTo(true);
		fleet.extractingPath("$.replicas[0].ready").isEqualTo(true);
		fleet.extractingPath("$.replicas[0].problem").isNull();
		fleet.extractingPath("$.replicas[0].generation").isEqualTo((int) generation);
		fleet.extractingPath("$.replicas[0].models").asArray().containsExactly("v1", "v2");
		fleet.extractingPath("$.replicas[0].samples.stable").isEqualTo(stable);
		fleet.extractingPath("$.replicas[0].samples.canary").isEqualTo(canary);
		assertThat(stable + canary).isEqualTo(20);
	}

	@Test
	void anonymousCallersAreRefused() {
		assertThat(mvc.get().uri("/admin/fleet").exchange()).hasStatus(401);
	}

}
