package dev.mlcanary.system;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.http.HttpStatus;

/**
 * Tomcat answers some malformed requests itself, before any servlet runs (request headers
 * over {@code server.max-http-request-header-size}, for example), with an HTML page. This
 * valve writes the same problem+json shape as the rest of the API instead, and never an
 * exception message.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		try {
			response.setContentType("application/problem+json");
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write("{\"type\":\"" + ProblemTypes.forStatus(status) + "\",\"title\":\"" + title(status)
						+ "\",\"status\":" + status + ",\"detail\":\"" + detailFor(status) + "\"}");
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone or the response is committed: nothing more can be said.
		}
	}

	private static String title(int status) {
		HttpStatus resolved = HttpStatus.resolve(status);
		return resolved == null ? "Error" : resolved.getReasonPhrase();
	}

	private static String detailFor(int status) {
		return status == 400
				? "The request could not be parsed: check the request line and headers (at most 16 KiB of headers)."
				: "The request could not be handled (HTTP " + status + ").";
	}

}
