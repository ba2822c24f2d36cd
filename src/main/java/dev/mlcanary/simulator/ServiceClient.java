package dev.mlcanary.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The service's HTTP API as the simulator needs it: JSON in and out, the bearer token on
 * {@code /admin/*} calls, and every failure turned into a {@link ServiceException} that
 * says which call failed and what the service answered (the {@code detail} of its
 * problem+json).
 */
final class ServiceClient {

	static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

	static final String READINESS = "/actuator/health/readiness";

	static final long POLL_MILLIS = 250;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(CONNECT_TIMEOUT)
		.build();

	private final JsonMapper json = JsonMapper.builder().build();

	private final String baseUrl;

	private final String token;

	ServiceClient(String baseUrl, String token) {
		this.baseUrl = baseUrl;
		this.token = token;
	}

	String baseUrl() {
		return baseUrl;
	}

	/**
	 * A failed call: {@code status} is the HTTP status, or 0 when no answer came at all.
	 */
	static final class ServiceException extends Exception {

		private final int status;

		ServiceException(String message, int status) {
			super(message);
			this.status = status;
		}

		int status() {
			return status;
		}

		/**
		 * Refuses to start when the version to deploy as canary is the stable one (after
		 * an earlier promotion).
		 */
		static void requireCanaryIsNotStable(String stable, String canary) throws ServiceException {
			if (canary.equals(stable)) {
				throw new ServiceException("The service already serves " + stable + " as stable (a canary was promoted "
						+ "earlier). Run with --canary-version set to another version, or go back first: deploy the "
						+ "old stable as the canary and promote it.", 200);
			}
		}

	}

	/**
	 * A parsed answer with its status, for calls where more than one status is expected.
	 */
	record Answer(int status, JsonNode body) {

		String detail() {
			return ServiceClient.detail(body);
		}

	}

	JsonNode get(String path) throws ServiceException, InterruptedException {
		return expectOk("GET", path, send(request(path).GET(), "GET", path));
	}

	JsonNode post(String path, JsonNode body) throws ServiceException, InterruptedException {
		return expectOk("POST", path, send(postRequest(path, body), "POST", path));
	}

	/** GET that returns any status; only an unreachable service is an exception. */
	Answer getAnyStatus(String path) throws ServiceException, InterruptedException {
		return send(request(path).GET(), "GET", path);
	}

	/**
	 * Polls the readiness probe until it answers {@code UP}; {@code onWaiting} runs once
	 * if the first poll does not. Throws when the service is not ready within the
	 * timeout.
	 */
	void awaitReady(long timeoutMillis, Runnable onWaiting) throws ServiceException, InterruptedException {
		long deadline = System.currentTimeMillis() + timeoutMillis;
		String last;
		int lastStatus = 0;
		boolean waiting = false;
		do {
			try {
				Answer a = getAnyStatus(READINESS);
				lastStatus = a.status();
				if (a.status() == 200 && "UP".equals(a.body().path("status").asString(""))) {
					return;
				}
				last = "HTTP " + a.status() + " " + a.body();
			}
			catch (ServiceException e) {
				last = e.getMessage();
			}
			if (!waiting) {
				onWaiting.run();
				waiting = true;
			}
			Thread.sleep(POLL_MILLIS);
		}
		while (System.currentTimeMillis() < deadline);
		throw new ServiceException("the service at " + baseUrl + " was not ready within " + timeoutMillis / 1000
				+ " s; last answer: " + last, lastStatus);
	}

	/**
	 * POST without waiting: the future fails with a {@link ServiceException} as its
	 * cause.
	 */
	CompletableFuture<JsonNode> postAsync(String path, JsonNode body) {
		HttpRequest request = postRequest(path, body).build();
		return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
			if (failure != null) {
				Throwable cause = failure instanceof CompletionException && failure.getCause() != null
						? failure.getCause() : failure;
				throw new CompletionException(unreachable("POST", path, cause));
			}
			try {
				return expectOk("POST", path, answer(response));
			}
			catch (ServiceException e) {
				throw new CompletionException(e);
			}
		});
	}

	ObjectNode object() {
		return json.createObjectNode();
	}

	private HttpRequest.Builder request(String path) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(REQUEST_TIMEOUT)
			.header("Accept", "application/json, application/problem+json");
		if (token != null && path.startsWith("/admin/")) {
			builder.header("Authorization", "Bearer " + token);
		}
		return builder;
	}

	private HttpRequest.Builder postRequest(String path, JsonNode body) {
		if (body == null) {
			return request(path).POST(HttpRequest.BodyPublishers.noBody());
		}
		return request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
	}

	private Answer send(HttpRequest.Builder builder, String method, String path)
			throws ServiceException, InterruptedException {
		try {
			return answer(http.send(builder.build(), HttpResponse.BodyHandlers.ofString()));
		}
		catch (IOException e) {
			throw unreachable(method, path, e);
		}
	}

	private Answer answer(HttpResponse<String> response) {
		JsonNode body;
		try {
			body = response.body() == null || response.body().isBlank() ? json.createObjectNode()
					: json.readTree(response.body());
		}
		catch (JacksonException e) {
			String text = response.body().strip();
			body = json.createObjectNode().put("detail", text.length() > 300 ? text.substring(0, 300) + "..." : text);
		}
		return new Answer(response.statusCode(), body);
	}

	private JsonNode expectOk(String method, String path, Answer answer) throws ServiceException {
		if (answer.status() / 100 != 2) {
			String detail = answer.detail();
			throw new ServiceException(
					method + " " + path + " answered HTTP " + answer.status() + (detail == null ? "" : ": " + detail),
					answer.status());
		}
		return answer.body();
	}

	private ServiceException unreachable(String method, String path, Throwable cause) {
		String why = cause.getMessage() == null || cause.getMessage().isBlank()
				? (cause instanceof java.net.ConnectException ? "connection refused" : cause.getClass().getSimpleName())
				: cause.getClass().getSimpleName() + ": " + cause.getMessage();
		return new ServiceException(
				method + " " + path + " could not reach the service at " + baseUrl + " (" + why + ")", 0);
	}

	/** The problem+json {@code detail}, else {@code title}, else {@code null}. */
	static String detail(JsonNode body) {
		for (String field : new String[] { "detail", "title", "error" }) {
			JsonNode node = body.path(field);
			if (node.isString() && !node.stringValue().isBlank()) {
				return node.stringValue();
			}
		}
		return null;
	}

}
