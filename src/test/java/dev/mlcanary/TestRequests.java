package dev.mlcanary;

import dev.mlcanary.deployment.DeploymentService;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** What many tests send or need before they start. */
public final class TestRequests {

	/** A valid {@code POST /predict} body. */
	public static final String PREDICT_BODY = "{\"features\": [0.5, 1.2, 0.8, 0.3, 1.1]}";

	private TestRequests() {
	}

	/**
	 * Rolls back a canary that an earlier test of the same context left deployed, and
	 * turns the slowdown off.
	 */
	public static void startFromStableOnly(DeploymentService deployments) {
		if (deployments.current().hasCanary()) {
			deployments.rollbackCanary(null);
		}
		if (deployments.current().slowdown()) {
			deployments.toggleSlowdown(null);
		}
	}

	/**
	 * One call through MockMvc, with an {@code Authorization} header and a JSON body
	 * where given.
	 */
	public static MvcTestResult call(MockMvcTester mvc, HttpMethod method, String path, String authorization,
			String body) {
		var request = mvc.method(method).uri(path);
		if (authorization != null) {
			request = request.header("Authorization", authorization);
		}
		if (body != null) {
			request = request.contentType(MediaType.APPLICATION_JSON).content(body);
		}
		return request.exchange();
	}

}
