package dev.mlcanary.system;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Writes a problem+json answer from a servlet filter, where the MVC advice does not
 * reach.
 */
public final class ProblemResponses {

	private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

	/**
	 * Request attribute holding the {@code detail} of a refused request, for the audit
	 * trail.
	 */
	static final String DETAIL = RequestAttributes.PROBLEM_DETAIL;

	private ProblemResponses() {
	}

	static void write(JsonMapper json, HttpServletRequest request, HttpServletResponse response, HttpStatus status,
			URI type, String detail) throws IOException {
		write(json, request, response, problem(status, type, status.getReasonPhrase(), detail));
	}

	/**
	 * The 500 of an unexpected failure, as {@link ProblemDetailsAdvice} answers it; the
	 * cause is logged.
	 */
	public static void internalError(JsonMapper json, HttpServletRequest request, HttpServletResponse response,
			RuntimeException ex) throws IOException {
		log.error("Unexpected error", ex);
		write(json, request, response, internalError());
	}

	static ProblemDetail internalError() {
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL, "Internal error",
				"The server failed to handle this request; the error has been logged.");
	}

	static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return problem;
	}

	private static void write(JsonMapper json, HttpServletRequest request, HttpServletResponse response,
			ProblemDetail problem) throws IOException {
		String detail = problem.getDetail();
		HttpStatus status = HttpStatus.valueOf(problem.getStatus());
		problem.setInstance(URI.create(request.getRequestURI().replaceAll("[^A-Za-z0-9/._~-]", "")));
		request.setAttribute(DETAIL, detail);
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter().write(json.writeValueAsString(problem));
	}

}
