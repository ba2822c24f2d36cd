package dev.mlcanary.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.mlcanary.TestRequests;
import dev.mlcanary.deployment.DeploymentService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that Tomcat or Spring Security's firewall refuses before any controller sees
 * them still get problem+json that says what is wrong, not an HTML page or a bare 400.
 * Over a real socket, since MockMvc has neither Tomcat's parser nor its path checks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class HttpEdgeEndToEndTest {

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	DeploymentService deployments;

	@Test
	void oversizedHeadersGetAProblemDetail() throws IOException {
		String response = exchange("POST /predict HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000)
				+ "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");

		assertThat(response).startsWith("HTTP/1.1 400");
		assertThat(response).containsIgnoringCase("Content-Type: application/problem+json");
		assertThat(response).contains("\"status\":400").contains("16 KiB of headers").doesNotContain("<html");
		assertThat(problem(response).get("detail").asString())
			.isEqualTo("The request line and headers are larger than 16 KiB; send at most 16 KiB of headers.");
	}

	@Test
	void tooManySmallHeadersAreRefusedForTheirCountWithoutAStackTraceInTheLog(CapturedOutput log) throws IOException {
		StringBuilder headers = new StringBuilder();
		for (int i = 1; i <= 150; i++) {
			headers.append("X-H").append(i).append(": v\r\n");
		}

		String response = exchange(
				"GET /admin/status HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n");

		assertThat(response).startsWith("HTTP/1.1 400");
		assertThat(response).containsIgnoringCase("Content-Type: application/problem+json");
		JsonNode problem = problem(response);
		assertThat(problem.get("type").asString()).isEqualTo("urn:ml-canary:problem:invalid-request");
		assertThat(problem.get("title").asString()).isEqualTo("Invalid request");
		assertThat(problem.get("detail").asString())
			.isEqualTo("The request has more than 100 headers; send at most 100 request headers.");
		assertThat(problem.get("instance").asString()).isEqualTo("/admin/status");
		assertThat(log.getAll()).doesNotContain("More than the maximum allowed number of headers")
			.doesNotContain("Error parsing HTTP request header")
			.doesNotContain("at org.apache.coyote");
	}

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource(delimiter = '|', value = {
			"GET|//admin/status|is not canonical: remove the empty segment ('//'): send '/admin/status'.",
			"GET|/admin//status|is not canonical: remove the empty segment ('//'): send '/admin/status'.",
			"GET|/admin/status;x|has a path parameter (';'); path parameters are not accepted: send '/admin/status'.",
			"GET|/admin/..;/status|has a path parameter (';'); path parameters are not accepted: send '/status'.",
			"GET|/admin/%2e%2e/status|has an encoded period ('%2e'); encoded periods and '.' or '..' segments are not accepted: send '/status'.",
			"GET|/admin/./status|is not canonical: remove the '.' and '..' segments: send '/admin/status'.",
			"GET|/admin%2Fstatus|has an encoded slash ('%2F'); encoded slashes are not accepted: separate segments with a plain '/'.",
			"GET|/admin/%5Cstatus|has a backslash ('\\' or '%5C'); backslashes are not accepted: separate segments with '/'.",
			"GET|/admin/%25status|has an encoded percent sign ('%25'), which is not accepted in a path.",
			"POST|//predict|is not canonical: remove the empty segment ('//'): send '/predict'.",
			"POST|/predict;x|has a path parameter (';'); path parameters are not accepted: send '/predict'.",
			"POST|/predict%2F|has an encoded slash ('%2F'); encoded slashes are not accepted: separate segments with a plain '/'." })
	void aPathThatIsNotCanonicalIsRefusedWithWhatIsWrongWithIt(String method, String path, String wrong)
			throws IOException {
		String body = TestRequests.PREDICT_BODY;

		String response = exchange(
				method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
						+ "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);

		assertThat(response).startsWith("HTTP/1.1 400");
		assertThat(response).containsIgnoringCase("Content-Type: application/problem+json");
		JsonNode problem = problem(response);
		assertThat(problem.get("type").asString()).isEqualTo("urn:ml-canary:problem:invalid-request");
		assertThat(problem.get("status").asInt()).isEqualTo(400);
		assertThat(problem.get("detail").asString()).isEqualTo("The path '" + path + "' " + wrong);
		assertThat(problem.get("instance").asString()).as("the path sent").isEqualTo(path);
	}

	@Test
	void aChunkedBodyToAPostThatTakesNoneIsRefusedAndChangesNothing() throws IOException {
		long generation = deployments.current().generation();

		String response = exchange(
				"POST /admin/toggle-slowdown HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
						+ "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\n{{{\r\n0\r\n\r\n");

		assertThat(response).startsWith("HTTP/1.1 400");
		assertThat(problem(response).get("detail").asString())
			.isEqualTo("This endpoint takes no request body; send the request without one.");
		assertThat(deployments.current().generation()).isEqualTo(generation);
	}

	@Test
	void aChunkedBodyToAnEndpointThatReadsOneArrivesWhole() throws IOException {
		String body = TestRequests.PREDICT_BODY;

		String response = exchange("POST /predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
				+ "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + Integer.toHexString(body.length())
				+ "\r\n" + body + "\r\n0\r\n\r\n");

		assertThat(response).startsWith("HTTP/1.1 200").contains("\"model_version\":\"v1\"");
	}

	@Test
	void theServiceKeepsServingAfterwards() throws IOException {
		exchange("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
		exchange("GET //admin/status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
		String body = TestRequests.PREDICT_BODY;

		String response = exchange("POST /predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
				+ "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);

		assertThat(response).startsWith("HTTP/1.1 200").contains("\"model_version\":\"v1\"");
	}

	/** The problem in a response, chunked or not. */
	private JsonNode problem(String response) {
		int start = response.indexOf("\r\n\r\n");
		assertThat(start).as("a response with a body").isPositive();
		String head = response.substring(0, start).toLowerCase(Locale.ROOT);
		String body = response.substring(start + 4);
		return json.readTree(head.contains("transfer-encoding: chunked") ? dechunked(body) : body);
	}

	private static String dechunked(String body) {
		StringBuilder content = new StringBuilder();
		int at = 0;
		while (true) {
			int eol = body.indexOf("\r\n", at);
			int size = Integer.parseInt(body.substring(at, eol).strip(), 16);
			if (size == 0) {
				return content.toString();
			}
			content.append(body, eol + 2, eol + 2 + size);
			at = eol + 2 + size + 2;
		}
	}

	private String exchange(String request) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			in.transferTo(received);
			return received.toString(StandardCharsets.UTF_8);
		}
	}

}
