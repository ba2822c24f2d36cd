package dev.mlcanary.inference;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

class InferencePropertiesTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(WithProperties.class);

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(InferenceProperties.class)
	static class WithProperties {

	}

	@Test
	void theDefaultsAreChurnTenThousandRowsAndTwoMegabytes() {
		runner.run(context -> {
			InferenceProperties properties = context.getBean(InferenceProperties.class);
			assertThat(properties).isEqualTo(InferenceProperties.defaults());
			assertThat(properties.inference().maxRequestSize()).isEqualTo(DataSize.ofMegabytes(2));
		});
	}

	@Test
	void theModelNameAndTheBatchLimitAreValidated() {
		runner.withPropertyValues("canary.model-name=Churn Model")
			.run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("modelName"));
		runner.withPropertyValues("canary.inference.max-batch-rows=0")
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("inference.maxBatchRows"));
		runner.withPropertyValues("canary.model-name=churn-v2.1", "canary.inference.max-batch-rows=500")
			.run(context -> assertThat(context.getBean(InferenceProperties.class).inference().maxBatchRows())
				.isEqualTo(500));
	}

}
