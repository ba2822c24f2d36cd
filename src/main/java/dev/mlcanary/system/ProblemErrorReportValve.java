package dev.mlcanary.system;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ProtocolHandler;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.res.StringManager;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat answers some malformed requests itself, before any servlet runs, with an HTML
 * page: more request headers than the connector's {@code maxHeaderCount} (100), request
 * line and headers over {@code server.max-http-request-header-size} (16 KiB), an encoded
 * slash or backslash in the path. This valve writes problem+json instead, through
 * {@link ProblemResponses} like every other answer, with a detail that names the limit or
 * the part of the path at fault, and never an exception message. Tomcat creates it by
 * class name, so it reads the limits from the connector.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	/**
	 * Tomcat's own words when the request line and headers do not fit the header buffer.
	 */
	private static final String HEADERS_TOO_LARGE = StringManager.getManager("org.apache.coyote.http11")
		.getString("iib.requestheadertoolarge.error");

	@Override
	protected void report(Request request, Response response, @Nullable Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		ProblemDetail problem = ProblemResponses.problem(status, ProblemTypes.forStatus(status),
				ProblemTypes.titleFor(status), detail(request, status, throwable));
		problem.setInstance(ProblemResponses.instance(request.getRequestURI()));
		try {
			Writer writer = response.getReporter();
			if (writer != null) {
				response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
				response.setCharacterEncoding("UTF-8");
				ProblemResponses.write(problem, writer);
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone or the response is committed: nothing more can be said.
		}
	}

	private static String detail(Request request, int status, @Nullable Throwable throwable) {
		if (status != 400) {
			return "The request could not be handled (HTTP " + status + ").";
		}
		ProtocolHandler protocol = request.getConnector().getProtocolHandler();
		if (throwable instanceof IllegalStateException && protocol instanceof AbstractProtocol<?> p
				&& p.getMaxHeaderCount() >= 0
				&& request.getCoyoteRequest().getMimeHeaders().size() >= p.getMaxHeaderCount()) {
			return "The request has more than " + p.getMaxHeaderCount() + " headers; send at most "
					+ p.getMaxHeaderCount() + " request headers.";
		}
		if (throwable instanceof IllegalArgumentException && HEADERS_TOO_LARGE.equals(throwable.getMessage())) {
			String limit = protocol instanceof AbstractHttp11Protocol<?> http ? size(http.getMaxHttpRequestHeaderSize())
					: "the limit";
			return "The request line and headers are larger than " + limit + "; send at most " + limit + " of headers.";
		}
		String path = request.getRequestURI();
		if (throwable == null && path != null) {
			// The request was parsed; Tomcat refused its path (an encoded slash or
			// backslash).
			String refused = RequestPaths.problem(path).orElse(null);
			if (refused != null) {
				return refused;
			}
		}
		return "The request could not be parsed: check the request line and headers.";
	}

	/** {@code 16 KiB} for 16384 bytes. */
	private static String size(int bytes) {
		return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
	}

}
