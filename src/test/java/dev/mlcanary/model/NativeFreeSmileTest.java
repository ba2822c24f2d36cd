package dev.mlcanary.model;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import smile.classification.LogisticRegression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pom excludes smile-core's native BLAS/LAPACK/ARPACK jars (org.bytedeco, ~70 MB).
 * This proves they are really gone and that logistic regression still trains and predicts
 * without them.
 */
class NativeFreeSmileTest {

	@Test
	void nativeBindingsAreNotOnTheClasspath() {
		assertThatThrownBy(() -> Class.forName("org.bytedeco.javacpp.Loader"))
			.isInstanceOf(ClassNotFoundException.class);
		assertThatThrownBy(() -> Class.forName("org.bytedeco.openblas.global.openblas"))
			.isInstanceOf(ClassNotFoundException.class);
	}

	@Test
	void logisticRegressionTrainsAndPredictsInPureJava() {
		SyntheticChurnData.Rows rows = SyntheticChurnData.generate(1000, new SplittableRandom(7));

		LogisticRegression.Binomial model = LogisticRegression.binomial(rows.x(), rows.y());

		double[] churner = { 1.5, 1.5, 0.0, 1.5, 1.5 };
		double[] loyal = { 0.0, 0.0, 1.5, 0.0, 0.0 };
		assertThat(model.score(churner)).isGreaterThan(0.9);
		assertThat(model.score(loyal)).isLessThan(0.1);
		double[] posterior = new double[2];
		assertThat(model.predict(churner, posterior)).isEqualTo(1);
		assertThat(posterior[1]).isEqualTo(model.score(churner));
	}

}
