package dev.mlcanary.system;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;

/**
 * Builds every problem+json answer and writes those that the MVC advice does not: from a
 * servlet filter, from Spring Security's handlers, and from
 * {@link ProblemErrorReportValve}, which Tomcat creates by class name before any Spring
 * bean exists. One mapper writes them all, configured as Spring MVC's converter writes a
 * {@link ProblemDetail} (extra properties as top-level members, empty members left out),
 * so an answer has the same shape wherever it comes from.
 */
public final class ProblemResponses {

	private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

	private static final JsonMapper JSON = JsonMapper.builder()
		.addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
		.build();

	/**
	 * A path made only of the characters RFC 3986 allows in one, percent-escapes
	 * included.
	 */
	private static final Pattern URI_PATH = Pattern.compile("(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*");

	/**
	 * Request attribute holding the {@code detail} of a refused request, for the audit
	 * trail.
	 */
	static final String DETAIL = RequestAttributes.PROBLEM_DETAIL;

	private ProblemResponses() {
	}

	static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, URI type,
			String detail) throws IOException {
		write(request, response, problem(status, type, ProblemTypes.titleFor(status.value()), detail));
	}

	/**
	 * The 500 of an unexpected failure, as {@link ProblemDetailsAdvice} answers it; the
	 * cause is logged.
	 */
	public static void internalError(HttpServletRequest request, HttpServletResponse response, RuntimeException ex)
			throws IOException {
		log.error("Unexpected error", ex);
		write(request, response, internalError());
	}

	static ProblemDetail internalError() {
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL, "Internal error",
				"The server failed to handle this request; the error has been logged.");
	}

	static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
		return problem(status.value(), type, title, detail);
	}

	static ProblemDetail problem(int status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatus(status);
		problem.setType(type);
		problem.setTitle(title);
		problem.setDetail(detail);
		return problem;
	}

	/**
	 * The {@code instance} of a problem: the path as the client sent it (undecoded, with
	 * any {@code //}, {@code ;} or percent-escapes), so that a refusal of the path shows
	 * the very path refused. A path that is no valid URI reference (Tomcat refuses those
	 * first) keeps only its plain characters.
	 */
	static @Nullable URI instance(@Nullable String path) {
		if (path == null || path.isEmpty()) {
			return null;
		}
		if (URI_PATH.matcher(path).matches()) {
			try {
				return new URI(path);
			}
			catch (URISyntaxException ex) {
				// e.g. "//host:port" parsed as an authority with a bad port: fall
				// through.
			}
		}
		return URI.create(path.replaceAll("[^A-Za-z0-9/._~-]", ""));
	}

	/**
	 * Writes {@code problem} with its status, and its {@code instance} from the request's
	 * path.
	 */
	static void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
			throws IOException {
		problem.setInstance(instance(request.getRequestURI()));
		request.setAttribute(DETAIL, problem.getDetail());
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		write(problem, response.getWriter());
	}

	/**
	 * Writes the JSON of {@code problem} alone, for a caller that has set status and
	 * content type.
	 */
	static void write(ProblemDetail problem, Writer writer) throws IOException {
		writer.write(JSON.writeValueAsString(problem));
	}

}
