package dev.mlcanary.deployment;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mlcanary.TestRequests;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Eight clients predict over real HTTP while an operator thread deploys, promotes and
 * rolls back 100 times. No request may fail, and every answer must name a role and
 * version pair that some deployment snapshot held while that request was in flight.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConcurrentDeploymentEndToEndTest {

	private static final int CLIENTS = 8;

	private static final int CYCLES = 100;

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	/**
	 * What the deployment was after one admin call; the call itself ran between start and
	 * end.
	 */
	record Snapshot(long start, long end, String stable, String canary) {
	}

	record Answer(long start, long end, int status, String role, String version) {
	}

	@Test
	void predictionsNeverFailOrMixVersionsWhileTheDeploymentChanges() throws Exception {
		List<Snapshot> history = new ArrayList<>();
		history.add(new Snapshot(Long.MIN_VALUE, Long.MIN_VALUE, status().get("stable_version").asString(), null));
		Queue<Answer> answers = new ConcurrentLinkedQueue<>();
		AtomicBoolean done = new AtomicBoolean();
		CountDownLatch started = new CountDownLatch(CLIENTS);
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		List<Future<?>> running = new ArrayList<>();
		for (int c = 0; c < CLIENTS; c++) {
			running.add(clients.submit(() -> {
				started.countDown();
				while (!done.get()) {
					answers.add(predict());
				}
				return null;
			}));
		}
		started.await();

		for (int i = 0; i < CYCLES; i++) {
			String stable = history.get(history.size() - 1).stable();
			String other = stable.equals("v1") ? "v2" : "v1";
			history
				.add(admin("/admin/deploy-canary", "{\"version\": \"" + other + "\", \"weight\": 0.5}", stable, other));
			if (i % 2 == 0) {
				history.add(admin("/admin/promote-canary", null, other, null));
			}
			else {
				history.add(admin("/admin/rollback-canary", null, stable, null));
			}
		}
		done.set(true);
		for (Future<?> client : running) {
			client.get();
		}
		clients.shutdown();

		assertThat(answers).hasSizeGreaterThan(CYCLES);
		assertThat(answers).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
		assertThat(answers).allSatisfy(a -> assertThat(heldDuring(history, a))
			.as("%s %s answered during [%d, %d]", a.role(), a.version(), a.start(), a.end())
			.isTrue());
		assertThat(answers).extracting(Answer::role).contains("stable", "canary");
	}

	/**
	 * Snapshot k was current from the moment its admin call started until the next call
	 * ended, at the widest. An answer is consistent if one snapshot of that span served
	 * its version in its role.
	 */
	private static boolean heldDuring(List<Snapshot> history, Answer a) {
		for (int k = 0; k < history.size(); k++) {
			long from = history.get(k).start();
			long to = k + 1 < history.size() ? history.get(k + 1).end() : Long.MAX_VALUE;
			if (from <= a.end() && a.start() <= to) {
				Snapshot s = history.get(k);
				String expected = a.role().equals("canary") ? s.canary() : s.stable();
				if (a.version().equals(expected)) {
					return true;
				}
			}
		}
		return false;
	}

	private Answer predict() throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = http.send(post("/predict", TestRequests.PREDICT_BODY),
				HttpResponse.BodyHandlers.ofString());
		long end = System.nanoTime();
		if (response.statusCode() != 200) {
			return new Answer(start, end, response.statusCode(), "error", response.body());
		}
		JsonNode body = json.readTree(response.body());
		return new Answer(start, end, 200, body.get("model_used").asString(), body.get("model_version").asString());
	}

	private Snapshot admin(String path, String body, String stableAfter, String canaryAfter) throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = http.send(post(path, body), HttpResponse.BodyHandlers.ofString());
		long end = System.nanoTime();
		assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
		return new Snapshot(start, end, stableAfter, canaryAfter);
	}

	private JsonNode status() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/status")).build();
		return json.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
	}

	private HttpRequest post(String path, String body) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Content-Type", "application/json")
			.POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

}
