package dev.mlcanary.prediction;

import dev.mlcanary.TestRequests;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.web.method.HandlerMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code canary.prediction.fast-path=false}, Spring MVC's controller answers every
 * prediction.
 */
@SpringBootTest(properties = "canary.prediction.fast-path=false")
@AutoConfigureMockMvc
class PredictFastPathSwitchTest {

	@Autowired
	MockMvcTester mvc;

	@Test
	void switchedOffTheControllerAnswersAValidPrediction() {
		MvcTestResult result = mvc.post()
			.uri("/predict")
			.contentType("application/json")
			.content(TestRequests.PREDICT_BODY)
			.exchange();

		assertThat(result).hasStatusOk().bodyJson().extractingPath("model_used").isEqualTo("stable");
		assertThat(result.getMvcResult().getHandler()).isInstanceOf(HandlerMethod.class);
	}

}
