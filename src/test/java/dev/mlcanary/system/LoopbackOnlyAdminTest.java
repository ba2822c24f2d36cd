package dev.mlcanary.system;

import dev.mlcanary.TestRequests;
import dev.mlcanary.apidocs.ApiDocsTest;
import dev.mlcanary.apidocs.ApiProblem;
import dev.mlcanary.deployment.DeploymentService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no token configured, only loopback clients may administer; everyone may still
 * predict.
 */
@SpringBootTest
@AutoConfigureMockMvc
class LoopbackOnlyAdminTest {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	DeploymentService deployments;

	@Test
	void remoteClientsGet403AndChangeNothing() {
		long generation = deployments.current().generation();

		MvcTestResult result = mvc.post().uri("/admin/toggle-slowdown").with(remote("192.0.2.10")).exchange();

		assertThat(result).hasStatus(403);
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("only loopback clients");
		assertThat(mvc.get().uri("/admin/status").with(remote("192.0.2.10")).exchange()).hasStatus(403);
		assertThat(mvc.get()
			.uri("/admin/status")
			.with(remote("192.0.2.10"))
			.header("X-Forwarded-For", "127.0.0.1")
			.exchange()).as("a forwarded-for header is not trusted").hasStatus(403);
		assertThat(deployments.current().generation()).isEqualTo(generation);
	}

	@Test
	void loopbackClientsAdministerWithoutAToken() {
		assertThat(mvc.get().uri("/admin/status").with(remote("127.0.0.1")).exchange()).hasStatusOk();
		assertThat(mvc.get().uri("/admin/status").with(remote("::1")).exchange()).hasStatusOk();
	}

	@Test
	void remoteClientsStillPredict() {
		assertThat(mvc.post()
			.uri("/predict")
			.with(remote("192.0.2.10"))
			.contentType(MediaType.APPLICATION_JSON)
			.content(TestRequests.PREDICT_BODY)
			.exchange()).hasStatusOk();
	}

	@Test
	void theRefusalsAreTheOnesTheApiDocsShow() {
		ApiDocsTest.assertAnswers(ApiProblem.LOOPBACK_ONLY,
				mvc.get().uri("/admin/status").with(remote("192.0.2.10")).exchange());
		ApiDocsTest.assertAnswers(ApiProblem.ROUTE_LOOPBACK_ONLY,
				mvc.post()
					.uri("/predict")
					.with(remote("192.0.2.10"))
					.header("X-Canary-Route", "stable")
					.contentType(MediaType.APPLICATION_JSON)
					.content(TestRequests.PREDICT_BODY)
					.exchange());
	}

	private static org.springframework.test.web.servlet.request.RequestPostProcessor remote(String address) {
		return request -> {
			request.setRemoteAddr(address);
			return request;
		};
	}

}
