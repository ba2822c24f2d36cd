package dev.mlcanary.deployment;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mlcanary.system.BadRequestException;

/**
 * How an automated rollout moves a canary: the traffic percentages it goes through, how
 * often it is analysed, and whether a verdict acts on its own.
 *
 * <p>
 * A step of 100% is the end of the road and is never analysed: the canary then serves all
 * traffic and stable none, so nothing is left to compare it with. The last step
 * <em>below</em> 100% is therefore the last one that must pass; a trailing 100 means
 * "then give it all traffic".
 *
 * @param steps traffic percentages, strictly increasing, each in (0, 100], at least one
 * below 100
 * @param interval time between two analyses, 1 s to 1 h, whole seconds
 * @param autoRollback whether FAIL (or INCONCLUSIVE for too long) rolls the canary back;
 * otherwise the automation halts and leaves the decision to an operator
 * @param autoPromote whether PASS at the last analysed step promotes the canary;
 * otherwise it waits, ready to promote
 */
public record RolloutStrategy(List<Double> steps, Duration interval, boolean autoRollback, boolean autoPromote) {

	static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

	static final Duration MAX_INTERVAL = Duration.ofHours(1);

	static final int MAX_STEPS = 20;

	/**
	 * The smallest step: below 0.1% a canary sees too little traffic for any judge to
	 * decide.
	 */
	static final double MIN_STEP_PERCENT = 0.1;

	private static final Pattern DURATION = Pattern.compile("(\\d{1,7})\\s*([smh]?)");

	public RolloutStrategy {
		steps = steps == null ? null : List.copyOf(steps);
		String problem = problem(steps, interval);
		if (problem != null) {
			throw new IllegalArgumentException(problem);
		}
	}

	/**
	 * The strategy of a deploy request, with a 400 that names the field for anything
	 * invalid.
	 * @param steps the percentages as sent (elements may be null)
	 * @param interval a JSON string ({@code "30s"}, {@code "2m"}, {@code "1h"},
	 * {@code "45"}) or number of seconds
	 * @param autoRollback {@code null} means true
	 * @param autoPromote {@code null} means true
	 */
	public static RolloutStrategy parse(List<Double> steps, Object interval, Boolean autoRollback,
			Boolean autoPromote) {
		if (steps != null) {
			for (int i = 0; i < steps.size(); i++) {
				if (steps.get(i) == null) {
					throw BadRequestException.because("strategy.steps[" + i + "] must be a number, got null.");
				}
			}
		}
		Duration parsed = parseInterval(interval);
		String problem = problem(steps, parsed);
		if (problem != null) {
			throw BadRequestException.because(problem);
		}
		return new RolloutStrategy(steps, parsed, autoRollback == null || autoRollback,
				autoPromote == null || autoPromote);
	}

	/**
	 * Why these steps and interval cannot make a strategy, as a sentence; {@code null}
	 * when they can.
	 */
	static String problem(List<Double> steps, Duration interval) {
		if (steps == null || steps.isEmpty()) {
			return "strategy.steps must list the canary's traffic percentages, e.g. [10, 25, 50, 100].";
		}
		if (steps.size() > MAX_STEPS) {
			return "strategy.steps may hold at most " + MAX_STEPS + " percentages, got " + steps.size() + ".";
		}
		for (int i = 0; i < steps.size(); i++) {
			Double step = steps.get(i);
			if (step == null || !(step >= MIN_STEP_PERCENT && step <= 100)) {
				return "strategy.steps[" + i + "] must be a percentage from " + MIN_STEP_PERCENT + " to 100, got "
						+ format(step) + ".";
			}
			if (i > 0 && !(step > steps.get(i - 1))) {
				return "strategy.steps must be strictly increasing: steps[" + i + "] (" + format(step)
						+ ") is not greater than steps[" + (i - 1) + "] (" + format(steps.get(i - 1)) + ").";
			}
		}
		if (steps.get(0) == 100) {
			return "strategy.steps must include a percentage below 100: at 100% the canary serves all traffic and "
					+ "nothing is left to compare it with, so it could never be analysed.";
		}
		if (interval == null) {
			return "strategy.interval is required: how often the canary is analysed, e.g. \"30s\", \"2m\" or 30 (seconds).";
		}
		if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0 || interval.getNano() != 0) {
			return "strategy.interval must be a whole number of seconds between 1s and 1h, got "
					+ formatDuration(interval) + ".";
		}
		return null;
	}

	private static Duration parseInterval(Object interval) {
		if (interval == null) {
			return null;
		}
		if (interval instanceof Integer || interval instanceof Long || interval instanceof BigInteger) {
			BigInteger seconds = new BigInteger(interval.toString());
			if (seconds.compareTo(BigInteger.valueOf(MAX_INTERVAL.toSeconds())) > 0) {
				throw outOfRange(interval + "s");
			}
			return Duration.ofSeconds(seconds.longValue());
		}
		if (interval instanceof Number number) {
			if ((number instanceof Double d && !Double.isFinite(d))
					|| (number instanceof Float f && !Float.isFinite(f))) {
				throw badInterval(number.toString());
			}
			BigDecimal seconds = new BigDecimal(number.toString());
			if (seconds.stripTrailingZeros().scale() > 0) {
				throw badInterval(number.toString());
			}
			if (seconds.compareTo(BigDecimal.valueOf(MAX_INTERVAL.toSeconds())) > 0) {
				throw outOfRange(seconds.toPlainString() + "s");
			}
			return Duration.ofSeconds(seconds.longValue());
		}
		if (interval instanceof String text) {
			Matcher m = DURATION.matcher(text.strip());
			if (!m.matches()) {
				throw badInterval("\"" + text + "\"");
			}
			long amount = Long.parseLong(m.group(1));
			return switch (m.group(2)) {
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				default -> Duration.ofSeconds(amount);
			};
		}
		throw badInterval(
				"a JSON " + (interval instanceof Boolean ? "boolean" : interval instanceof List ? "array" : "object"));
	}

	private static BadRequestException outOfRange(String got) {
		return BadRequestException
			.because("strategy.interval must be a whole number of seconds between 1s and 1h, got " + got + ".");
	}

	private static BadRequestException badInterval(String got) {
		return BadRequestException.because("strategy.interval must be a duration such as \"30s\", \"2m\" or \"1h\", "
				+ "or a whole number of seconds such as 30, got " + got + ".");
	}

	public int stepCount() {
		return steps.size();
	}

	/** The percentage of step {@code index} (0-based). */
	public double percent(int index) {
		return steps.get(index);
	}

	/** The canary weight of step {@code index}: its percentage as a share in (0, 1]. */
	public double weight(int index) {
		return steps.get(index) / 100;
	}

	/**
	 * Whether the last step gives the canary all traffic (and is therefore never
	 * analysed).
	 */
	public boolean endsAtFullTraffic() {
		return steps.get(steps.size() - 1) == 100;
	}

	/** Index of the last step that is analysed: the last one below 100%. */
	public int lastAnalysedStep() {
		return endsAtFullTraffic() ? steps.size() - 2 : steps.size() - 1;
	}

	/** {@code 10% -> 25% -> 50% -> 100%, analysed every 30s} */
	public String describe() {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < steps.size(); i++) {
			out.append(i == 0 ? "" : " -> ").append(format(steps.get(i))).append('%');
		}
		return out.append(", analysed every ").append(formatDuration(interval)).toString();
	}

	/** A percentage without a needless fraction: {@code 10}, {@code 2.5}. */
	static String format(Double percent) {
		if (percent == null) {
			return "null";
		}
		if (!Double.isFinite(percent)) {
			return String.valueOf(percent);
		}
		return BigDecimal.valueOf(percent).stripTrailingZeros().toPlainString();
	}

	/**
	 * {@code 30s}, {@code 2m}, {@code 1h}, {@code 90s}: the largest unit that divides it.
	 */
	public static String formatDuration(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds != 0 && seconds % 3600 == 0) {
			return seconds / 3600 + "h";
		}
		if (seconds != 0 && seconds % 60 == 0) {
			return seconds / 60 + "m";
		}
		return String.format(Locale.ROOT, "%ds", seconds);
	}

}
