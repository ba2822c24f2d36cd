package dev.mlcanary.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security chain leaves out exactly the raw URIs of {@code /predict} and the Open
 * Inference Protocol's paths; any other spelling still meets it (ADR 0002).
 */
class InferencePathsOutsideTheChainTest {

	@Test
	void theProtocolsPathsAreOutsideTheChain() {
		assertThat(new String[] { "/predict", "/v2", "/v2/health/live", "/v2/health/ready", "/v2/models/churn",
				"/v2/models/churn/ready", "/v2/models/churn/infer", "/v2/models/churn/versions/v2",
				"/v2/models/churn/versions/v2/ready", "/v2/models/churn/versions/v2.1_a-b/infer" })
			.allMatch(SecurityConfiguration::outsideTheChain);
	}

	@Test
	void otherSpellingsAndOtherPathsMeetTheChain() {
		assertThat(new String[] { "/v2/", "/v2/admin/status", "/v2/models/churn/infer/", "/v2/models/../admin",
				"/v2/models/./infer", "/v2/models/churn;x/infer", "/v2/models/%2e%2e/infer", "/v2/models/.x/infer",
				"/v2//models/churn", "/v2/health/other", "/v2/models/churn/versions/v1/other", "/admin/status", "/v2x",
				"/predict/" })
			.noneMatch(SecurityConfiguration::outsideTheChain);
	}

}
