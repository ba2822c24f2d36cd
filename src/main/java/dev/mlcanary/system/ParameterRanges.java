package dev.mlcanary.system;

import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The words for a number parameter out of range:
 * {@code limit must be between 1 and 10000, was 0.} The range is what the parameter
 * declares with {@code @Min} and {@code @Max} (Spring MVC validates those), each bound
 * defaulting to its type's; the same sentence serves a value that is too large for the
 * type itself ({@code limit=99999999999999} for an {@code int}), which never reaches the
 * validation.
 */
final class ParameterRanges {

	private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");

	private ParameterRanges() {
	}

	static boolean isWholeNumber(String value) {
		return WHOLE_NUMBER.matcher(value.strip()).matches();
	}

	/**
	 * @return the detail for {@code value}, a whole number that does not fit the
	 * parameter's type, or empty if the parameter is not of a whole-number type
	 */
	static Optional<String> outOfRange(String name, MethodParameter parameter, String value) {
		return range(parameter)
			.map(range -> name + " must be between " + range[0] + " and " + range[1] + ", was " + value.strip() + ".");
	}

	/**
	 * A parameter that failed its constraints: the range, or the constraint's own
	 * message.
	 */
	static String describe(ParameterValidationResult result) {
		MethodParameter parameter = result.getMethodParameter();
		String name = parameter.hasParameterAnnotation(RequestParam.class) ? StrictRequests.name(parameter)
				: String.valueOf(parameter.getParameterName());
		Object value = result.getArgument();
		Optional<long[]> range = range(parameter);
		if (range.isPresent()
				&& (parameter.hasParameterAnnotation(Min.class) || parameter.hasParameterAnnotation(Max.class))) {
			return name + " must be between " + range.get()[0] + " and " + range.get()[1] + ", was " + value + ".";
		}
		String reason = result.getResolvableErrors()
			.stream()
			.map(MessageSourceResolvable::getDefaultMessage)
			.filter(m -> m != null)
			.findFirst()
			.orElse("is invalid");
		return name + " " + reason + ", was " + value + ".";
	}

	/**
	 * The declared range of a whole-number parameter, within its type's; empty for other
	 * types.
	 */
	private static Optional<long[]> range(MethodParameter parameter) {
		long[] bounds = bounds(parameter.getParameterType());
		if (bounds == null) {
			return Optional.empty();
		}
		Min min = parameter.getParameterAnnotation(Min.class);
		Max max = parameter.getParameterAnnotation(Max.class);
		return Optional.of(new long[] { min == null ? bounds[0] : Math.max(min.value(), bounds[0]),
				max == null ? bounds[1] : Math.min(max.value(), bounds[1]) });
	}

	private static long @Nullable [] bounds(Class<?> type) {
		if (type == int.class || type == Integer.class) {
			return new long[] { Integer.MIN_VALUE, Integer.MAX_VALUE };
		}
		if (type == long.class || type == Long.class) {
			return new long[] { Long.MIN_VALUE, Long.MAX_VALUE };
		}
		if (type == short.class || type == Short.class) {
			return new long[] { Short.MIN_VALUE, Short.MAX_VALUE };
		}
		if (type == byte.class || type == Byte.class) {
			return new long[] { Byte.MIN_VALUE, Byte.MAX_VALUE };
		}
		return null;
	}

}
