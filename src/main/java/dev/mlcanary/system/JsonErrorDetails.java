package dev.mlcanary.system;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * The words for a request body Jackson could not read: which field, what it must be,
 * where the JSON broke, without Jackson's internals (source descriptions, feature names,
 * class names).
 */
final class JsonErrorDetails {

	/** The problem's type, title and detail. */
	record Described(URI type, String title, String detail) {
	}

	/**
	 * The number in Jackson's "Numeric value (99999999999999999999) out of range of
	 * `long` ...".
	 */
	private static final Pattern COERCED_NUMBER = Pattern.compile("^Numeric value \\(([^)]{1,100})\\) out of range");

	private JsonErrorDetails() {
	}

	static Described describe(HttpMessageNotReadableException ex) {
		Throwable cause = ex.getCause();
		if (cause == null) {
			String message = String.valueOf(ex.getMessage());
			String detail = message.startsWith("Required request body is missing")
					? "The request body is empty; send a JSON object." : "The request body could not be read.";
			return new Described(ProblemTypes.MALFORMED_JSON, "Malformed request body", detail);
		}
		if (cause instanceof UnrecognizedPropertyException unknown) {
			String known = unknown.getKnownPropertyIds() == null ? ""
					: " Known fields: " + unknown.getKnownPropertyIds()
						.stream()
						.map(String::valueOf)
						.sorted()
						.collect(Collectors.joining(", ")) + ".";
			return new Described(ProblemTypes.INVALID_REQUEST, "Invalid request",
					"Unknown field \"" + unknown.getPropertyName() + "\"." + known);
		}
		if (cause instanceof MismatchedInputException mismatch) {
			String path = path(mismatch);
			String detail = path.isEmpty() ? "The request body must be a JSON object."
					: "Field \"" + path + "\" must be " + expected(mismatch.getTargetType()) + ".";
			return new Described(ProblemTypes.INVALID_REQUEST, "Invalid request", detail);
		}
		if (cause instanceof InputCoercionException coercion) {
			return new Described(ProblemTypes.INVALID_REQUEST, "Invalid request", outOfRange(coercion));
		}
		if (cause instanceof StreamReadException parse) {
			String where = parse.getLocation() == null ? "" : String.format(Locale.ROOT, " at line %d, column %d",
					parse.getLocation().getLineNr(), parse.getLocation().getColumnNr());
			return new Described(ProblemTypes.MALFORMED_JSON, "Malformed JSON", "The request body is not valid JSON"
					+ where + ": " + describeParseError(parse.getOriginalMessage()));
		}
		String reason = cause instanceof JacksonException jackson
				? ": " + describeParseError(jackson.getOriginalMessage()) : ".";
		return new Described(ProblemTypes.MALFORMED_JSON, "Malformed request body",
				"The request body could not be read as JSON" + reason);
	}

	/**
	 * A number that does not fit its field's type
	 * ({@code "expected_generation": 99999999999999999999}): valid JSON, so an invalid
	 * request rather than malformed JSON, with the type's range.
	 */
	private static String outOfRange(InputCoercionException ex) {
		String path = path(ex);
		String field = path.isEmpty() ? "A number in the request body" : "Field \"" + path + "\"";
		Matcher number = COERCED_NUMBER.matcher(String.valueOf(ex.getOriginalMessage()));
		String was = number.find() ? ", was " + number.group(1) : "";
		Class<?> type = ex.getTargetType();
		if (type == int.class || type == Integer.class) {
			return field + " must be a whole number between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE + was
					+ ".";
		}
		if (type == long.class || type == Long.class) {
			return field + " must be a whole number between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE + was + ".";
		}
		return field + " is out of range for its type" + was + ".";
	}

	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference ref : ex.getPath()) {
			if (ref.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
			}
			else if (ref.getIndex() >= 0) {
				path.append('[').append(ref.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	static String expected(@Nullable Class<?> type) {
		if (type == null) {
			return "of another type";
		}
		if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
			return "a number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == String.class) {
			return "a string";
		}
		if (type.isArray() || Iterable.class.isAssignableFrom(type)) {
			return "an array";
		}
		return "a JSON object";
	}

	/**
	 * Jackson's parse message without its internals (source descriptions, feature names).
	 */
	static String describeParseError(@Nullable String message) {
		if (message == null) {
			return "unexpected input.";
		}
		if (message.startsWith("Non-standard token")) {
			return "NaN and Infinity are not JSON numbers; send finite numbers.";
		}
		if (message.startsWith("Number value length")) {
			return "a number in the body has too many digits.";
		}
		String line = message.lines().findFirst().orElse("");
		int internals = line.indexOf(" (start marker");
		if (internals < 0) {
			internals = line.indexOf(": was expecting");
		}
		return (internals < 0 ? line : line.substring(0, internals)) + ".";
	}

}
