package dev.mlcanary.analysis;

import java.util.Locale;

import dev.mlcanary.system.BadRequestException;

/**
 * How the mean-latency judge treats repeated checks. {@code FIXED} runs Welch's test
 * afresh each time: right for one check, but checking again and again inflates false
 * alarms. {@code SEQUENTIAL} uses an always-valid p-value (mSPRT) over every look at this
 * canary, so any number of checks keeps the false-alarm rate at alpha; the automated
 * rollout uses it.
 */
public enum AnalysisMode {

	FIXED, SEQUENTIAL;

	public static AnalysisMode parse(String value) {
		if (value == null || value.isBlank()) {
			return FIXED;
		}
		return switch (value.trim().toLowerCase(Locale.ROOT)) {
			case "fixed" -> FIXED;
			case "sequential" -> SEQUENTIAL;
			default ->
				throw BadRequestException.because("mode must be \"fixed\" or \"sequential\", was \"" + value + "\".");
		};
	}

}
