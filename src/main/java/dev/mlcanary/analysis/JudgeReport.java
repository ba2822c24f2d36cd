package dev.mlcanary.analysis;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import dev.mlcanary.shared.Verdict;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One judge's answer: its verdict, one plain sentence saying why, and the numbers it used
 * (shown beside the verdict in JSON; a non-finite number is shown as {@code null}).
 */
@Schema(description = "One judge's verdict and reason, followed by the numbers it used (which numbers depends on the "
		+ "judge: `p_value`, `stable_samples`, `agreement`, ...).",
		additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
public record JudgeReport(Verdict verdict, String reason,
		@com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> statistics) {

	@JsonAnyGetter
	Map<String, Object> numbers() {
		Map<String, Object> out = new LinkedHashMap<>();
		statistics.forEach((k, v) -> out.put(k, v instanceof Double d && !Double.isFinite(d) ? null : v));
		return out;
	}

	static Builder builder() {
		return new Builder();
	}

	/** Collects a judge's numbers in a stable order. */
	static final class Builder {

		private final Map<String, Object> statistics = new LinkedHashMap<>();

		Builder put(String name, Object value) {
			statistics.put(name, value);
			return this;
		}

		JudgeReport verdict(Verdict verdict, String reason) {
			return new JudgeReport(verdict, reason, statistics);
		}

	}

}
