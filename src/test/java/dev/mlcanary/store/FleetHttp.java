package dev.mlcanary.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.mlcanary.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

/** Plain HTTP calls to a replica of {@link TestReplicas}, with the test tokens. */
public final class FleetHttp {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final int port;

	public FleetHttp(ConfigurableApplicationContext replica) {
		this(TestReplicas.port(replica));
	}

	/** A replica on this loopback port, such as one in a child process. */
	public FleetHttp(int port) {
		this.port = port;
	}

	/** An answer: its status and its body as JSON. */
	public record Answer(int status, JsonNode body) {
	}

	/** A POST with the operator token and further headers ({@code name, value, ...}). */
	public Answer post(String path, String json, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Authorization", "Bearer " + TestTokens.OPERATOR)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json));
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return send(request);
	}

	public Answer delete(String path) {
		return send(
				HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TestTokens.OPERATOR).DELETE());
	}

	public Answer get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TestTokens.READER).GET());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private static Answer send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
			String body = response.body();
			return new Answer(response.statusCode(), JSON.readTree(body == null || body.isEmpty() ? "{}" : body));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
