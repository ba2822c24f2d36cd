package dev.mlcanary.deployment;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mlcanary.system.BadRequestException;
import org.jspecify.annotations.Nullable;

/**
 * The generation an admin call expects to change, from {@code expected_generation} or
 * from an {@code If-Match} header. The deployment's ETag is its generation in quotes, so
 * a client can send back the ETag of {@code GET /admin/status} unchanged; a bare number
 * is accepted too, because that is what people type in curl. A stale generation is a 412
 * when it came with {@code If-Match} (an HTTP precondition failed) and a 409 otherwise.
 *
 * @param generation the expected generation, or {@code null} when the caller set no
 * condition
 * @param ifMatch whether {@code If-Match} named a generation
 */
record ExpectedGeneration(@Nullable Long generation, boolean ifMatch) {

	private static final Pattern ENTITY_TAG = Pattern.compile("\\s*(\"?)(\\d{1,18})\\1\\s*");

	/** The ETag of a deployment generation: {@code "7"}. */
	static String etag(long generation) {
		return "\"" + generation + "\"";
	}

	/**
	 * @param fromBody {@code expected_generation} of a JSON body, or {@code null}
	 * @param fromQuery the {@code expected_generation} query parameter, or {@code null}
	 * @param ifMatch the {@code If-Match} header, or {@code null}; {@code *} matches any
	 * generation
	 */
	static ExpectedGeneration resolve(@Nullable Long fromBody, @Nullable Long fromQuery, @Nullable String ifMatch) {
		Long fromHeader = parse(ifMatch);
		Long expected = null;
		for (Long candidate : new Long[] { fromBody, fromQuery, fromHeader }) {
			if (candidate != null && expected != null && !candidate.equals(expected)) {
				throw BadRequestException.because("The request names two different expected generations, " + expected
						+ " and " + candidate + " (in expected_generation and If-Match); send one.");
			}
			expected = candidate != null ? candidate : expected;
		}
		return new ExpectedGeneration(expected, fromHeader != null);
	}

	/**
	 * Applies {@code change} under this expectation: a stale generation named by
	 * {@code If-Match} becomes a {@link PreconditionFailedException}; every other refusal
	 * passes unchanged.
	 */
	<T> T apply(Function<@Nullable Long, T> change) {
		try {
			return change.apply(generation);
		}
		catch (DeploymentConflictException ex) {
			if (ifMatch && ex.staleGeneration()) {
				throw new PreconditionFailedException(ex);
			}
			throw ex;
		}
	}

	private static @Nullable Long parse(@Nullable String ifMatch) {
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
