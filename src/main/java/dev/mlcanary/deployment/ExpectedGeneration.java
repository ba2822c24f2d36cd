package dev.mlcanary.deployment;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mlcanary.system.BadRequestException;

/**
 * The generation an admin call expects to change, from {@code expected_generation} or
 * from an {@code If-Match} header. The deployment's ETag is its generation in quotes, so
 * a client can send back the ETag of {@code GET /admin/status} unchanged; a bare number
 * is accepted too, because that is what people type in curl.
 */
final class ExpectedGeneration {

	private static final Pattern ENTITY_TAG = Pattern.compile("\\s*(\"?)(\\d{1,18})\\1\\s*");

	private ExpectedGeneration() {
	}

	/** The ETag of a deployment generation: {@code "7"}. */
	static String etag(long generation) {
		return "\"" + generation + "\"";
	}

	/**
	 * @param fromBody {@code expected_generation} of a JSON body, or {@code null}
	 * @param fromQuery the {@code expected_generation} query parameter, or {@code null}
	 * @param ifMatch the {@code If-Match} header, or {@code null}; {@code *} matches any
	 * generation
	 * @return the expected generation, or {@code null} when the caller set no condition
	 */
	static Long resolve(Long fromBody, Long fromQuery, String ifMatch) {
		Long expected = null;
		for (Long candidate : new Long[] { fromBody, fromQuery, parse(ifMatch) }) {
			if (candidate != null && expected != null && !candidate.equals(expected)) {
				throw BadRequestException.because("The request names two different expected generations, " + expected
						+ " and " + candidate + " (in expected_generation and If-Match); send one.");
			}
			expected = candidate != null ? candidate : expected;
		}
		return expected;
	}

	private static Long parse(String ifMatch) {
		if (ifMatch == null || ifMatch.strip().equals("*")) {
			return null;
		}
		Matcher m = ENTITY_TAG.matcher(ifMatch);
		if (!m.matches()) {
			throw BadRequestException.because("If-Match must be the generation from the ETag of /admin/status, "
					+ "quoted or bare (If-Match: \"7\" or If-Match: 7), got '" + ifMatch + "'.");
		}
		return Long.parseLong(m.group(2));
	}

}
