package dev.mlcanary.system;

import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemErrorControllerTest {

	private final ProblemErrorController controller = new ProblemErrorController();

	@Test
	void containerErrorsBecomeProblemDetails() {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/error");
		request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 408);
		request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, "/predict");

		ResponseEntity<ProblemDetail> response = controller.error(request);

		assertThat(response.getStatusCode().value()).isEqualTo(408);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.getBody().getType().toString()).isEqualTo("urn:ml-canary:problem:http-408");
		assertThat(response.getBody().getDetail()).contains("not received in time");
		assertThat(response.getBody().getInstance().toString()).isEqualTo("/predict");
	}

	@Test
	void anUnknownStatusIsAnInternalErrorWithoutDetailsOfTheCause() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
		request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, new IllegalStateException("secret internals"));

		ResponseEntity<ProblemDetail> response = controller.error(request);

		assertThat(response.getStatusCode().value()).isEqualTo(500);
		assertThat(response.getBody().getDetail()).doesNotContain("secret");
	}

}
