package dev.mlcanary.simulator;

import java.util.List;

import dev.mlcanary.simulator.Expectations.Check;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ExpectationsTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static JsonNode json(String text) {
		return JSON.readTree(text.replace('\'', '"'));
	}

	private static JsonNode report(boolean alert, int stable, int canary) {
		return json("{'alert_triggered': " + alert + ", 'min_samples': 20, 'stable_sample_count': " + stable
				+ ", 'canary_sample_count': " + canary + "}");
	}

	@Test
	void healthHoldsWhenTheVerdictIsTheExpectedOne() {
		assertThat(Expectations.health("hc1", report(false, 270, 30), false))
			.isEqualTo(new Check("hc1", "no alert", "no alert", true));
		assertThat(Expectations.health("hc2", report(true, 540, 60), true))
			.isEqualTo(new Check("hc2", "alert", "alert", true));
	}

	@Test
	void healthFailsWhenTheVerdictDiffers() {
		assertThat(Expectations.health("hc1", report(true, 270, 30), false).held()).isFalse();
		Check missed = Expectations.health("hc2", report(false, 540, 60), true);
		assertThat(missed.held()).isFalse();
		assertThat(missed.actual()).isEqualTo("no alert");
		assertThat(missed.line()).contains("hc2")
			.contains("expected alert")
			.contains("got no alert")
			.endsWith("NOT AS EXPECTED");
	}

	@Test
	void insufficientDataIsNoEvidenceOfHealth() {
		Check check = Expectations.health("hc1", report(false, 270, 19), false);

		assertThat(check.held()).isFalse();
		assertThat(check.actual()).isEqualTo("insufficient data (270 stable, 19 canary, 20 needed each)");
	}

	@Test
	void minSamplesDefaultsToTwentyWhenMissingOrNonsense() {
		assertThat(Expectations.minSamples(json("{}"))).isEqualTo(20);
		assertThat(Expectations.minSamples(json("{'min_samples': 0}"))).isEqualTo(20);
		assertThat(Expectations.minSamples(json("{'min_samples': 50}"))).isEqualTo(50);
	}

	@Test
	void servedByComparesModelUsed() {
		assertThat(Expectations.servedBy("confirm", json("{'model_used': 'stable'}"), "stable").held()).isTrue();
		assertThat(Expectations.servedBy("confirm", json("{'model_used': 'canary'}"), "stable"))
			.isEqualTo(new Check("confirm", "stable", "canary", false));
		assertThat(Expectations.servedBy("confirm", json("{}"), "stable").actual()).isEqualTo("(none)");
	}

	@Test
	void noExtraRequestsOnceBothRolesHaveEnough() {
		assertThat(Expectations.extraRequests(20, 20, 20, 0.1, 300, 6000)).isZero();
	}

	@Test
	void extraRequestsCoverTheScarcerRoleWithMargin() {
		// 10 canary samples missing at weight 0.1: about 100 requests expected, 150 with
		// margin.
		assertThat(Expectations.extraRequests(280, 10, 20, 0.1, 300, 6000)).isEqualTo(150);
		// 5 stable missing at weight 0.9: 50 expected, 75 with margin; 1 canary missing:
		// 2 expected.
		assertThat(Expectations.extraRequests(15, 19, 20, 0.9, 300, 6000)).isEqualTo(75);
		// never fewer than 10
		assertThat(Expectations.extraRequests(19, 20, 20, 0.1, 300, 6000)).isEqualTo(10);
	}

	@Test
	void extraRequestsStopAtTheSafetyLimit() {
		assertThat(Expectations.extraRequests(280, 0, 20, 0.1, 5950, 6000)).isEqualTo(50);
		assertThat(Expectations.extraRequests(280, 0, 20, 0.1, 6000, 6000)).isZero();
		// a role that can never get traffic uses up what is left, then stops
		assertThat(Expectations.extraRequests(0, 500, 20, 1.0, 300, 6000)).isEqualTo(5700);
		assertThat(Expectations.extraRequests(500, 0, 20, 0.0, 300, 6000)).isEqualTo(5700);
	}

	@Test
	void theSafetyLimitIsTwentyTimesTheRequestsAndAtLeastTwoThousand() {
		assertThat(Expectations.safetyLimit(300)).isEqualTo(6000);
		assertThat(Expectations.safetyLimit(10)).isEqualTo(2000);
		assertThat(Expectations.safetyLimit(1_000_000)).isEqualTo(20_000_000);
	}

	@Test
	void exitCodeIsOneWhenAnyCheckFailed() {
		Check ok = new Check("a", "x", "x", true);
		Check bad = new Check("b", "x", "y", false);

		assertThat(Expectations.exitCode(List.of())).isZero();
		assertThat(Expectations.exitCode(List.of(ok, ok))).isZero();
		assertThat(Expectations.exitCode(List.of(ok, bad))).isEqualTo(1);
	}

}
