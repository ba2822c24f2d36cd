package dev.mlcanary.prediction;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Locale;

import dev.mlcanary.system.ProblemResponses;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;

/**
 * Answers the common {@code POST /predict} itself, without Spring MVC: a JSON object
 * holding exactly {@code "features"} with five finite numbers, at most an
 * {@code X-Request-Key}, and an Accept header that takes JSON. It parses and writes with
 * Jackson's streaming API over the application's own {@link JsonMapper} (same parser
 * limits, same number formatting) and calls the same {@link PredictionService}, so the
 * answer is the one {@link PredictionController} would give, byte for byte but for the
 * measured latency. Spring MVC's dispatch (handler lookup, argument resolution, converter
 * selection, content negotiation) was about half of the CPU time of a prediction
 * (docs/adr/0004-predict-fast-path.md).
 *
 * <p>
 * Anything else is passed on unchanged to the controller, with the body it has read
 * replayed: every refusal (malformed JSON, a wrong count, a string, an unknown field, a
 * bad header, a wrong media type, a body without a declared length) gets the controller's
 * problem+json, from the one place that writes them. A request is answered here only when
 * the controller would answer it 200.
 */
class PredictFastPath implements Filter {

	/** Bodies up to this many bytes are read here; a valid request is about 40. */
	static final int MAX_BODY = 1024;

	private final PredictionService predictions;

	private final JsonMapper json;

	PredictFastPath(PredictionService predictions, JsonMapper json) {
		this.predictions = predictions;
		this.json = json;
	}

	@Override
	public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
			throws IOException, ServletException {
		if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)
				|| !eligible(request)) {
			chain.doFilter(req, res);
			return;
		}
		int length = request.getContentLength();
		byte[] body;
		try {
			body = request.getInputStream().readNBytes(length);
		}
		catch (IOException ex) {
			// The client stalled or went away mid-body: the controller answers that as it
			// always has.
			chain.doFilter(new ReplayedBody(request, new byte[0], ex), res);
			return;
		}
		double[] features = body.length == length ? PredictionJson.readRequest(json, body) : null;
		if (features == null) {
			chain.doFilter(new ReplayedBody(request, body, null), res);
			return;
		}
		PredictionResponse answer;
		try {
			answer = predictions.predict(features, new RouteHint(null, request.getHeader(RouteHint.REQUEST_KEY)));
		}
		catch (RuntimeException ex) {
			ProblemResponses.internalError(request, response, ex);
			return;
		}
		request.setAttribute(RequestTimingFilter.SERVED, answer);
		write(answer, response);
	}

	/**
	 * A {@code POST /predict} with a declared JSON body of at most {@link #MAX_BODY}
	 * bytes, an Accept that JSON satisfies, no forced route (it needs the token check)
	 * and a valid key if any.
	 */
	static boolean eligible(HttpServletRequest request) {
		if (!"POST".equals(request.getMethod()) || !PredictionController.PATH.equals(request.getRequestURI())) {
			return false;
		}
		int length = request.getContentLength();
		if (length <= 0 || length > MAX_BODY || request.getHeader(RouteHint.FORCED_ROUTE) != null) {
			return false;
		}
		String key = request.getHeader(RouteHint.REQUEST_KEY);
		return (key == null || (RouteHint.validKey(key) && single(request, RouteHint.REQUEST_KEY)))
				&& isJson(request.getContentType()) && acceptsJson(request.getHeader("Accept"));
	}

	/**
	 * The controller joins repeated headers with commas: only one value reads the same
	 * either way.
	 */
	private static boolean single(HttpServletRequest request, String header) {
		Enumeration<String> values = request.getHeaders(header);
		values.nextElement();
		return !values.hasMoreElements();
	}

	/**
	 * {@code application/json}, alone or with {@code charset=UTF-8} (any case), in the
	 * spellings clients send; anything else (another charset, a parameter, stray spaces
	 * that Spring refuses) is left to the controller.
	 */
	static boolean isJson(String contentType) {
		if (contentType == null) {
			return false;
		}
		String type = contentType.toLowerCase(Locale.ROOT);
		return type.equals("application/json") || type.equals("application/json;charset=utf-8")
				|| type.equals("application/json; charset=utf-8");
	}

	static boolean acceptsJson(String accept) {
		return accept == null || accept.equals("*/*") || accept.equals(MediaType.APPLICATION_JSON_VALUE);
	}

	/** The same JSON as the controller's answer, from {@link PredictionJson#write}. */
	private void write(PredictionResponse answer, HttpServletResponse response) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream(128);
		try (JsonGenerator generator = json.createGenerator(out)) {
			PredictionJson.write(answer, generator);
		}
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(out.size());
		out.writeTo(response.getOutputStream());
	}

	/**
	 * The request as it came, its body read again from what this filter has already read;
	 * if reading failed, the same failure is thrown once that is used up.
	 */
	private static final class ReplayedBody extends HttpServletRequestWrapper {

		private final ServletInputStream stream;

		ReplayedBody(HttpServletRequest request, byte[] body, IOException failure) {
			super(request);
			ByteArrayInputStream bytes = new ByteArrayInputStream(body);
			this.stream = new ServletInputStream() {

				@Override
				public int read() throws IOException {
					int b = bytes.read();
					if (b < 0 && failure != null) {
						throw failure;
					}
					return b;
				}

				@Override
				public int read(byte[] buffer, int offset, int length) throws IOException {
					int n = bytes.read(buffer, offset, length);
					if (n < 0 && failure != null) {
						throw failure;
					}
					return n;
				}

				@Override
				public boolean isFinished() {
					return bytes.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("The body has already been read");
				}

			};
		}

		@Override
		public ServletInputStream getInputStream() {
			return stream;
		}

		@Override
		public BufferedReader getReader() {
			return new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
		}

	}

}
