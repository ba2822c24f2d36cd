package dev.mlcanary.bench.baseline;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A bare Spring Boot MVC endpoint with the request and response shape of the service's
 * {@code POST /predict}: what a team would write first, with the framework's defaults. The service
 * must be at least as fast as this (scripts/bench.sh prints the ratio).
 */
@SpringBootApplication
public class BaselineApplication {

	/** Fixed logistic-regression weights: the same amount of arithmetic as the service's model. */
	private static final double[] WEIGHTS = { 0.9, 0.6, -1.1, 1.3, 0.8 };

	private static final double INTERCEPT = -1.5;

	public static void main(String[] args) {
		SpringApplication.run(BaselineApplication.class, args);
	}

	record PredictionRequest(double[] features) {
	}

	record PredictionResponse(double churnProbability, String modelUsed, String modelVersion, double latencyMs) {
	}

	@RestController
	static class PredictionController {

		@PostMapping(path = "/predict", consumes = MediaType.APPLICATION_JSON_VALUE,
				produces = MediaType.APPLICATION_JSON_VALUE)
		PredictionResponse predict(@RequestBody PredictionRequest request) {
			double[] x = request.features();
			if (x == null || x.length != WEIGHTS.length) {
				throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "features must hold 5 numbers");
			}
			long start = System.nanoTime();
			double z = INTERCEPT;
			for (int i = 0; i < x.length; i++) {
				z += WEIGHTS[i] * x[i];
			}
			double probability = 1 / (1 + Math.exp(-z));
			return new PredictionResponse(probability, "stable", "v1", (System.nanoTime() - start) / 1_000_000.0);
		}

	}

}
