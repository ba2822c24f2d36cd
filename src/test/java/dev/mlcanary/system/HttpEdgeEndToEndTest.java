package dev.mlcanary.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.mlcanary.TestRequests;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that Tomcat refuses before Spring sees them still get problem+json, not an
 * HTML page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HttpEdgeEndToEndTest {

	@LocalServerPort
	int port;

	@Test
	void oversizedHeadersGetAProblemDetail() throws IOException {
		String response = exchange("POST /predict HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000)
				+ "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");

		assertThat(response).startsWith("HTTP/1.1 400");
		assertThat(response).containsIgnoringCase("Content-Type: application/problem+json");
		assertThat(response).contains("\"status\":400").contains("16 KiB of headers").doesNotContain("<html");
	}

	@Test
	void theServiceKeepsServingAfterwards() throws IOException {
		exchange("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
		String body = TestRequests.PREDICT_BODY;

		String response = exchange("POST /predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
				+ "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);

		assertThat(response).startsWith("HTTP/1.1 200").contains("\"model_version\":\"v1\"");
	}

	private String exchange(String request) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
