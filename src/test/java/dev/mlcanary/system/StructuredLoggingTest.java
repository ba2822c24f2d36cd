package dev.mlcanary.system;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code logging.structured.format.console=ecs} every log line is one JSON object;
 * an admin action writes exactly one INFO line and predictions write none.
 */
@SpringBootTest(properties = { "logging.structured.format.console=ecs", "spring.main.banner-mode=off" })
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingTest {

	private final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	MockMvcTester mvc;

	@Test
	void oneJsonInfoLinePerAdminActionAndNothingPerPrediction(CapturedOutput output) {
		int mark = output.getOut().length();
		for (int i = 0; i < 200; i++) {
			assertThat(mvc.post()
				.uri("/predict")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"features\": [0.5, 1.2, 0.8, 0.3, " + i / 100.0 + "]}")
				.exchange()).hasStatusOk();
		}
		assertThat(lines(output, mark)).as("nothing per prediction").isEmpty();

		mark = output.getOut().length();
		assertThat(mvc.post()
			.uri("/admin/deploy-canary")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"version\": \"v2\", \"weight\": 0.2}")
			.exchange()).hasStatusOk();
		List<JsonNode> deploy = lines(output, mark);
		assertThat(deploy).hasSize(1);
		assertThat(deploy.get(0).path("log").path("level").asString()).isEqualTo("INFO");
		assertThat(deploy.get(0).path("message").asString()).startsWith("Generation 2: ").contains("v2");

		mark = output.getOut().length();
		assertThat(mvc.post().uri("/admin/rollback-canary").exchange()).hasStatusOk();
		assertThat(lines(output, mark)).singleElement()
			.satisfies(line -> assertThat(line.path("message").asString()).startsWith("Generation 3: "));
	}

	/** The lines written since {@code mark}; each must be one JSON object. */
	private List<JsonNode> lines(CapturedOutput output, int mark) {
		return Arrays.stream(output.getOut().substring(mark).split("\\R"))
			.filter(line -> !line.isBlank())
			.map(json::readTree)
			.toList();
	}

}
